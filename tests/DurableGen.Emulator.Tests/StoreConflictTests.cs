using System;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>A store refuses to save a copy of an execution loaded before its last save (a lost update); the copy
/// that was saved can be saved again.</summary>
public sealed class StoreConflictTests
{
    [Fact]
    public void The_in_memory_store_refuses_a_stale_copy() => AssertRefusesStaleCopies(new InMemoryExecutionStore());

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
