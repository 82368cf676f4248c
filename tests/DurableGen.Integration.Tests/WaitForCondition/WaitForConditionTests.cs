using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Integration.Tests.Serializers;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.WaitForCondition;

/// <summary>Wait-for-condition (semantics §4.7, §10.2, §11 #14 and #18).</summary>
public sealed class WaitForConditionTests
{
    private static WaitForConditionConfig<int> Until(int target, int seconds = 2, int maxAttempts = 60) => new()
    {
        InitialState = 0,
        WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(seconds), maxAttempts, isDone: s => s >= target),
    };

    [Fact]
    public async Task State_is_threaded_across_invocations_and_each_retry_is_a_StepSucceeded_with_a_delay()
    {
        var seen = new ConcurrentQueue<(int State, int Attempt)>();
        var before = new Counter();
        var runner = ReflectionRunner.Create<int, int>(async (target, ctx) =>
        {
            await ctx.StepAsync((_, _) => Task.FromResult(before.Increment()), "before");
            return await ctx.WaitForConditionAsync<int>((state, check, _) =>
            {
                seen.Enqueue((state, check.AttemptNumber));
                return Task.FromResult(state + 1);
            }, Until(3), "poll");
        });

        var result = await runner.RunAsync(3);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, result.Result);
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(1, before.Value);
        Assert.Equal(new[] { (0, 1), (1, 2), (2, 3) }, seen.ToArray());
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.StepStarted, EventType.StepSucceeded,
            EventType.InvocationCompleted, EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted,
            EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var polls = H.Of(result, EventType.StepSucceeded).Where(e => e.Name == "poll").ToList();
        Assert.All(polls, e => Assert.Equal("WaitForCondition", e.SubType));
        Assert.All(polls, e => Assert.Equal(H.RootId(2), e.Id));
        Assert.Equal(new[] { "1", "2", "3" }, polls.Select(e => e.StepSucceededDetails!.Result!.Payload));
        Assert.Equal(new int?[] { 1, 2, 3 }, polls.Select(e => e.StepSucceededDetails!.RetryDetails?.CurrentAttempt));
        Assert.Equal(new int?[] { 2, 2, null }, polls.Select(e => e.StepSucceededDetails!.RetryDetails?.NextAttemptDelaySeconds));
        var record = result.GetStep("poll");
        Assert.Equal(OperationStatus.Succeeded, record.Status);
        Assert.Equal(3, record.Attempt);
    }

    [Fact]
    public async Task Stopping_on_the_first_check_completes_without_suspending()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) =>
            ctx.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s + 5), Until(1), "poll"));

        var result = await runner.RunAsync(0);

        Assert.Equal(5, result.Result);
        Assert.Equal(1, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
    }

    [Fact]
    public async Task Completed_poll_replays_its_final_state_without_running_the_check()
    {
        var checks = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var state = await ctx.WaitForConditionAsync<int>((s, _, _) => { checks.Increment(); return Task.FromResult(s + 7); },
                Until(1), "poll");
            await ctx.WaitAsync(TimeSpan.FromSeconds(5), "later");
            return $"{state}";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("7", result.Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, checks.Value);
    }

    [Fact]
    public async Task Delay_is_rounded_up_to_whole_seconds_and_at_least_one()
    {
        var delays = new[] { TimeSpan.FromSeconds(1.2), TimeSpan.Zero, TimeSpan.FromMilliseconds(-5) };
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.WaitForConditionAsync<int>(
            (s, _, _) => Task.FromResult(s + 1),
            new WaitForConditionConfig<int>
            {
                InitialState = 0,
                WaitStrategy = WaitStrategy.FromDelegate<int>((s, attempt) =>
                    s > delays.Length ? WaitDecision.Stop() : WaitDecision.ContinueAfter(delays[attempt - 1])),
            }, "poll"));

        var result = await runner.RunAsync(0);

        Assert.Equal(4, result.Result);
        var retries = H.Of(result, EventType.StepSucceeded).Select(e => e.StepSucceededDetails!.RetryDetails?.NextAttemptDelaySeconds);
        Assert.Equal(new int?[] { 2, 1, 1, null }, retries);
    }

    [Fact]
    public async Task Check_that_throws_fails_with_a_StepException_without_asking_the_strategy_live_and_on_replay()
    {
        var decisions = new Counter();
        var checks = new Counter();
        var caught = new ConcurrentQueue<StepException>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            string outcome;
            try
            {
                await ctx.WaitForConditionAsync<int>((s, check, _) =>
                {
                    checks.Increment();
                    return check.AttemptNumber < 2 ? Task.FromResult(s + 1) : throw new TransientError("sensor offline");
                }, new WaitForConditionConfig<int>
                {
                    InitialState = 0,
                    WaitStrategy = WaitStrategy.FromDelegate<int>((_, _) =>
                    {
                        decisions.Increment();
                        return WaitDecision.ContinueAfter(TimeSpan.FromSeconds(1));
                    }),
                }, "poll");
                outcome = "no error";
            }
            catch (StepException ex)
            {
                caught.Enqueue(ex);
                outcome = $"{ex.ErrorType}: {ex.Message}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(3), "after");
            return outcome;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal($"{typeof(TransientError).FullName}: sensor offline", result.Result);
        Assert.Equal(2, checks.Value);    // attempt 1 and the failing attempt 2; never re-run on replay
        Assert.Equal(1, decisions.Value); // only after attempt 1
        Assert.Equal(2, caught.Count);    // live (invocation 2) and replayed (invocation 3)
        Assert.IsType<TransientError>(caught.First().InnerException);
        Assert.Null(caught.Last().InnerException);
        Assert.Equal(typeof(TransientError).FullName, caught.Last().ErrorType);
        var failed = H.One(result, EventType.StepFailed);
        Assert.Equal("WaitForCondition", failed.SubType);
        Assert.Equal(typeof(TransientError).FullName, failed.StepFailedDetails!.Error!.Payload!.ErrorType);
        Assert.Equal("sensor offline", failed.StepFailedDetails.Error.Payload.ErrorMessage);
        Assert.Null(failed.StepFailedDetails.RetryDetails?.NextAttemptDelaySeconds);
    }

    [Fact]
    public async Task Max_attempts_throws_WaitForConditionException_live_and_on_replay_with_attempts_and_last_state()
    {
        var caught = new ConcurrentQueue<WaitForConditionException>();
        var checks = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            string outcome;
            try
            {
                await ctx.WaitForConditionAsync<int>((s, _, _) => { checks.Increment(); return Task.FromResult(s + 10); },
                    Until(1000, seconds: 1, maxAttempts: 3), "poll");
                outcome = "met";
            }
            catch (WaitForConditionException ex)
            {
                caught.Enqueue(ex);
                outcome = $"gave up after {ex.AttemptsExhausted} at {ex.LastState}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(3), "after");
            return outcome;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("gave up after 3 at 30", result.Result);
        Assert.Equal(3, checks.Value);
        Assert.Equal(2, caught.Count);
        var (live, replayed) = (caught.First(), caught.Last());
        Assert.NotNull(live.InnerException);
        Assert.Equal(30, Assert.IsType<int>(replayed.LastState));
        Assert.Equal(3, replayed.AttemptsExhausted);
        Assert.Equal(live.Message, replayed.Message);
        var failed = H.One(result, EventType.StepFailed).StepFailedDetails!;
        Assert.Equal(typeof(WaitForConditionException).FullName, failed.Error!.Payload!.ErrorType);
        Assert.Equal("30", failed.Error.Payload.ErrorData);
        Assert.Contains("3 attempts", failed.Error.Payload.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("poll", failed.Error.Payload.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(3, failed.RetryDetails?.CurrentAttempt);
    }

    [Fact]
    public async Task Uncaught_max_attempts_fails_the_execution()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) =>
            ctx.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s), Until(1, seconds: 1, maxAttempts: 2), "poll"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(WaitForConditionException).FullName, result.Error!.ErrorType);
        Assert.Equal(2, result.InvocationCount);
    }

    [Fact]
    public async Task Strategy_that_throws_something_else_fails_the_operation_too()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s + 1), new WaitForConditionConfig<int>
                {
                    InitialState = 0,
                    WaitStrategy = WaitStrategy.FromDelegate<int>((_, _) => throw new ArgumentException("bad strategy")),
                }, "poll");
                return "no error";
            }
            catch (StepException ex)
            {
                return ex.ErrorType + "|" + ex.Message;
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal($"{typeof(ArgumentException).FullName}|bad strategy", result.Result);
        var failed = H.One(result, EventType.StepFailed).StepFailedDetails!;
        Assert.Equal(typeof(ArgumentException).FullName, failed.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Custom_state_serializer_writes_its_own_text_and_threads_state_through_it()
    {
        var serializer = new TallySerializer();
        var seen = new ConcurrentQueue<int>();
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.WaitForConditionAsync<int>((s, _, _) =>
        {
            seen.Enqueue(s);
            return Task.FromResult(s + 2);
        }, new WaitForConditionConfig<int>
        {
            InitialState = 1,
            WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(1), isDone: s => s >= 5),
            Serializer = serializer,
        }, "poll"));

        var result = await runner.RunAsync(0);

        Assert.Equal(5, result.Result);
        Assert.Equal(new[] { 1, 3 }, seen.ToArray());
        Assert.Equal(new[] { "n=3", "n=5" }, H.Of(result, EventType.StepSucceeded).Select(e => e.StepSucceededDetails!.Result!.Payload));
        // Once to read the state back for attempt 2, once for the first-run round trip of the final state.
        Assert.Equal(2, serializer.Deserialized);
    }

    [Fact]
    public async Task Crash_mid_poll_resumes_from_the_last_checkpointed_state()
    {
        var (result, seen) = await PollLosingARetryAsync(target: 3, crashedCheck: 2);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3, result.Result);
        // Attempt 2 crashed after checking state 1; the re-run is attempt 2 again, still from state 1 (not from 0).
        Assert.Equal(new[] { (0, 1), (1, 2), (1, 2), (2, 3) }, seen);
        var starts = H.Of(result, EventType.StepStarted);
        Assert.Equal(3, starts.Count); // the resumed poll sends no new START
        Assert.Equal(new[] { "1", "2", "3" }, H.Of(result, EventType.StepSucceeded).Select(e => e.StepSucceededDetails!.Result!.Payload));
    }

    [Fact]
    public async Task Crash_during_the_first_poll_restarts_from_the_initial_state()
    {
        var (result, seen) = await PollLosingARetryAsync(target: 2, crashedCheck: 1);

        Assert.Equal(2, result.Result);
        Assert.Equal(new[] { (0, 1), (0, 1), (1, 2) }, seen);
    }

    /// <summary>
    /// Polls from 0, one step per check, until <paramref name="target"/>; check number <paramref name="crashedCheck"/>
    /// (run by invocation <paramref name="crashedCheck"/>) loses its RETRY checkpoint: the invocation crashes before sending it.
    /// Returns the result and every (state, attempt) a check saw, in order.
    /// </summary>
    private static async Task<(DurableTestResult<int> Result, (int State, int Attempt)[] Seen)> PollLosingARetryAsync(
        int target, int crashedCheck)
    {
        var seen = new ConcurrentQueue<(int State, int Attempt)>();
        InProcessHost? host = null;
        string? arn = null;
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.WaitForConditionAsync<int>(async (s, check, _) =>
        {
            seen.Enqueue((s, check.AttemptNumber));
            if (seen.Count == crashedCheck)
            {
                // Let the fire-and-forget START of this poll land, so the record is STARTED when the RETRY is lost.
                await H.WaitUntilAsync(() => host!.GetOperations(arn!)
                    .Any(o => o.Name == "poll" && o.Status == OperationStatus.Started), "poll START applied");
            }

            return s + 1;
        }, Until(target, seconds: 1), "poll"), new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions
            {
                Faults = f => f.InvocationNumber == crashedCheck
                    && f.Request.Updates?.Any(u => u.Action == OperationAction.Retry) == true
                    ? CheckpointFault.CrashBeforeSending
                    : CheckpointFault.None,
            },
        });
        host = runner.Host;
        var execution = await runner.StartAsync(0);
        arn = execution.DurableExecutionArn;

        var result = await execution.WaitForResultAsync();
        return (result, seen.ToArray());
    }

    [Fact]
    public async Task Null_check_or_config_throws_before_anything_is_checkpointed()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            await Assert.ThrowsAsync<ArgumentNullException>(() => ctx.WaitForConditionAsync<int>(null!, Until(1)));
            await Assert.ThrowsAsync<ArgumentNullException>(() =>
                ctx.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s), null!));
            return await ctx.StepAsync((s, _) => Task.FromResult(s.OperationId));
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(H.Root1, result.Result);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
    }
}
