using System;
using System.IO;
using System.Threading.Tasks;
using DurableGen.Emulator.Store;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// What an acknowledged commit survives, as SQLite is told on the connection every commit goes through: for a local
/// service, a crash or kill of the service unless asked for more (the write-ahead log without an fsync per transaction,
/// which <see cref="GroupCommitCrashTests"/> kills the service against); a power cut as well when asked, and for a
/// store opened by path alone, as before the option existed.
/// </summary>
public sealed class CommitDurabilityTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-durability-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_local_service_syncs_no_commit_to_the_disk_unless_asked()
    {
        var options = new LocalServiceOptions { DatabasePath = Path.Combine(_directory, "default.db") };
        await using var service = new LocalDurableService(options);

        Assert.Equal(CommitDurability.ProcessCrash, service.SqliteStore!.Durability);
        Assert.Equal(1, service.SqliteStore.WriterSynchronous); // NORMAL: in WAL mode, synced at checkpoints only
    }

    [Fact]
    public void A_store_opened_by_path_alone_syncs_every_commit_as_it_always_did()
    {
        using var store = new SqliteExecutionStore(Path.Combine(_directory, "fsync.db"));

        Assert.Equal(CommitDurability.PowerLoss, store.Durability);
        Assert.Equal(2, store.WriterSynchronous); // FULL: the WAL synced before each commit is acknowledged
    }

    [Fact]
    public async Task A_service_opens_its_database_with_the_durability_of_its_options()
    {
        var options = new LocalServiceOptions
        {
            DatabasePath = Path.Combine(_directory, "service.db"),
            CommitDurability = CommitDurability.PowerLoss,
        };
        await using var service = new LocalDurableService(options);

        Assert.Equal(2, service.SqliteStore!.WriterSynchronous);
    }
}
