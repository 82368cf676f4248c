using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Integration.Tests.Parallel;
using DurableGen.Integration.Tests.Serializers;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Map;

/// <summary>Map (semantics §4.8): structure, item namer, replay, overflow, serializers, concurrency bound.</summary>
public sealed class MapTests
{
    [Fact]
    public async Task Items_one_at_a_time_give_the_exact_history_with_namer_names_and_positional_ids()
    {
        var runner = ReflectionRunner.Create<string[], string>(async (items, ctx) =>
        {
            var batch = await ctx.MapAsync<string, string>(items,
                (c, item, i, all, _) => c.StepAsync((_, _) => Task.FromResult($"{item}:{i}/{all.Count}"), "work"),
                "map", new MapConfig<string> { MaxConcurrency = 1, ItemNamer = (item, i) => $"item-{item}-{i}" });
            return string.Join(",", batch.GetResults());
        });

        var result = await runner.RunAsync(new[] { "a", "b", "c" });

        Assert.Equal("a:0/3,b:1/3,c:2/3", result.Result);
        var perUnit = new[] { EventType.ContextStarted, EventType.StepStarted, EventType.StepSucceeded, EventType.ContextSucceeded };
        H.AssertEvents(result, new[] { EventType.ContextStarted }.Concat(perUnit).Concat(perUnit).Concat(perUnit)
            .Concat(new[] { EventType.ContextSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded }).ToArray());
        var map = result.FindOperation("map")!;
        Assert.Equal(H.Root1, map.Id);
        Assert.Equal("Map", map.SubType);
        Assert.Equal(new[] { "item-a-0", "item-b-1", "item-c-2" }, map.Children.Select(c => c.Name));
        Assert.Equal(Enumerable.Range(1, 3).Select(i => H.Sha($"{H.Root1}-{i}")), map.Children.Select(c => c.Id));
        Assert.All(map.Children, c => Assert.Equal("MapIteration", c.SubType));
        Assert.Equal(map.Children.Select(c => H.ChildId(c.Id, 1)), map.Children.Select(c => Assert.Single(c.Children).Id));
        Assert.Equal(
            """{"CompletionReason":"ALL_COMPLETED","Units":[{"Index":0,"Name":"item-a-0","Status":"SUCCEEDED","Result":"\"a:0/3\""},{"Index":1,"Name":"item-b-1","Status":"SUCCEEDED","Result":"\"b:1/3\""},{"Index":2,"Name":"item-c-2","Status":"SUCCEEDED","Result":"\"c:2/3\""}]}""",
            map.ResultText);
    }

    [Fact]
    public async Task Completed_map_rebuilds_from_its_summary_without_running_units_even_though_unit_records_are_pruned()
    {
        var runs = new Counter();
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 1, 2, 3 }, (_, item, _, _, _) =>
            {
                runs.Increment();
                return item == 2 ? throw new TransientError("two") : Task.FromResult(item * 100);
            }, "m", new MapConfig<int> { CompletionConfig = CompletionConfig.AllCompleted(), MaxConcurrency = 2 });
            observed.Enqueue($"{batch.CompletionReason} {string.Join("|", batch.All.Select(i => $"{i.Index}:{i.Name}:{i.Status}:{i.Result}:{i.Error?.Message}"))}");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, runs.Value);
        Assert.Equal("AllCompleted 0:0:Succeeded:100:|1:1:Failed:0:two|2:2:Succeeded:300:", result.Result);
        Assert.Equal(new[] { result.Result, result.Result }, observed.ToArray());
    }

    [Fact]
    public async Task Crash_after_a_unit_succeeded_resumes_with_the_finished_units_replayed()
    {
        var runs = new ConcurrentQueue<int>();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 1, 2, 3 }, async (c, item, _, _, _) =>
            {
                runs.Enqueue(item);
                return await c.StepAsync((_, _) => Task.FromResult(item * 2), "double");
            }, "m", new MapConfig<int> { MaxConcurrency = 1 });
            return batch.GetResults().Sum();
        }, new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                // Lose the SUCCEED of the second unit: unit 1 is done, unit 2's step is done, unit 2 itself is STARTED.
                Faults = f => f.InvocationNumber == 1 && f.Request.Updates!.Any(u =>
                    u.SubType == "MapIteration" && u.Action == OperationAction.Succeed && u.Name == "1")
                    ? CheckpointFault.CrashBeforeSending
                    : CheckpointFault.None,
            },
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(12, result.Result);
        Assert.Equal(new[] { 1, 2, 2, 3 }, runs.ToArray()); // unit 2's body re-runs; its step replays
        Assert.Equal(3, H.Of(result, EventType.StepSucceeded).Count);
        Assert.Equal(3, H.Of(result, EventType.ContextStarted).Count(e => e.SubType == "MapIteration"));
        Assert.Equal(3, H.Of(result, EventType.ContextSucceeded).Count(e => e.SubType == "MapIteration"));
        Assert.Single(H.Of(result, EventType.ContextStarted), e => e.SubType == "Map");
    }

    [Fact]
    public async Task Flat_map_has_no_iteration_records_and_inner_operations_report_the_map_as_parent()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
            (await ctx.MapAsync<int, int>(new[] { 5, 6 }, (c, item, _, _, _) => c.StepAsync((_, _) => Task.FromResult(item), "s"),
                "m", new MapConfig<int> { NestingType = NestingType.Flat, MaxConcurrency = 1 })).GetResults().Sum());

        var result = await runner.RunAsync(0);

        Assert.Equal(11, result.Result);
        Assert.DoesNotContain(result.History, e => e.SubType == "MapIteration");
        Assert.All(H.Of(result, EventType.StepStarted), e => Assert.Equal(H.Root1, e.ParentId));
        Assert.Equal(2, result.FindOperation("m")!.Children.Count);
    }

    [Fact]
    public async Task Summary_over_256_KiB_sets_ReplayChildren_and_replay_re_runs_only_finished_units()
    {
        const int size = 100 * 1024;
        var bodies = new ConcurrentQueue<int>();
        var steps = new Counter();
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, string>(new[] { 0, 1, 2, 3, 4 }, async (c, item, _, _, _) =>
            {
                bodies.Enqueue(item);
                if (item == 1)
                {
                    throw new TransientError("item 1 broke");
                }

                return await c.StepAsync((_, _) => { steps.Increment(); return Task.FromResult(new string((char)('a' + item), size)); }, "big");
            }, "m", new MapConfig<int>
            {
                MaxConcurrency = 1,
                CompletionConfig = new CompletionConfig { MinSuccessful = 3 },
            });
            observed.Enqueue($"{batch.CompletionReason} {batch.TotalCount} {batch.SuccessCount} {batch.FailureCount} " +
                $"{string.Join("", batch.GetResults().Select(r => $"{r[0]}{r.Length}"))} {batch.Failed.Single().Error!.Message}");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        var expected = $"MinSuccessfulReached 4 3 1 a{size}c{size}d{size} item 1 broke";
        Assert.Equal(new[] { expected, expected }, observed.ToArray());
        Assert.Equal(3, steps.Value);
        Assert.Equal(new[] { 0, 1, 2, 3 }, bodies.ToArray()); // unit records replay: no unit body re-runs, item 4 never runs
        var map = result.FindOperation("m")!;
        Assert.True(map.Record.ContextDetails!.ReplayChildren);
        Assert.Equal(4, map.Children.Count); // kept by the service because of ReplayChildren
        Assert.DoesNotContain("\"Result\"", map.ResultText, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Error\"", map.ResultText, StringComparison.Ordinal);
        Assert.Contains("{\"Index\":4,\"Name\":\"4\",\"Status\":\"STARTED\"}", map.ResultText, StringComparison.Ordinal);
        Assert.Contains("\"CompletionReason\":\"MIN_SUCCESSFUL_REACHED\"", map.ResultText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Summary_just_under_the_limit_is_inlined()
    {
        // Two units; the summary grows by one byte per character of the second result.
        static string Summary(int n) => $$"""{"CompletionReason":"ALL_COMPLETED","Units":[{"Index":0,"Name":"0","Status":"SUCCEEDED","Result":"\"\""},{"Index":1,"Name":"1","Status":"SUCCEEDED","Result":"\"{{new string('z', n)}}\""}]}""";
        var n = 256 * 1024 - Encoding.UTF8.GetByteCount(Summary(0));
        Assert.Equal(262_144, Encoding.UTF8.GetByteCount(Summary(n)));
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
            (await ctx.MapAsync<int, string>(new[] { 0, n }, (_, item, _, _, _) => Task.FromResult(new string('z', item)), "m",
                new MapConfig<int> { MaxConcurrency = 1 })).GetResults().Sum(r => r.Length));

        var result = await runner.RunAsync(0);

        Assert.Equal(n, result.Result);
        var map = result.FindOperation("m")!;
        Assert.NotEqual(true, map.Record.ContextDetails!.ReplayChildren);
        Assert.Equal(Summary(n), map.ResultText);
    }

    [Fact]
    public async Task Item_serializer_writes_each_iteration_and_first_run_matches_replay()
    {
        var serializer = new PrefixSerializer("wrapped:");
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<string[], string>(async (items, ctx) =>
        {
            var batch = await ctx.MapAsync<string, string>(items, (_, item, _, _, _) => Task.FromResult(item), "m",
                new MapConfig<string, string> { MaxConcurrency = 1, ItemSerializer = serializer });
            observed.Enqueue(string.Join(",", batch.GetResults()));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(new[] { "X", "Y" });

        Assert.Equal(new[] { "X',Y'", "X',Y'" }, observed.ToArray());
        Assert.Equal(new[] { "wrapped:X", "wrapped:Y" },
            H.Of(result, EventType.ContextSucceeded).Where(e => e.SubType == "MapIteration").Select(e => e.ContextSucceededDetails!.Result!.Payload));
    }

    [Fact]
    public async Task Result_serializer_payload_is_exact_and_replay_goes_through_its_deserializer()
    {
        var serializer = new ParallelTests.JoinSerializer();
        var runs = new Counter();
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<string[], string>(async (items, ctx) =>
        {
            var batch = await ctx.MapAsync<string, string>(items, (_, item, _, _, _) => { runs.Increment(); return Task.FromResult(item); },
                "m", new MapConfig<string, string> { MaxConcurrency = 1, ResultSerializer = serializer });
            observed.Enqueue(string.Join(",", batch.GetResults()));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(new[] { "X", "Y" });

        Assert.Equal("OPSERDE:X,Y", result.FindOperation("m")!.ResultText);
        Assert.Equal(new[] { "X,Y", "X,Y" }, observed.ToArray());
        Assert.Equal(2, runs.Value);
        Assert.Equal(2, serializer.Deserialized);
    }

    [Theory]
    [InlineData(1, 6)]
    [InlineData(2, 6)]
    [InlineData(3, 8)]
    [InlineData(4, 4)]
    public async Task Max_concurrency_bounds_the_unit_bodies_in_flight(int max, int items)
    {
        var probe = new ConcurrencyProbe(total: items, expected: max);
        var runner = ReflectionRunner.Create<int, int>(async (count, ctx) =>
            (await ctx.MapAsync<int, int>(Enumerable.Range(0, count).ToArray(), async (c, item, _, _, _) =>
            {
                await probe.RunAsync();
                return await c.StepAsync((_, _) => Task.FromResult(item), "s");
            }, "m", new MapConfig<int> { MaxConcurrency = max })).GetResults().Sum());

        var result = await runner.RunAsync(items);

        Assert.Equal(Enumerable.Range(0, items).Sum(), result.Result);
        Assert.Equal(max, probe.MaxInFlight);
    }

    [Fact]
    public async Task Max_concurrency_also_bounds_steps_that_run_in_the_units()
    {
        var probe = new ConcurrencyProbe(total: 9, expected: 3);
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
            (await ctx.MapAsync<int, int>(Enumerable.Range(0, 9).ToArray(), (c, item, _, _, _) =>
                c.StepAsync(async (_, _) => { await probe.RunAsync(); return item; }, "s"),
                "m", new MapConfig<int> { MaxConcurrency = 3 })).GetResults().Sum());

        var result = await runner.RunAsync(0);

        Assert.Equal(36, result.Result);
        Assert.Equal(3, probe.MaxInFlight);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void Max_concurrency_below_one_is_rejected_by_the_config(int value)
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new MapConfig<int> { MaxConcurrency = value });
        Assert.Equal("MaxConcurrency", error.ParamName);
    }

    [Fact]
    public async Task Max_concurrency_below_one_fails_the_execution_with_no_operation_events()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
            (await ctx.MapAsync<int, int>(new[] { 1 }, (_, i, _, _, _) => Task.FromResult(i), "m",
                new MapConfig<int> { MaxConcurrency = 0 })).TotalCount);

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        H.AssertEvents(result, EventType.InvocationCompleted, EventType.ExecutionFailed);
    }

    [Fact]
    public async Task Null_items_or_function_are_rejected_before_an_id_is_taken()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            await Assert.ThrowsAsync<ArgumentNullException>(() => ctx.MapAsync<int, int>(null!, (_, i, _, _, _) => Task.FromResult(i)));
            await Assert.ThrowsAsync<ArgumentNullException>(() => ctx.MapAsync<int, int>(new[] { 1 }, null!));
            return await ctx.StepAsync((s, _) => Task.FromResult(s.OperationId));
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(H.Root1, result.Result);
    }

    [Fact]
    public async Task Renamed_item_on_replay_is_non_deterministic()
    {
        var invocation = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var prefix = invocation.Increment() == 1 ? "old" : "new";
            var batch = await ctx.MapAsync<int, int>(new[] { 1 }, (_, i, _, _, _) => Task.FromResult(i), "m",
                new MapConfig<int> { ItemNamer = (_, i) => $"{prefix}-{i}" });
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return batch.TotalCount;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(NonDeterministicExecutionException).FullName, result.Error!.ErrorType);
        Assert.Contains("new-0", result.Error.ErrorMessage, StringComparison.Ordinal);
    }
}
