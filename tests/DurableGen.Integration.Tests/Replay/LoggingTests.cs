using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DurableGen.Integration.Tests.Replay;

public sealed class LoggingTests
{
    private static int Count<T>(DurableTestResult<T> result, string text) =>
        result.Logs.Count(l => l.Message.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task Context_logger_lines_before_completed_work_appear_once_across_invocations()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            ctx.Logger.LogInformation("starting {Input}", input);
            var v = await ctx.StepAsync((_, _) => Task.FromResult(input.ToUpperInvariant()), "upper");
            ctx.Logger.LogInformation("after step {Value}", v);
            await ctx.WaitAsync(TimeSpan.FromSeconds(10));
            ctx.Logger.LogInformation("after wait {Value}", v);
            await ctx.WaitAsync(TimeSpan.FromSeconds(10));
            ctx.Logger.LogInformation("finished {Value}", v);
            return v;
        });

        var result = await runner.RunAsync("order-77");

        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(1, Count(result, "starting order-77"));
        Assert.Equal(1, Count(result, "after step ORDER-77"));
        Assert.Equal(1, Count(result, "after wait ORDER-77"));
        Assert.Equal(1, Count(result, "finished ORDER-77"));
        Assert.Equal(new[] { "starting", "after step", "after wait", "finished" },
            result.Logs.Where(l => l.Level == LogLevel.Information).Select(l => string.Join(' ', l.Message.Split(' ').SkipLast(1))).ToArray());
    }

    [Fact]
    public async Task Mode_unaware_logger_logs_on_every_replay()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            ctx.ConfigureLogger(new LoggerConfig { ModeAware = false });
            ctx.Logger.LogInformation("every time {Input}", input);
            await ctx.StepAsync((_, _) => Task.FromResult(1), "s");
            await ctx.WaitAsync(TimeSpan.FromSeconds(10));
            await ctx.WaitAsync(TimeSpan.FromSeconds(10));
            return input;
        });

        var result = await runner.RunAsync("abc");

        Assert.Equal(3, result.InvocationCount);
        Assert.Equal(3, Count(result, "every time abc"));
    }

    [Fact]
    public async Task Custom_logger_receives_the_lines()
    {
        var custom = new ListLogger();
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            ctx.ConfigureLogger(new LoggerConfig { CustomLogger = custom });
            ctx.Logger.LogWarning("custom {Input}", input);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return input;
        });

        var result = await runner.RunAsync("zz");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(new[] { "custom zz" }, custom.Lines.ToArray());
        Assert.Equal(0, Count(result, "custom zz"));
    }

    [Fact]
    public async Task ConfigureLogger_rejects_null()
    {
        var result = await ReflectionRunner.Create<int, int>((_, ctx) =>
        {
            ctx.ConfigureLogger(null!);
            return Task.FromResult(0);
        }).RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal("System.ArgumentNullException", result.Error!.ErrorType);
    }

    [Fact]
    public async Task Step_logger_logs_once_per_attempt_that_ran()
    {
        var config = new StepConfig
        {
            RetryStrategy = RetryStrategy.Exponential(5, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
        };
        var runner = ReflectionRunner.Create<string, int>(async (input, ctx) =>
        {
            var v = await ctx.StepAsync((step, _) =>
            {
                step.Logger.LogInformation("attempt {Attempt} for {Input}", step.AttemptNumber, input);
                return step.AttemptNumber < 3 ? throw new TransientError("x") : Task.FromResult(step.AttemptNumber);
            }, "flaky", config);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return v;
        });

        var result = await runner.RunAsync("job-9");

        Assert.Equal(3, result.Result);
        Assert.Equal(4, result.InvocationCount);
        Assert.Equal(new[] { "attempt 1 for job-9", "attempt 2 for job-9", "attempt 3 for job-9" },
            result.Logs.Where(l => l.Message.StartsWith("attempt", StringComparison.Ordinal)).Select(l => l.Message).ToArray());
    }

    [Fact]
    public async Task Child_contexts_start_with_a_mode_aware_logger()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            ctx.ConfigureLogger(new LoggerConfig { ModeAware = false });
            await ctx.RunInChildContextAsync(async (child, _) =>
            {
                child.Logger.LogInformation("child {Input}", input);
                await child.StepAsync((_, _) => Task.FromResult(1), "s");
                await child.WaitAsync(TimeSpan.FromSeconds(1));
            }, "c");
            return input;
        });

        var result = await runner.RunAsync("q");

        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, Count(result, "child q"));
    }

    private sealed class ListLogger : ILogger
    {
        public System.Collections.Concurrent.ConcurrentQueue<string> Lines { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Lines.Enqueue(formatter(state, exception));
    }
}
