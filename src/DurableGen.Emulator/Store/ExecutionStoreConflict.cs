using System;

namespace DurableGen.Emulator.Store;

/// <summary>The error a store raises when asked to save a copy of an execution that was saved since the copy was
/// loaded: applying it would lose the other save's changes.</summary>
internal static class ExecutionStoreConflict
{
    public static InvalidOperationException Create(ExecutionRecord record, long storedVersion) => new(
        $"Execution {record.DurableExecutionArn} was saved (version {storedVersion}) after this copy was loaded " +
        $"(version {record.StoreVersion}); saving it would lose that change.");
}
