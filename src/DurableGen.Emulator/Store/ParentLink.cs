namespace DurableGen.Emulator.Store;

/// <summary>Links a chained-invoke child execution to the operation that started it.</summary>
/// <param name="ParentArn">The calling execution.</param>
/// <param name="OperationId">The CHAINED_INVOKE operation in the caller.</param>
/// <param name="Delivered">Whether the child's outcome was handed to the caller.</param>
internal sealed record ParentLink(string ParentArn, string OperationId, bool Delivered = false);
