namespace DurableGen.Emulator.Store;

/// <summary>What a <see cref="SqliteExecutionStore"/> commit survives once it is acknowledged (a checkpoint answered, an
/// execution started, an invocation's outcome recorded).</summary>
public enum CommitDurability
{
    /// <summary>
    /// A crash or kill -9 of the service: the transaction is in the write-ahead log when its commit is acknowledged,
    /// and the operating system keeps a killed process's writes (SQLite's WAL with <c>synchronous=NORMAL</c>). A power
    /// cut or an operating-system crash may take back the last commits, never leaving the file inconsistent; the log
    /// reaches the disk at every WAL checkpoint. The default of a local service: it costs no <c>fsync</c> per commit,
    /// which on this project's reference machine was most of a checkpoint's round trip.
    /// </summary>
    ProcessCrash,

    /// <summary>
    /// A power cut as well: the write-ahead log is synced to the disk (<c>fsync</c>) before a commit is acknowledged
    /// (<c>synchronous=FULL</c>), as the durable execution service on AWS keeps what it acknowledged. Commits that queue
    /// during one sync share the next.
    /// </summary>
    PowerLoss,
}
