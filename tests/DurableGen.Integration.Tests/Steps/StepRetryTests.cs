using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Steps;

public sealed class StepRetryTests
{
    private static readonly StepConfig OneSecondRetries = new()
    {
        RetryStrategy = RetryStrategy.Exponential(3, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
    };

    [Fact]
    public async Task Fail_then_succeed_writes_retry_details_and_ends_the_invocation_after_the_retry()
    {
        var attempts = new Counter();
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.StepAsync((_, _) =>
            attempts.Increment() == 1 ? throw new TransientError("first") : Task.FromResult("Operation succeeded"),
            "unreliable", OneSecondRetries));

        var result = await runner.RunAsync(0);

        Assert.Equal("Operation succeeded", result.Result);
        Assert.Equal(2, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var failed = H.One(result, EventType.StepFailed);
        Assert.Equal(1, failed.StepFailedDetails!.RetryDetails!.CurrentAttempt);
        Assert.Equal(1, failed.StepFailedDetails.RetryDetails.NextAttemptDelaySeconds);
        Assert.Equal(typeof(TransientError).FullName, failed.StepFailedDetails.Error!.Payload!.ErrorType);
        Assert.Equal("first", failed.StepFailedDetails.Error.Payload.ErrorMessage);
        Assert.Equal(2, H.One(result, EventType.StepSucceeded).StepSucceededDetails!.RetryDetails!.CurrentAttempt);
        Assert.All(result.History.Where(e => e.Id is not null && e.EventType != EventType.ExecutionStarted
            && e.EventType != EventType.ExecutionSucceeded), e => Assert.Equal(H.Root1, e.Id));
        Assert.Equal(2, result.GetStep("unreliable").Attempt);
    }

    [Fact]
    public async Task Exponential_strategy_without_jitter_writes_its_exact_delays()
    {
        var attempts = new Counter();
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.Exponential(5, TimeSpan.FromSeconds(2), backoffRate: 3, jitter: JitterStrategy.None),
        };
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync((_, _) =>
        {
            var n = attempts.Increment();
            return n < 3 ? throw new TransientError("again") : Task.FromResult(n);
        }, "backoff", config));

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.Equal(3, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.StepStarted, EventType.StepSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var retries = H.Of(result, EventType.StepFailed).Select(e => e.StepFailedDetails!.RetryDetails!).ToList();
        Assert.Equal(new int?[] { 1, 2 }, retries.Select(r => r.CurrentAttempt).ToArray());
        Assert.Equal(new int?[] { 2, 6 }, retries.Select(r => r.NextAttemptDelaySeconds).ToArray());
        Assert.Equal(3, H.One(result, EventType.StepSucceeded).StepSucceededDetails!.RetryDetails!.CurrentAttempt);

        // The retry delay is real (virtual) time between the failure and the next start.
        var starts = H.Of(result, EventType.StepStarted);
        Assert.Equal(TimeSpan.FromSeconds(2), starts[1].EventTimestamp - starts[0].EventTimestamp);
        Assert.Equal(TimeSpan.FromSeconds(6), starts[2].EventTimestamp - starts[1].EventTimestamp);
    }

    [Fact]
    public async Task Exhausted_retries_end_with_a_fail_without_delay_and_a_step_exception_of_the_original_type()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) =>
            ctx.StepAsync<int>((_, _) => throw new TransientError("always"), "doomed", OneSecondRetries));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(typeof(TransientError).FullName, result.Error!.ErrorType);
        Assert.Equal("always", result.Error.ErrorMessage);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted, EventType.ExecutionFailed);
        var failures = H.Of(result, EventType.StepFailed).Select(e => e.StepFailedDetails!.RetryDetails!).ToList();
        Assert.Equal(new int?[] { 1, 2, 3 }, failures.Select(r => r.CurrentAttempt).ToArray());
        Assert.Equal(new int?[] { 1, 2, null }, failures.Select(r => r.NextAttemptDelaySeconds).ToArray());
        Assert.Equal(OperationStatus.Failed, result.GetStep("doomed").Status);
    }

    [Fact]
    public async Task Live_step_exception_keeps_the_original_as_inner_exception()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.StepAsync<int>((_, _) => throw new TransientError("inner"), "s",
                    new StepConfig { RetryStrategy = RetryStrategy.None });
                return "unreachable";
            }
            catch (StepException ex)
            {
                return $"{ex.GetType().Name}|{ex.InnerException?.GetType().Name}|{ex.ErrorType}|{ex.Message}";
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal($"StepException|TransientError|{typeof(TransientError).FullName}|inner", result.Result);
    }

    [Fact]
    public async Task RetryStrategy_None_fails_at_once()
    {
        var attempts = new Counter();
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync<int>((_, _) =>
        {
            attempts.Increment();
            throw new TransientError("once");
        }, "no-retry", new StepConfig { RetryStrategy = RetryStrategy.None }));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(1, attempts.Value);
        Assert.Equal(1, result.InvocationCount);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepFailed, EventType.InvocationCompleted,
            EventType.ExecutionFailed);
        Assert.Null(H.One(result, EventType.StepFailed).StepFailedDetails!.RetryDetails?.NextAttemptDelaySeconds);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Null_strategy_retries_with_the_default_six_attempts(bool withConfig)
    {
        var attempts = new Counter();
        var config = withConfig ? new StepConfig() : null;
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync<int>((_, _) =>
        {
            attempts.Increment();
            throw new TransientError("flaky");
        }, "defaulted", config));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(6, attempts.Value);
        Assert.Equal(6, result.InvocationCount);
        var failures = H.Of(result, EventType.StepFailed).Select(e => e.StepFailedDetails!.RetryDetails!).ToList();
        Assert.Equal(6, failures.Count);
        Assert.Equal(Enumerable.Range(1, 6).Select(i => (int?)i).ToArray(), failures.Select(r => r.CurrentAttempt).ToArray());
        Assert.Null(failures[5].NextAttemptDelaySeconds);

        // Default = Exponential(6, 5 s, 60 s, ×2, full jitter): delay n is in [1, min(5·2^(n−1), 60)].
        var caps = new[] { 5, 10, 20, 40, 60 };
        for (var i = 0; i < 5; i++)
        {
            Assert.InRange(failures[i].NextAttemptDelaySeconds!.Value, 1, caps[i]);
        }
    }

    [Fact]
    public async Task AttemptNumber_increments_and_the_strategy_sees_the_attempt_that_failed()
    {
        var seenByBody = new ConcurrentQueue<int>();
        var seenByStrategy = new ConcurrentQueue<(string Type, int Attempt)>();
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.FromDelegate((ex, attempt) =>
            {
                seenByStrategy.Enqueue((ex.GetType().Name, attempt));
                return attempt < 3 ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(4)) : RetryDecision.DoNotRetry();
            }),
        };
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync((step, _) =>
        {
            seenByBody.Enqueue(step.AttemptNumber);
            return step.AttemptNumber < 3 ? throw new TransientError("not yet") : Task.FromResult(step.AttemptNumber);
        }, "counting", config));

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.Equal(new[] { 1, 2, 3 }, seenByBody.ToArray());
        Assert.Equal(new[] { ("TransientError", 1), ("TransientError", 2) }, seenByStrategy.ToArray());
        Assert.All(H.Of(result, EventType.StepFailed),
            e => Assert.Equal(4, e.StepFailedDetails!.RetryDetails!.NextAttemptDelaySeconds));
    }

    [Fact]
    public async Task Sub_second_retry_delay_is_sent_as_one_second()
    {
        var attempts = new Counter();
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.FromDelegate((_, attempt) =>
                attempt < 2 ? RetryDecision.RetryAfter(TimeSpan.FromMilliseconds(200)) : RetryDecision.DoNotRetry()),
        };
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.StepAsync((_, _) =>
            attempts.Increment() == 1 ? throw new TransientError("quick") : Task.FromResult(7), "quick", config));

        var result = await runner.RunAsync(0);

        Assert.Equal(7, result.Result);
        Assert.Equal(1, H.One(result, EventType.StepFailed).StepFailedDetails!.RetryDetails!.NextAttemptDelaySeconds);
        Assert.Contains(result.Logs, l => l.Level == Microsoft.Extensions.Logging.LogLevel.Warning
            && l.Message.Contains("under one second", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Retryable_exception_filter_fails_other_exceptions_at_once()
    {
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.Exponential(5, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None,
                retryableExceptions: new[] { typeof(TimeoutException) }),
        };
        var runner = ReflectionRunner.Create<int, int>((_, ctx) =>
            ctx.StepAsync<int>((_, _) => throw new ArgumentException("bad input"), "filtered", config));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(1, result.InvocationCount);
        Assert.Equal("System.ArgumentException", result.Error!.ErrorType);
    }

    [Fact]
    public async Task A_retry_not_yet_due_on_replay_suspends_again_without_an_update()
    {
        var attempts = new Counter();
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.FromDelegate((_, attempt) =>
                attempt < 2 ? RetryDecision.RetryAfter(TimeSpan.FromMinutes(1)) : RetryDecision.DoNotRetry()),
        };
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("side");
            var value = await ctx.StepAsync((_, _) =>
                attempts.Increment() == 1 ? throw new TransientError("later") : Task.FromResult("step"), "slow", config);
            return value + "+" + await callback.GetResultAsync();
        });
        var execution = await runner.StartAsync(0);
        var callback = await execution.WaitForCallbackAsync("side");

        // Completing the callback re-invokes the function while the step's retry is still a minute away.
        await callback.SucceedAsync("cb");
        await H.RunInvocationsAsync(runner.Host, execution.DurableExecutionArn, 2);
        var middle = execution.GetResult();
        Assert.Equal(1, attempts.Value);
        H.AssertEvents(middle, EventType.CallbackStarted, EventType.StepStarted, EventType.StepFailed,
            EventType.InvocationCompleted, EventType.CallbackSucceeded, EventType.InvocationCompleted);

        var result = await execution.WaitForResultAsync();

        Assert.Equal("step+cb", result.Result);
        Assert.Equal(2, attempts.Value);
        Assert.Equal(3, result.InvocationCount);
    }

    [Fact]
    public async Task Try_catch_around_an_exhausted_step_lets_the_workflow_continue()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            string outcome;
            try
            {
                outcome = await ctx.StepAsync<string>((_, _) => throw new TransientError("down"), "primary",
                    OneSecondRetries);
            }
            catch (StepException ex) when (ex.ErrorType == typeof(TransientError).FullName)
            {
                outcome = await ctx.StepAsync((_, _) => Task.FromResult("fallback"), "secondary");
            }

            return outcome;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("fallback", result.Result);
        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(OperationStatus.Failed, result.GetStep("primary").Status);
        Assert.Equal(OperationStatus.Succeeded, result.GetStep("secondary").Status);
        Assert.Equal(H.Root2, result.GetStep("secondary").Id);
    }
}
