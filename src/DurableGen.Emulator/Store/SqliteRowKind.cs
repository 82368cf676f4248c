namespace DurableGen.Emulator.Store;

/// <summary>The statements of <see cref="SqliteGroupCommitWriter"/>.</summary>
internal enum SqliteRowKind
{
    /// <summary>An execution's row: indexed columns, the record's JSON without operations and events, the deferred event.</summary>
    Execution,

    /// <summary>One operation (arn, position, JSON).</summary>
    Operation,

    /// <summary>One history event (arn, position, JSON).</summary>
    Event,
}
