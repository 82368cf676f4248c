using System;
using System.IO;
using DurableGen.Emulator.Store;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>A store refuses to save a copy of an execution loaded before its last save (a lost update); the copy
/// that was saved can be saved again.</summary>
public sealed class StoreConflictTests
{
    [Fact]
    public void The_in_memory_store_refuses_a_stale_copy() => AssertRefusesStaleCopies(new InMemoryExecutionStore());

    [Fact]
    public void An_in_memory_commit_with_one_stale_copy_writes_nothing() => AssertCommitIsAllOrNothing(new InMemoryExecutionStore());

    [Fact]
    public void A_sqlite_commit_with_one_stale_copy_writes_nothing()
    {
        var path = Path.Combine(Path.GetTempPath(), "dg-commit-" + Guid.NewGuid().ToString("N") + ".db");
        try
        {
            using (var store = new SqliteExecutionStore(path))
            {
                AssertCommitIsAllOrNothing(store);
            }

            using var reopened = new SqliteExecutionStore(path); // what reached the file, not the cache
            Assert.Equal(1, ((IExecutionStore)reopened).Load("arn:a")!.InvocationCount);
            Assert.Equal(9, ((IExecutionStore)reopened).Load("arn:b")!.InvocationCount);
            Assert.NotNull(((IExecutionStore)reopened).Load("arn:new"));
        }
        finally
        {
            foreach (var file in new[] { path, path + "-wal", path + "-shm" })
            {
                File.Delete(file);
            }
        }
    }

    /// <summary>One commit inserting an execution and saving two, one of them stale: refused as a whole, every copy
    /// keeps the version it was loaded as, and the same commit without the stale copy then succeeds.</summary>
    internal static void AssertCommitIsAllOrNothing(IExecutionStore store)
    {
        store.Insert(new ExecutionRecord { DurableExecutionArn = "arn:a", FunctionName = "f", ExecutionName = "a" });
        store.Insert(new ExecutionRecord { DurableExecutionArn = "arn:b", FunctionName = "f", ExecutionName = "b" });
        var a = store.Load("arn:a")!;
        var b = store.Load("arn:b")!;
        var newer = store.Load("arn:b")!;
        newer.InvocationCount = 9;
        store.Save(newer);

        a.InvocationCount = 1;
        b.InvocationCount = 2;
        var inserted = new ExecutionRecord { DurableExecutionArn = "arn:new", FunctionName = "f", ExecutionName = "n" };
        var versionOfA = a.StoreVersion;
        Assert.Throws<InvalidOperationException>(() => store.Commit(new[] { inserted }, new[] { a, b }).GetAwaiter().GetResult());
        Assert.Equal(versionOfA, a.StoreVersion);
        Assert.Equal(0, store.Load("arn:a")!.InvocationCount);
        Assert.Equal(9, store.Load("arn:b")!.InvocationCount);
        Assert.Null(store.Load("arn:new"));

        store.Commit(new[] { inserted }, new[] { a }).GetAwaiter().GetResult();
        Assert.Equal(1, store.Load("arn:a")!.InvocationCount);
        Assert.NotNull(store.Load("arn:new"));
        Assert.Equal(a.StoreVersion, store.Load("arn:a")!.StoreVersion);
        Assert.Equal(versionOfA + 1, a.StoreVersion);
    }

    internal static void AssertRefusesStaleCopies(IExecutionStore store)
    {
        store.Insert(new ExecutionRecord { DurableExecutionArn = "arn:x", FunctionName = "f", ExecutionName = "x" });
        var first = store.Load("arn:x")!;
        var second = store.Load("arn:x")!;

        first.InvocationCount = 1;
        store.Save(first);
        second.InvocationCount = 2;
        var conflict = Assert.Throws<InvalidOperationException>(() => store.Save(second));
        Assert.Contains("after this copy was loaded", conflict.Message, StringComparison.Ordinal);

        first.InvocationCount = 3;
        store.Save(first); // the copy that was saved is the current version
        Assert.Equal(3, store.Load("arn:x")!.InvocationCount);
        Assert.Equal(first.StoreVersion, store.Load("arn:x")!.StoreVersion);
    }
}
