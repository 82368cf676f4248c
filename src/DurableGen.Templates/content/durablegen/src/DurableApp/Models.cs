using System.Text.Json.Serialization;

namespace DurableApp;

/// <summary>What starts an execution.</summary>
public sealed record Order(string OrderId, string Customer, int Quantity, decimal UnitPrice);

/// <summary>A manager's answer to an approval request.</summary>
public sealed record Approval(bool Approved, string Approver, string? Reason = null);

/// <summary>How the execution ended.</summary>
public sealed record OrderResult(string OrderId, string Status, decimal Total, string? ConfirmationId, string? Approver);

/// <summary>
/// Every type the workflow checkpoints (its input, its result, each step's result and each callback's result),
/// source-generated so nothing reflects at run time: Native AOT needs it. A type missing here fails its step with
/// DurableSerializationException, in tests as on Lambda, and the build warns (DG1009).
/// </summary>
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(Approval))]
[JsonSerializable(typeof(OrderResult))]
[JsonSerializable(typeof(decimal))]
[JsonSerializable(typeof(string))]
public sealed partial class DurableAppJson : JsonSerializerContext;
