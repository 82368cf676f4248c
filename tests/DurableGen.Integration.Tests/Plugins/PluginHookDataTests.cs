using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Plugins;

/// <summary>
/// What the hooks carry for a tracer (otel.md §6.3): times on the execution's clock, attempt start and end times of
/// their own (AWS plugin requirement 10-21), the invocation's trace header, flat child contexts, and a scope around
/// user code that an AsyncLocal set by the start hook lives in.
/// </summary>
public sealed class PluginHookDataTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private sealed class Recorder : IDurableExecutionPlugin
    {
        public static readonly AsyncLocal<string?> Scope = new();

        public ConcurrentQueue<InvocationStartInfo> Starts { get; } = new();

        public ConcurrentQueue<InvocationEndInfo> Ends { get; } = new();

        public ConcurrentQueue<UserFunctionInfo> FunctionStarts { get; } = new();

        public ConcurrentQueue<UserFunctionInfo> FunctionEnds { get; } = new();

        public ConcurrentQueue<(string Hook, OperationInfo Info)> Operations { get; } = new();

        public void OnInvocationStart(InvocationStartInfo info) => Starts.Enqueue(info);

        public void OnInvocationEnd(InvocationEndInfo info) => Ends.Enqueue(info);

        public void OnOperationStart(OperationInfo info) => Operations.Enqueue(("start", info));

        public void OnOperationEnd(OperationInfo info) => Operations.Enqueue(("end", info));

        public void OnUserFunctionStart(UserFunctionInfo info)
        {
            FunctionStarts.Enqueue(info);
            Scope.Value = $"{info.Operation.Name} attempt {info.AttemptNumber}";
        }

        public void OnUserFunctionEnd(UserFunctionInfo info) => FunctionEnds.Enqueue(info);
    }

    [Fact]
    public async Task Attempt_hooks_carry_their_own_start_and_end_times_on_the_skipped_virtual_clock()
    {
        var recorder = new Recorder();
        var attempts = 0;
        var runner = ReflectionRunner.Create<string, string>(async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromHours(1), "later");
            return await ctx.StepAsync((_, _) => ++attempts == 1 ? throw new InvalidOperationException("once") : Task.FromResult("ok"),
                "flaky", new StepConfig { RetryStrategy = RetryStrategy.Exponential(3, TimeSpan.FromSeconds(10), jitter: JitterStrategy.None) });
        }, new DurableTestRunnerOptions { Host = new InProcessHostOptions { Plugins = [recorder] } });

        var result = await runner.RunAsync("x");

        Assert.Equal("ok", result.Result);
        var starts = recorder.FunctionStarts.ToArray();
        var ends = recorder.FunctionEnds.ToArray();
        Assert.Equal([1, 2], starts.Select(s => s.AttemptNumber));
        Assert.All(starts, s => Assert.Null(s.EndTimestamp));
        Assert.All(ends, e => Assert.NotNull(e.StartTimestamp));
        var first = ends[0];
        var second = ends[1];
        // The hour-long wait was skipped, and shows in every time the hooks carry.
        Assert.Equal(Epoch.AddHours(1), first.StartTimestamp);
        Assert.True(first.EndTimestamp >= first.StartTimestamp);
        // Attempt 2 starts after the retry delay, at its own time, not at the operation's first start.
        Assert.Equal(first.EndTimestamp!.Value.AddSeconds(10), second.StartTimestamp);
        Assert.NotEqual(result.GetStep("flaky").StartTimestamp, second.StartTimestamp);
        Assert.Equal(second.StartTimestamp, starts[1].StartTimestamp);
        Assert.True(second.EndTimestamp >= second.StartTimestamp);

        var invocationStarts = recorder.Starts.ToArray();
        Assert.Equal(3, invocationStarts.Length);
        Assert.Equal([Epoch, Epoch.AddHours(1), Epoch.AddHours(1).AddSeconds(10)], invocationStarts.Select(s => s.Timestamp));
        // One clock for the execution: the host's virtual one, which never reached the real date.
        var clock = Assert.Single(invocationStarts.Select(s => s.Clock).Distinct());
        Assert.InRange(clock.GetUtcNow(), Epoch.AddHours(1).AddSeconds(10), Epoch.AddDays(1));
        Assert.All(recorder.Ends, e => Assert.True(e.Timestamp >= Epoch));
    }

    [Fact]
    public async Task Every_invocation_of_an_execution_carries_a_trace_header_with_one_root_and_its_own_parent()
    {
        var recorder = new Recorder();
        var runner = ReflectionRunner.Create<string, string>(async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return "done";
        }, new DurableTestRunnerOptions { Host = new InProcessHostOptions { Plugins = [recorder] } });

        await runner.RunAsync("x");

        var headers = recorder.Starts.Select(s => s.TraceHeader!).ToArray();
        Assert.Equal(3, headers.Length);
        Assert.All(headers, h => Assert.Matches("^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=1$", h));
        Assert.Single(headers.Select(h => h.Split(';')[0]).Distinct());
        Assert.Equal(3, headers.Select(h => h.Split(';')[1]).Distinct().Count());
    }

    [Fact]
    public async Task A_flat_child_context_starts_and_ends_once_though_it_re_runs_on_every_replay()
    {
        var recorder = new Recorder();
        var runner = ReflectionRunner.Create<string, string>(async (_, ctx) =>
        {
            var flat = await ctx.RunInChildContextAsync((c, _) => c.StepAsync((_, _) => Task.FromResult("in"), "inner"),
                "flat", new ChildContextConfig { NestingType = NestingType.Flat });
            await ctx.WaitAsync(TimeSpan.FromSeconds(1), "pause");
            return flat;
        }, new DurableTestRunnerOptions { Host = new InProcessHostOptions { Plugins = [recorder] } });

        var result = await runner.RunAsync("x");

        Assert.Equal(2, result.InvocationCount);
        var flat = recorder.Operations.Where(o => o.Info.Name == "flat").ToArray();
        Assert.Equal(["start", "end"], flat.Select(f => f.Hook));
        Assert.All(flat, f => Assert.True(f.Info.IsVirtual));
        Assert.Equal(OperationStatus.Succeeded, flat[1].Info.Status);
        Assert.Equal(OperationType.Context, flat[1].Info.Type);
        Assert.NotNull(flat[1].Info.EndTimestamp);
        Assert.All(recorder.Operations, o => Assert.Equal(result.DurableExecutionArn, o.Info.DurableExecutionArn));
    }

    [Fact]
    public async Task What_the_user_function_start_hook_sets_in_an_async_local_is_seen_by_that_code_only()
    {
        var recorder = new Recorder();
        var seen = new ConcurrentQueue<string?>();
        var runner = ReflectionRunner.Create<string, string>(async (_, ctx) =>
        {
            await ctx.StepAsync(async (_, _) =>
            {
                await Task.Yield();
                seen.Enqueue(Recorder.Scope.Value);
                return 1;
            }, "one");
            seen.Enqueue(Recorder.Scope.Value);
            var results = await ctx.ParallelAsync<string?>(
            [
                (c, _) => c.StepAsync((_, _) => Task.FromResult(Recorder.Scope.Value), "a"),
                (c, _) => c.StepAsync((_, _) => Task.FromResult(Recorder.Scope.Value), "b"),
            ]);
            seen.Enqueue(Recorder.Scope.Value);
            return string.Join(",", results.GetResults());
        }, new DurableTestRunnerOptions { Host = new InProcessHostOptions { Plugins = [recorder] } });

        var result = await runner.RunAsync("x");

        Assert.Equal("a attempt 1,b attempt 1", result.Result);
        Assert.Equal(new[] { "one attempt 1", "-", "-" }, seen.Select(s => s ?? "-"));
    }
}
