using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Plugins;

public sealed class PluginHookTests
{
    private sealed class Recorder : IDurableExecutionPlugin
    {
        public ConcurrentQueue<string> Lines { get; } = new();

        public void OnInvocationStart(InvocationStartInfo info) =>
            Lines.Enqueue($"inv-start first={info.IsFirstInvocation} updated={string.Join(",", info.UpdatedOperations.Select(o => o.Name))}");

        public void OnInvocationEnd(InvocationEndInfo info) => Lines.Enqueue($"inv-end {info.Status} terminal={info.IsTerminal}");

        public void OnOperationStart(OperationInfo info) => Lines.Enqueue($"op-start {info.Name} replay={info.IsReplay}");

        public void OnOperationEnd(OperationInfo info) => Lines.Enqueue($"op-end {info.Name} {info.Status}");

        public void OnUserFunctionStart(UserFunctionInfo info) =>
            Lines.Enqueue($"fn-start {info.Operation.Name} {info.Kind} attempt={info.AttemptNumber}");

        public void OnUserFunctionEnd(UserFunctionInfo info) => Lines.Enqueue($"fn-end {info.Operation.Name} ok={info.Succeeded}");
    }

    private sealed class Faulty : IDurableExecutionPlugin
    {
        public void OnInvocationStart(InvocationStartInfo info) => throw new InvalidOperationException("boom");

        public void OnOperationStart(OperationInfo info) => throw new InvalidOperationException("boom");

        public void OnOperationEnd(OperationInfo info) => throw new InvalidOperationException("boom");
    }

    [Fact]
    public async Task Hooks_fire_once_per_lifecycle_across_invocations_and_a_faulty_plugin_changes_nothing()
    {
        var recorder = new Recorder();
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            var a = await ctx.StepAsync((_, _) => Task.FromResult("a"), "first");
            await ctx.WaitAsync(TimeSpan.FromSeconds(2), "pause");
            var b = await ctx.StepAsync((_, _) => Task.FromResult("b"), "second");
            return a + b;
        }, new DurableTestRunnerOptions { Host = new InProcessHostOptions { Plugins = [new Faulty(), recorder] } });

        var result = await runner.RunAsync("x");

        Assert.Equal("ab", result.Result);
        Assert.Equal(
        [
            "inv-start first=True updated=",
            "op-start first replay=False",
            "fn-start first StepAttempt attempt=1",
            "fn-end first ok=True",
            "op-end first Succeeded",
            "op-start pause replay=False",
            "inv-end Pending terminal=False",
            "inv-start first=False updated=pause",
            "op-end pause Succeeded",
            "op-start second replay=False",
            "fn-start second StepAttempt attempt=1",
            "fn-end second ok=True",
            "op-end second Succeeded",
            "inv-end Succeeded terminal=True",
        ], recorder.Lines.ToArray());
    }

    [Fact]
    public async Task A_retryable_failure_is_not_an_end_and_a_pending_step_starts_again_as_replay()
    {
        var recorder = new Recorder();
        var attempts = 0;
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
            await ctx.StepAsync((_, _) => ++attempts == 1 ? throw new InvalidOperationException("once") : Task.FromResult("ok"),
                "flaky", new StepConfig { RetryStrategy = RetryStrategy.Exponential(3, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None) }),
            new DurableTestRunnerOptions { Host = new InProcessHostOptions { Plugins = [recorder] } });

        var result = await runner.RunAsync("x");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        var lines = recorder.Lines.ToArray();
        Assert.Single(lines, l => l.StartsWith("op-end flaky", StringComparison.Ordinal));
        Assert.Contains("op-end flaky Succeeded", lines);
        Assert.Contains("op-start flaky replay=True", lines);
        Assert.Equal(2, lines.Count(l => l.StartsWith("fn-start flaky", StringComparison.Ordinal)));
        Assert.Contains("fn-end flaky ok=False", lines);
    }
}
