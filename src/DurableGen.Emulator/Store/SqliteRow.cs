namespace DurableGen.Emulator.Store;

/// <summary>One row a commit writes, prepared under the store's lock (so the writer thread never reads a record the
/// engine may be changing): the parameter values of its kind's statement, in the statement's order.</summary>
/// <param name="Kind">Which statement.</param>
/// <param name="Values">Its parameter values (null = SQL NULL; JSON columns as UTF-8 bytes).</param>
internal readonly record struct SqliteRow(SqliteRowKind Kind, object?[] Values);
