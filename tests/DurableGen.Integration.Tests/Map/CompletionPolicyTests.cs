using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Map;

/// <summary>
/// Completion policies (semantics §4.8) on maps whose items succeed (S) or fail (F) per a pattern, one at a time so the
/// dispatch decisions are deterministic. Each case also replays the completed map after a wait and checks the rebuilt
/// result reads the same as the live one.
/// </summary>
public sealed class CompletionPolicyTests
{
    private sealed record Outcome(string Live, string Replayed, DurableTestResult<string> Result, int BodiesRun);

    private static async Task<Outcome> Run(string pattern, CompletionConfig? completion, int? maxConcurrency = 1)
    {
        var runs = new Counter();
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            var config = new MapConfig<char> { MaxConcurrency = maxConcurrency };
            if (completion is not null)
            {
                config.CompletionConfig = completion;
            }

            var batch = await ctx.MapAsync<char, int>(input.ToCharArray(), (_, item, i, _, _) =>
            {
                runs.Increment();
                return item == 'F' ? throw new TransientError($"item {i}") : Task.FromResult(i);
            }, "m", config);
            observed.Enqueue($"{batch.CompletionReason} total={batch.TotalCount} ok={batch.SuccessCount} " +
                $"failed={batch.FailureCount} started={batch.StartedCount} all=[{string.Join(",", batch.All.Select(x => x.Index))}] " +
                $"errors=[{string.Join(",", batch.GetErrors().Select(e => e.Message))}]");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(pattern);
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, observed.Count);
        var parent = result.FindOperation("m")!;
        Assert.Equal(OperationStatus.Succeeded, parent.Status); // whatever the completion reason
        return new Outcome(observed.First(), observed.Last(), result, runs.Value);
    }

    private static int Dispatched(Outcome outcome) =>
        H.Of(outcome.Result, EventType.ContextStarted).Count(e => e.SubType == "MapIteration");

    [Fact]
    public async Task Zero_items_complete_with_only_the_parent_records()
    {
        var outcome = await Run("", null);

        Assert.Equal("AllCompleted total=0 ok=0 failed=0 started=0 all=[] errors=[]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
        H.AssertEvents(outcome.Result, EventType.ContextStarted, EventType.ContextSucceeded, EventType.WaitStarted,
            EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
    }

    [Fact]
    public async Task Default_policy_fails_fast_and_counts_only_dispatched_units()
    {
        var outcome = await Run("SFSS", null);

        Assert.Equal("FailureToleranceExceeded total=2 ok=1 failed=1 started=0 all=[0,1] errors=[item 1]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
        Assert.Equal(2, Dispatched(outcome));
        Assert.Equal(2, outcome.BodiesRun);
        var summary = outcome.Result.FindOperation("m")!.ResultText!;
        Assert.Contains("{\"Index\":2,\"Name\":\"2\",\"Status\":\"STARTED\"}", summary, StringComparison.Ordinal);
        Assert.Contains("{\"Index\":3,\"Name\":\"3\",\"Status\":\"STARTED\"}", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task All_failing_with_AllCompleted_runs_everything_and_still_succeeds_the_parent()
    {
        var outcome = await Run("FFF", CompletionConfig.AllCompleted());

        Assert.Equal("AllCompleted total=3 ok=0 failed=3 started=0 all=[0,1,2] errors=[item 0,item 1,item 2]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
        Assert.Equal(3, H.Of(outcome.Result, EventType.ContextFailed).Count);
    }

    [Fact]
    public async Task Tolerated_failure_count_exactly_at_the_limit_does_not_stop()
    {
        var outcome = await Run("FSSF", new CompletionConfig { ToleratedFailureCount = 2 });

        Assert.Equal("AllCompleted total=4 ok=2 failed=2 started=0 all=[0,1,2,3] errors=[item 0,item 3]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
    }

    [Fact]
    public async Task Tolerated_failure_count_exceeded_by_one_stops_dispatching()
    {
        var outcome = await Run("FSFSS", new CompletionConfig { ToleratedFailureCount = 1 });

        Assert.Equal("FailureToleranceExceeded total=3 ok=1 failed=2 started=0 all=[0,1,2] errors=[item 0,item 2]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
        Assert.Equal(3, Dispatched(outcome));
    }

    [Fact]
    public async Task Tolerated_failure_percentage_is_a_ratio_of_all_declared_units_compared_strictly()
    {
        // 1 of 4 = 0.25 is not above 0.25 (CT 8-22); the second failure (0.5) is.
        var atLimit = await Run("SFSS", new CompletionConfig { ToleratedFailurePercentage = 0.25 });
        var over = await Run("FFSS", new CompletionConfig { ToleratedFailurePercentage = 0.25 });

        Assert.Equal("AllCompleted total=4 ok=3 failed=1 started=0 all=[0,1,2,3] errors=[item 1]", atLimit.Live);
        Assert.Equal("FailureToleranceExceeded total=2 ok=0 failed=2 started=0 all=[0,1] errors=[item 0,item 1]", over.Live);
        Assert.Equal(over.Live, over.Replayed);
    }

    [Fact]
    public async Task Min_successful_stops_dispatching_and_leaves_the_rest_out_of_the_result()
    {
        var outcome = await Run("SSSS", new CompletionConfig { MinSuccessful = 2 });

        Assert.Equal("MinSuccessfulReached total=2 ok=2 failed=0 started=0 all=[0,1] errors=[]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
        Assert.Equal(2, Dispatched(outcome));
        Assert.Equal(2, outcome.BodiesRun);
        var summary = outcome.Result.FindOperation("m")!.ResultText!;
        Assert.Equal(2, summary.Split("\"Status\":\"STARTED\"").Length - 1); // one entry per declared unit
        Assert.Contains("\"CompletionReason\":\"MIN_SUCCESSFUL_REACHED\"", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Min_successful_equal_to_the_item_count_is_all_completed()
    {
        var outcome = await Run("SSS", new CompletionConfig { MinSuccessful = 3 });

        Assert.Equal("AllCompleted total=3 ok=3 failed=0 started=0 all=[0,1,2] errors=[]", outcome.Live);
    }

    [Fact]
    public async Task Min_successful_alone_never_stops_on_failures()
    {
        var outcome = await Run("FFFS", new CompletionConfig { MinSuccessful = 2 });

        Assert.Equal("AllCompleted total=4 ok=1 failed=3 started=0 all=[0,1,2,3] errors=[item 0,item 1,item 2]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
    }

    [Fact]
    public async Task First_successful_stops_at_the_first_success_after_failures()
    {
        var outcome = await Run("FSSS", CompletionConfig.FirstSuccessful());

        Assert.Equal("MinSuccessfulReached total=2 ok=1 failed=1 started=0 all=[0,1] errors=[item 0]", outcome.Live);
        Assert.Equal(outcome.Live, outcome.Replayed);
    }

    [Fact]
    public async Task Tolerance_is_checked_before_min_successful()
    {
        var outcome = await Run("FFS", new CompletionConfig { MinSuccessful = 1, ToleratedFailureCount = 1 });

        Assert.Equal("FailureToleranceExceeded total=2 ok=0 failed=2 started=0 all=[0,1] errors=[item 0,item 1]", outcome.Live);
    }

    [Fact]
    public void Invalid_limits_are_rejected_by_the_config()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionConfig { MinSuccessful = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionConfig { ToleratedFailureCount = -1 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionConfig { ToleratedFailurePercentage = 25 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new CompletionConfig { ToleratedFailurePercentage = double.NaN });
    }

    [Fact]
    public async Task Units_in_flight_when_the_run_is_decided_bail_as_started_and_replay_the_same()
    {
        var observed = new ConcurrentQueue<string>();
        var bailed = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>(new[] { 0, 1, 2 }, async (_, item, _, _, token) =>
            {
                if (item == 0)
                {
                    return 0;
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, token);
                }
                catch (OperationCanceledException)
                {
                    bailed.Increment();
                    throw;
                }

                return item;
            }, "m", new MapConfig<int> { CompletionConfig = CompletionConfig.FirstSuccessful() });
            observed.Enqueue($"{batch.CompletionReason} total={batch.TotalCount} ok={batch.SuccessCount} " +
                $"started={batch.StartedCount} [{string.Join(",", batch.Started.Select(s => s.Index))}]");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(2, bailed.Value);
        Assert.Equal("MinSuccessfulReached total=3 ok=1 started=2 [1,2]", observed.First());
        Assert.Equal(OperationStatus.Succeeded, result.FindOperation("m")!.Status);
        Assert.Equal(observed.First(), observed.Last());
        var summary = result.FindOperation("m")!.ResultText!;
        Assert.Contains("{\"Index\":1,\"Name\":\"1\",\"Status\":\"STARTED\",\"Dispatched\":true}", summary, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bailed_units_stay_in_the_result_when_an_overflowing_summary_is_replayed_over_the_children()
    {
        var observed = new ConcurrentQueue<string>();
        var runs = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var batch = await ctx.MapAsync<int, string>(new[] { 0, 1, 2 }, async (_, item, _, _, token) =>
            {
                runs.Increment();
                if (item < 2)
                {
                    return new string((char)('v' + item), 150 * 1024);
                }

                await Task.Delay(Timeout.Infinite, token);
                return "never";
            }, "m", new MapConfig<int> { CompletionConfig = new CompletionConfig { MinSuccessful = 2 } });
            observed.Enqueue($"{batch.CompletionReason} total={batch.TotalCount} ok={batch.SuccessCount} started={batch.StartedCount} " +
                $"[{string.Join(",", batch.Started.Select(s => s.Index))}] {string.Join("", batch.GetResults().Select(r => $"{r[0]}{r.Length}"))}");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return observed.Last();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal($"MinSuccessfulReached total=3 ok=2 started=1 [2] v{150 * 1024}w{150 * 1024}", observed.First());
        Assert.Equal(observed.First(), observed.Last());
        Assert.Equal(3, runs.Value); // the finished units replay from their own records
        var map = result.FindOperation("m")!;
        Assert.True(map.Record.ContextDetails!.ReplayChildren);
        Assert.Contains("{\"Index\":2,\"Name\":\"2\",\"Status\":\"STARTED\",\"Dispatched\":true}", map.ResultText, StringComparison.Ordinal);
    }
}
