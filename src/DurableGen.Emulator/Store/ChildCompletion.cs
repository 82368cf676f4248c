using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>The outcome of a chained-invoke child, waiting to be delivered to the caller.</summary>
/// <param name="OperationId">The CHAINED_INVOKE operation in the caller.</param>
/// <param name="Status">The child's final status.</param>
/// <param name="Result">The child's result (succeeded).</param>
/// <param name="Error">The child's error (otherwise).</param>
internal sealed record ChildCompletion(string OperationId, ExecutionStatus Status, string? Result, ErrorObject? Error);
