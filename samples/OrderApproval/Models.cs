using System.Text.Json.Serialization;

namespace OrderApproval;

/// <summary>An order waiting for a manager's approval.</summary>
public sealed record Order(string OrderId, string Customer, decimal Amount);

/// <summary>What the workflow sends the approver: the order and the callback id to answer.</summary>
public sealed record ApprovalRequest(string CallbackId, Order Order);

/// <summary>The approver's answer.</summary>
public sealed record ApprovalDecision(bool Approved, string Approver, string? Reason);

/// <summary>The workflow's result.</summary>
public sealed record OrderResult(string OrderId, string Status, string? ChargeId, string Approver, string? Reason);

/// <summary>Every type the workflows checkpoint, source-generated so nothing reflects at run time.</summary>
[JsonSerializable(typeof(Order))]
[JsonSerializable(typeof(ApprovalRequest))]
[JsonSerializable(typeof(ApprovalDecision))]
[JsonSerializable(typeof(OrderResult))]
[JsonSerializable(typeof(string))]
public sealed partial class OrderApprovalJson : JsonSerializerContext;
