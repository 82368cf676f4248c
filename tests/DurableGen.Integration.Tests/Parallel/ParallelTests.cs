using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Integration.Tests.Serializers;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Parallel;

/// <summary>Parallel (semantics §4.8): structure, fresh sequence, replay table, failures, nesting, serializers.</summary>
public sealed class ParallelTests
{
    private static readonly ParallelConfig One = new() { MaxConcurrency = 1 };

    [Fact]
    public async Task Two_branches_one_at_a_time_give_the_exact_history_ids_and_summary()
    {
        var runner = ReflectionRunner.Create<int, string[]>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<string>(
            [
                (c, _) => c.StepAsync((_, _) => Task.FromResult("task-1")),
                (c, _) => c.StepAsync((_, _) => Task.FromResult("task-2")),
            ], "parallel", One);
            return batch.GetResults().ToArray();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(new[] { "task-1", "task-2" }, result.Result);
        H.AssertEvents(result, EventType.ContextStarted, EventType.ContextStarted, EventType.StepStarted, EventType.StepSucceeded,
            EventType.ContextSucceeded, EventType.ContextStarted, EventType.StepStarted, EventType.StepSucceeded,
            EventType.ContextSucceeded, EventType.ContextSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var parent = H.Root1;
        var (b1, b2) = (H.Sha(parent + "-1"), H.Sha(parent + "-2"));
        var contexts = result.History.Where(e => e.EventType is EventType.ContextStarted or EventType.ContextSucceeded).ToList();
        Assert.Equal(new[] { parent, b1, b1, b2, b2, parent }, contexts.Select(e => e.Id));
        Assert.Equal(new[] { "Parallel", "ParallelBranch", "ParallelBranch", "ParallelBranch", "ParallelBranch", "Parallel" },
            contexts.Select(e => e.SubType));
        Assert.Equal(new string?[] { null, parent, parent, parent, parent, null }, contexts.Select(e => e.ParentId));
        Assert.Equal(new[] { "parallel", "0", "0", "1", "1", "parallel" }, contexts.Select(e => e.Name));
        Assert.Equal(new[] { b1, b2 }, H.Of(result, EventType.StepSucceeded).Select(e => e.ParentId));
        Assert.Equal(new[] { H.ChildId(b1, 1), H.ChildId(b2, 1) }, H.Of(result, EventType.StepSucceeded).Select(e => e.Id));
        Assert.Equal("\"task-1\"", contexts[2].ContextSucceededDetails!.Result!.Payload);
        Assert.Equal(
            """{"CompletionReason":"ALL_COMPLETED","Units":[{"Index":0,"Name":"0","Status":"SUCCEEDED","Result":"\"task-1\""},{"Index":1,"Name":"1","Status":"SUCCEEDED","Result":"\"task-2\""}]}""",
            contexts[5].ContextSucceededDetails!.Result!.Payload);
    }

    [Fact]
    public async Task Named_branches_name_their_unit_records()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync(new[]
            {
                new DurableBranch<int>("fetch-a", (_, _) => Task.FromResult(1)),
                new DurableBranch<int>("fetch-b", (_, _) => Task.FromResult(2)),
            }, "both", One);
            return batch.All.Sum(i => i.Result) + batch.All.Count(i => i.Name!.StartsWith("fetch-", StringComparison.Ordinal));
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(5, result.Result);
        Assert.Equal(new[] { "fetch-a", "fetch-b" }, result.FindOperation("both")!.Children.Select(c => c.Name));
        Assert.Contains("\"Name\":\"fetch-b\"", result.FindOperation("both")!.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Completed_parallel_replays_from_its_summary_without_running_any_branch()
    {
        var runs = new Counter();
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<string>(
            [
                (_, _) => { runs.Increment(); return Task.FromResult("ok"); },
                (_, _) => { runs.Increment(); throw new TransientError("branch broke"); },
            ], "p", new ParallelConfig { CompletionConfig = CompletionConfig.AllCompleted() });
            var error = (ChildContextException)batch.Failed.Single().Error!;
            observed.Enqueue($"{batch.CompletionReason} {batch.SuccessCount}/{batch.FailureCount}/{batch.TotalCount} " +
                $"{batch.All[0].Result} {error.ErrorType} {error.Message} {error.SubType}");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1), "then");
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(2, runs.Value);
        Assert.Equal(2, observed.Count);
        Assert.Equal(observed.First(), observed.Last()); // the live and the rebuilt result read the same
        Assert.Equal($"AllCompleted 1/1/2 ok {typeof(TransientError).FullName} branch broke ParallelBranch", observed.Last());
    }

    [Fact]
    public async Task Failed_branch_leaves_the_parent_succeeded_and_ThrowIfError_throws_its_error()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>(
            [
                (c, _) => c.StepAsync<int>((_, _) => throw new TransientError("inner"), "boom", new StepConfig { RetryStrategy = RetryStrategy.None }),
                (_, _) => Task.FromResult(2),
            ], "p", One);
            var error = Assert.Throws<ChildContextException>(batch.ThrowIfError);
            return $"{batch.HasFailure} {batch.CompletionReason} {batch.TotalCount} {error.ErrorType} {error.Message}";
        });

        var result = await runner.RunAsync(0);

        // Fail fast by default: the second branch is never dispatched.
        Assert.Equal($"True FailureToleranceExceeded 1 {typeof(StepException).FullName} inner", result.Result);
        var parent = result.FindOperation("p")!;
        Assert.Equal(OperationStatus.Succeeded, parent.Status);
        Assert.Single(parent.Children);
        var failed = H.One(result, EventType.ContextFailed);
        Assert.Equal("ParallelBranch", failed.SubType);
        Assert.Contains("\"Status\":\"STARTED\"", parent.ResultText, StringComparison.Ordinal);
        Assert.Contains("\"CompletionReason\":\"FAILURE_TOLERANCE_EXCEEDED\"", parent.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Uncaught_ThrowIfError_fails_the_execution_with_the_branch_error()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>([(_, _) => throw new TransientError("bad branch")]);
            batch.ThrowIfError();
            return 0;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(TransientError).FullName, result.Error!.ErrorType);
        Assert.Equal("bad branch", result.Error.ErrorMessage);
    }

    [Fact]
    public async Task No_branches_write_only_the_parent_start_and_succeed()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync(Array.Empty<Func<IDurableContext, CancellationToken, Task<int>>>(), "none");
            return $"{batch.TotalCount} {batch.CompletionReason} {batch.HasFailure}";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("0 AllCompleted False", result.Result);
        H.AssertEvents(result, EventType.ContextStarted, EventType.ContextSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
        Assert.Equal("""{"CompletionReason":"ALL_COMPLETED","Units":[]}""",
            H.Of(result, EventType.ContextSucceeded)[0].ContextSucceededDetails!.Result!.Payload);
    }

    [Fact]
    public async Task Flat_branches_have_no_records_and_their_operations_report_the_parallel_as_parent()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>(
            [
                (c, _) => c.StepAsync((_, _) => Task.FromResult(1), "a"),
                (c, _) => c.StepAsync((_, _) => Task.FromResult(2), "b"),
            ], "flat", new ParallelConfig { MaxConcurrency = 1, NestingType = NestingType.Flat });
            return batch.GetResults().Sum();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        H.AssertEvents(result, EventType.ContextStarted, EventType.StepStarted, EventType.StepSucceeded, EventType.StepStarted,
            EventType.StepSucceeded, EventType.ContextSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        Assert.All(H.Of(result, EventType.StepSucceeded), e => Assert.Equal(H.Root1, e.ParentId));
        // Ids still live under the (virtual) unit ids.
        Assert.Equal(new[] { H.ChildId(H.Sha(H.Root1 + "-1"), 1), H.ChildId(H.Sha(H.Root1 + "-2"), 1) },
            H.Of(result, EventType.StepSucceeded).Select(e => e.Id));
        Assert.Contains("\"Result\":\"2\"", result.FindOperation("flat")!.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Flat_parallel_replays_its_failures_from_the_summary()
    {
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>([(_, _) => throw new TransientError("flat failure")], "flat",
                new ParallelConfig { NestingType = NestingType.Flat });
            var error = (ChildContextException)batch.GetErrors().Single();
            observed.Enqueue($"{error.ErrorType}:{error.Message}");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal($"{typeof(TransientError).FullName}:flat failure", result.Result);
        Assert.Equal(new[] { result.Result, result.Result }, observed.ToArray());
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.ContextFailed);
    }

    [Fact]
    public async Task Branch_that_suspends_resumes_the_parent_without_a_new_start_and_replays_finished_branches()
    {
        var firstRuns = new Counter();
        var steps = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>(
            [
                (c, _) => { firstRuns.Increment(); return c.StepAsync((_, _) => Task.FromResult(steps.Increment() * 0 + 1)); },
                async (c, _) =>
                {
                    await c.WaitAsync(TimeSpan.FromSeconds(5), "pause");
                    return await c.StepAsync((_, _) => { steps.Increment(); return Task.FromResult(2); });
                },
            ], "p", One);
            return batch.GetResults().Sum();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, firstRuns.Value); // branch 0's record SUCCEEDED: replayed from cache on invocation 2
        Assert.Equal(2, steps.Value);
        var parentEvents = result.History.Where(e => e.Id == H.Root1).Select(e => e.EventType);
        Assert.Equal(new[] { EventType.ContextStarted, EventType.ContextSucceeded }, parentEvents);
        Assert.Equal(2, H.Of(result, EventType.ContextStarted).Count(e => e.SubType == "ParallelBranch"));
    }

    [Fact]
    public async Task Crash_on_the_parent_succeed_re_runs_the_orchestration_over_the_branch_records()
    {
        var runs = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>(
            [
                (_, _) => Task.FromResult(runs.Increment() * 0 + 10),
                (_, _) => Task.FromResult(runs.Increment() * 0 + 20),
            ], "p", One);
            return batch.GetResults().Sum();
        }, new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                Faults = f => f.InvocationNumber == 1 && f.Request.Updates!.Any(u =>
                    u.SubType == "Parallel" && u.Action == OperationAction.Succeed)
                    ? CheckpointFault.CrashBeforeSending
                    : CheckpointFault.None,
            },
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(30, result.Result);
        Assert.Equal(2, runs.Value);
        Assert.Equal(2, result.InvocationCount);
        Assert.Single(H.Of(result, EventType.ContextStarted), e => e.SubType == "Parallel");
        Assert.Single(H.Of(result, EventType.ContextSucceeded), e => e.SubType == "Parallel");
        Assert.Equal(2, H.Of(result, EventType.ContextSucceeded).Count(e => e.SubType == "ParallelBranch"));
    }

    [Fact]
    public async Task Nested_parallel_parents_its_context_to_the_branch()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var outer = await ctx.ParallelAsync<int>(
            [
                async (c, _) => (await c.ParallelAsync<int>([(_, _) => Task.FromResult(4)], "inner")).GetResults().Single(),
            ], "outer");
            return outer.GetResults().Single();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(4, result.Result);
        var inner = result.FindOperation("inner")!;
        Assert.Equal(H.Sha(H.Root1 + "-1"), inner.ParentId);
        Assert.Equal("Parallel", inner.SubType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-3)]
    public async Task Max_concurrency_below_one_throws_before_anything_is_checkpointed(int value)
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<int>([(_, _) => Task.FromResult(1)], "p", new ParallelConfig { MaxConcurrency = value });
            return batch.TotalCount;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(ArgumentOutOfRangeException).FullName, result.Error!.ErrorType);
        H.AssertEvents(result, EventType.InvocationCompleted, EventType.ExecutionFailed);
    }

    [Fact]
    public async Task Null_branch_is_rejected()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var error = await Assert.ThrowsAsync<ArgumentException>(() =>
                ctx.ParallelAsync<int>([(_, _) => Task.FromResult(1), null!]));
            return error.ParamName!;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("branches", result.Result);
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.ContextStarted);
    }

    [Fact]
    public async Task Unbounded_parallel_runs_every_branch_at_once()
    {
        var probe = new ConcurrencyProbe(total: 5, expected: 5);
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var branches = Enumerable.Range(0, 5)
                .Select(i => (Func<IDurableContext, CancellationToken, Task<int>>)(async (_, _) => { await probe.RunAsync(); return i; }))
                .ToArray();
            return (await ctx.ParallelAsync(branches, "all")).GetResults().Sum();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(10, result.Result);
        Assert.Equal(5, probe.MaxInFlight);
    }

    [Fact]
    public async Task Item_serializer_writes_each_branch_result_and_the_summary_inlines_its_text()
    {
        var serializer = new PrefixSerializer("wrapped:");
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<string>([(_, _) => Task.FromResult("x"), (_, _) => Task.FromResult("y")], "p",
                new ParallelConfig<string> { MaxConcurrency = 1, ItemSerializer = serializer });
            observed.Enqueue(string.Join(",", batch.GetResults()));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        // First run and replay both see the serializer's round trip (its reader marks values with a quote).
        Assert.Equal(new[] { "x',y'", "x',y'" }, observed.ToArray());
        var branches = H.Of(result, EventType.ContextSucceeded).Where(e => e.SubType == "ParallelBranch");
        Assert.Equal(new[] { "wrapped:x", "wrapped:y" }, branches.Select(e => e.ContextSucceededDetails!.Result!.Payload));
        Assert.Contains("\"Result\":\"wrapped:y\"", result.FindOperation("p")!.ResultText, StringComparison.Ordinal);
        Assert.Contains(serializer.Contexts, c => c.OperationId == H.Sha(H.Root1 + "-2"));
    }

    [Fact]
    public async Task Flat_branches_with_an_item_serializer_see_the_round_trip_live_and_on_replay()
    {
        var serializer = new PrefixSerializer("wrapped:");
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<string>([(_, _) => Task.FromResult("x"), (_, _) => Task.FromResult("y")], "p",
                new ParallelConfig<string> { MaxConcurrency = 1, ItemSerializer = serializer, NestingType = NestingType.Flat });
            observed.Enqueue(string.Join(",", batch.GetResults()));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(new[] { "x',y'", "x',y'" }, observed.ToArray());
        Assert.Contains("\"Result\":\"wrapped:x\"", result.FindOperation("p")!.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Result_serializer_writes_the_parent_payload_and_replay_reads_it_back()
    {
        var serializer = new JoinSerializer();
        var observed = new ConcurrentQueue<string>();
        var runs = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.ParallelAsync<string>(
                [(_, _) => { runs.Increment(); return Task.FromResult("X"); }, (_, _) => { runs.Increment(); return Task.FromResult("Y"); }],
                "p", new ParallelConfig<string> { MaxConcurrency = 1, ResultSerializer = serializer });
            observed.Enqueue(string.Join("+", batch.GetResults()) + "/" + batch.TotalCount);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("OPSERDE:X,Y", result.FindOperation("p")!.ResultText);
        Assert.Equal(new[] { "X+Y/2", "X+Y/2" }, observed.ToArray());
        Assert.Equal(2, runs.Value);
        Assert.Equal(2, serializer.Deserialized); // the first-run round trip and the replay
    }

    /// <summary>Writes the successful results as <c>OPSERDE:a,b</c> and reads them back as succeeded items.</summary>
    internal sealed class JoinSerializer : ICheckpointSerializer<IBatchResult<string>>
    {
        private int _deserialized;

        public int Deserialized => Volatile.Read(ref _deserialized);

        public string? Serialize(IBatchResult<string> value, SerializationContext context) =>
            "OPSERDE:" + string.Join(",", value.GetResults());

        public IBatchResult<string> Deserialize(string? data, SerializationContext context)
        {
            Interlocked.Increment(ref _deserialized);
            var parts = data!["OPSERDE:".Length..].Split(',');
            return new BatchResult<string>(
                parts.Select((p, i) => (IBatchItem<string>)new BatchItem<string>(i, i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    BatchItemStatus.Succeeded, p, null)).ToList(),
                CompletionReason.AllCompleted);
        }
    }
}

/// <summary>
/// Measures how many unit bodies run at once: each body enters, then holds until <c>expected</c> bodies are in flight
/// (or every unit has entered, for the tail), so the maximum reaches the bound whenever the scheduler allows it.
/// </summary>
internal sealed class ConcurrencyProbe(int total, int expected)
{
    private int _inFlight;
    private int _max;
    private int _entered;

    public int MaxInFlight => Volatile.Read(ref _max);

    public async Task RunAsync()
    {
        var now = Interlocked.Increment(ref _inFlight);
        Interlocked.Increment(ref _entered);
        int seen;
        while ((seen = Volatile.Read(ref _max)) < now && Interlocked.CompareExchange(ref _max, now, seen) != seen)
        {
        }

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while (Volatile.Read(ref _inFlight) < expected && Volatile.Read(ref _entered) < total && DateTime.UtcNow < deadline)
        {
            await Task.Delay(2).ConfigureAwait(false);
        }

        Interlocked.Decrement(ref _inFlight);
    }
}
