using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Conformance.Handlers.Plugin;

/// <summary><c>invocation-start {first}</c> and <c>invocation-end {status}</c> (10-1, 10-5, 10-6, 10-7).</summary>
internal sealed class InvocationPlugin(IConformanceEnv env, string name = "CONFPLUGIN", bool withFirst = true)
    : RecordingPlugin(env, name)
{
    protected override void InvocationStart(InvocationStartInfo info) =>
        Write("invocation-start", withFirst ? new JsonObject { ["first"] = info.IsFirstInvocation } : null);

    protected override void InvocationEnd(InvocationEndInfo info) =>
        Write("invocation-end", new JsonObject { ["status"] = Token(info.Status) });
}

/// <summary><c>attempt-start {n, op}</c> and <c>attempt-end {n, outcome, op}</c> for step attempts, plus
/// <c>operation-end {op, status}</c> for steps when asked (10-3, 10-15).</summary>
internal sealed class AttemptPlugin(IConformanceEnv env, bool withOperationEnd = false) : RecordingPlugin(env, "CONFPLUGIN")
{
    protected override void UserFunctionStart(UserFunctionInfo info)
    {
        if (info.Kind == UserFunctionKind.StepAttempt && info.Operation.Type == OperationType.Step)
        {
            Write("attempt-start", new JsonObject { ["n"] = info.AttemptNumber, ["op"] = info.Operation.Id });
        }
    }

    protected override void UserFunctionEnd(UserFunctionInfo info)
    {
        if (info.Kind == UserFunctionKind.StepAttempt && info.Operation.Type == OperationType.Step)
        {
            Write("attempt-end", new JsonObject
            {
                ["n"] = info.AttemptNumber, ["outcome"] = info.Succeeded == true ? "SUCCEEDED" : "FAILED", ["op"] = info.Operation.Id,
            });
        }
    }

    protected override void OperationEnd(OperationInfo info)
    {
        if (withOperationEnd && info.Type == OperationType.Step)
        {
            Write("operation-end", new JsonObject { ["op"] = info.Id, ["status"] = info.Status is { } s ? Token(s) : "NONE" });
        }
    }
}

/// <summary>10-1: invocation hooks around one step whose body logs a line.</summary>
[Conformance("10-1")]
public sealed class PluginInvocationHooks : IConformanceCase<string, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new InvocationPlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((step, _) =>
        {
            step.Logger.LogInformation("Greeting step running for: {Input}", input);
            return Task.FromResult($"Hello, {input}!");
        });
}

/// <summary>10-3: attempt hooks around a step that fails once and succeeds on the retry.</summary>
[Conformance("10-3")]
public sealed class PluginAttemptHooks : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new AttemptPlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((step, _) => step.AttemptNumber == 1
                ? throw new InvalidOperationException("First attempt fails")
                : Task.FromResult("Operation succeeded"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
}

/// <summary>10-4: a plugin that logs and then throws from every hook changes nothing.</summary>
[Conformance("10-4")]
public sealed class PluginFaultyHooks : IConformanceCase<string, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new FaultyPlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"));

    private sealed class FaultyPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN-FAULTY")
    {
        protected override void InvocationStart(InvocationStartInfo info) => Fail("invocation-start");

        protected override void InvocationEnd(InvocationEndInfo info) => Fail("invocation-end");

        protected override void OperationStart(OperationInfo info)
        {
            if (info.Type == OperationType.Step)
            {
                Fail("operation-start");
            }
        }

        protected override void OperationEnd(OperationInfo info)
        {
            if (info.Type == OperationType.Step)
            {
                Fail("operation-end");
            }
        }

        protected override void UserFunctionStart(UserFunctionInfo info)
        {
            if (info.Kind == UserFunctionKind.StepAttempt && info.Operation.Type == OperationType.Step)
            {
                Fail("attempt-start");
            }
        }

        protected override void UserFunctionEnd(UserFunctionInfo info)
        {
            if (info.Kind == UserFunctionKind.StepAttempt && info.Operation.Type == OperationType.Step)
            {
                Fail("attempt-end");
            }
        }

        private void Fail(string hook)
        {
            Write(hook);
            throw new InvalidOperationException($"{Name} fails in {hook}");
        }
    }
}

/// <summary>10-5: two plugins registered together (A, then B) both receive the invocation hooks.</summary>
[Conformance("10-5")]
public sealed class PluginTwoPlugins : IConformanceCase<string, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) =>
        [new InvocationPlugin(env, "CONFPLUGIN-A", withFirst: false), new InvocationPlugin(env, "CONFPLUGIN-B", withFirst: false)];

    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"));
}

/// <summary>10-6: a 2 s wait: the first invocation reports first=true, the replay first=false.</summary>
[Conformance("10-6")]
public sealed class PluginFirstInvocationFlag : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new InvocationPlugin(env)];

    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return "waited";
    }
}

/// <summary>10-7: a no-retry step that always throws: invocation-end reports FAILED.</summary>
[Conformance("10-7")]
public sealed class PluginFailedInvocation : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new InvocationPlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((_, _) => throw new InvalidOperationException("Step always fails"),
            config: new StepConfig { RetryStrategy = RetryStrategy.None });
}

/// <summary>10-8: operation-change: each updated step is in the full operation map.</summary>
[Conformance("10-8")]
public sealed class PluginOperationChange : IConformanceCase<string, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new ChangePlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"));

    private sealed class ChangePlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void OperationChange(OperationChangeInfo info)
        {
            foreach (var operation in info.UpdatedOperations.Where(o => o.Type == OperationType.Step))
            {
                Write("operation-change", new JsonObject
                {
                    ["op"] = operation.Id,
                    ["status"] = operation.Status is { } s ? Token(s) : "NONE",
                    ["in_full_map"] = info.AllOperations.ContainsKey(operation.Id),
                });
            }
        }
    }
}

/// <summary>10-9: a 2 s wait completed by the service is reported as updated on the next invocation's start.</summary>
[Conformance("10-9")]
public sealed class PluginUpdatedOnInvoke : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new UpdatedPlugin(env)];

    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return "waited";
    }

    private sealed class UpdatedPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void InvocationStart(InvocationStartInfo info)
        {
            foreach (var operation in info.UpdatedOperations.Where(o => o.Type == OperationType.Wait))
            {
                Write("updated-on-invoke", new JsonObject
                {
                    ["op"] = operation.Id,
                    ["status"] = operation.Status is { } s ? Token(s) : "NONE",
                    ["first"] = info.IsFirstInvocation,
                });
            }
        }
    }
}

/// <summary>10-12: fn-start / fn-end around each parallel branch function, with its id and parent.</summary>
[Conformance("10-12")]
public sealed class PluginBranchFunctionHooks : IConformanceCase<JsonNode?, IReadOnlyList<string>>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new BranchPlugin(env)];

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [(_, _) => Task.FromResult("task-1"), (_, _) => Task.FromResult("task-2")],
            "parallel", new ParallelConfig { MaxConcurrency = 1 });
        return result.GetResults();
    }

    private sealed class BranchPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void UserFunctionStart(UserFunctionInfo info)
        {
            if (IsBranch(info))
            {
                Write("fn-start", new JsonObject { ["op"] = info.Operation.Id, ["parent"] = info.Operation.ParentId ?? "NONE" });
            }
        }

        protected override void UserFunctionEnd(UserFunctionInfo info)
        {
            if (IsBranch(info))
            {
                Write("fn-end", new JsonObject
                {
                    ["op"] = info.Operation.Id, ["parent"] = info.Operation.ParentId ?? "NONE",
                    ["outcome"] = info.Succeeded == true ? "SUCCEEDED" : "FAILED",
                });
            }
        }

        private static bool IsBranch(UserFunctionInfo info) =>
            info.Kind == UserFunctionKind.ContextFunction && info.Operation.SubType == "ParallelBranch";
    }
}

/// <summary><c>operation-start {op, replay}</c> and <c>operation-end {op, status}</c> for steps (10-13).</summary>
internal sealed class StepLifecyclePlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
{
    protected override void OperationStart(OperationInfo info)
    {
        if (info.Type == OperationType.Step)
        {
            Write("operation-start", new JsonObject { ["op"] = info.Id, ["replay"] = info.IsReplay });
        }
    }

    protected override void OperationEnd(OperationInfo info)
    {
        if (info.Type == OperationType.Step)
        {
            Write("operation-end", new JsonObject { ["op"] = info.Id, ["status"] = info.Status is { } s ? Token(s) : "NONE" });
        }
    }
}

/// <summary>10-13: replay flags: a finished step is never started again; a retrying step starts again with replay=true.</summary>
[Conformance("10-13")]
public sealed class PluginReplayFlags : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new StepLifecyclePlugin(env)];

    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.StepAsync((_, _) => Task.FromResult("a"));
        return await context.StepAsync((step, _) => step.AttemptNumber == 1
                ? throw new InvalidOperationException("First attempt fails")
                : Task.FromResult("Operation succeeded"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 3, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
    }
}

/// <summary>10-14: operation-end carries the checkpointed result text or the error message.</summary>
[Conformance("10-14")]
public sealed class PluginResultAndError : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new ResultPlugin(env)];

    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var a = await context.StepAsync((_, _) => Task.FromResult("task-a"));
        return await context.StepAsync<string>((_, _) => throw new InvalidOperationException("boom"),
            config: new StepConfig { RetryStrategy = RetryStrategy.None }) + a;
    }

    private sealed class ResultPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void OperationEnd(OperationInfo info)
        {
            if (info.Type == OperationType.Step)
            {
                Write("operation-end", new JsonObject
                {
                    ["op"] = info.Id,
                    ["status"] = info.Status is { } s ? Token(s) : "NONE",
                    ["result"] = info.Result ?? "NONE",
                    ["error"] = info.Error?.ErrorMessage ?? "NONE",
                });
            }
        }
    }
}

/// <summary>10-15: retry exhaustion: attempt hooks per attempt, then operation-end FAILED after the last attempt.</summary>
[Conformance("10-15")]
public sealed class PluginRetryExhaustion : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new AttemptPlugin(env, withOperationEnd: true)];

    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync<string>((_, _) => throw new InvalidOperationException("Step always fails"),
            config: new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 2, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
}

/// <summary>10-16: invocation-end per invocation: the suspending first one is non-terminal, the replay terminal.</summary>
[Conformance("10-16")]
public sealed class PluginInvocationEndStatus : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new EndPlugin(env)];

    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return "waited";
    }

    private sealed class EndPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void InvocationStart(InvocationStartInfo info) =>
            Write("invocation-start", new JsonObject { ["first"] = info.IsFirstInvocation });

        protected override void InvocationEnd(InvocationEndInfo info) =>
            Write("invocation-end", new JsonObject
            {
                ["first"] = info.IsFirstInvocation, ["terminal"] = IsTerminal(info.Status), ["status"] = Token(info.Status),
            });
    }
}

/// <summary>10-18: a parallel of two waits (2 s and 8 s): the long wait is observed again, still pending, on replay.</summary>
[Conformance("10-18")]
public sealed class PluginPendingReplay : IConformanceCase<JsonNode?, IReadOnlyList<string>>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new WaitPlugin(env)];

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [
                async (branch, _) =>
                {
                    await branch.WaitAsync(TimeSpan.FromSeconds(2), "short");
                    return "short-done";
                },
                async (branch, _) =>
                {
                    await branch.WaitAsync(TimeSpan.FromSeconds(8), "long");
                    return "long-done";
                },
            ],
            "waits", new ParallelConfig { MaxConcurrency = 2 });
        return result.GetResults();
    }

    private sealed class WaitPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void OperationStart(OperationInfo info)
        {
            if (info.Type == OperationType.Wait)
            {
                Write("operation-start", new JsonObject
                {
                    ["type"] = Token(info.Type), ["name"] = info.Name, ["replay"] = info.IsReplay,
                    ["pending"] = info.Status is not { } status || !Operation.IsTerminal(status),
                });
            }
        }

        protected override void OperationEnd(OperationInfo info)
        {
            if (info.Type == OperationType.Wait)
            {
                Write("operation-end", new JsonObject
                {
                    ["type"] = Token(info.Type), ["name"] = info.Name, ["status"] = info.Status is { } s ? Token(s) : "NONE",
                });
            }
        }
    }
}

/// <summary>10-19: the canonical dump of the invocation infos around a 2 s wait.</summary>
[Conformance("10-19")]
public sealed class PluginInvocationInfoDump : IConformanceCase<string, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new DumpPlugin(env)];

    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return "done-" + input;
    }

    private sealed class DumpPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void InvocationStart(InvocationStartInfo info)
        {
            var dump = new JsonObject
            {
                ["isFirstInvocation"] = info.IsFirstInvocation,
                ["requestId"] = info.RequestId,
                ["operationsCount"] = info.Operations.Count,
                ["updatedOperationsCount"] = info.UpdatedOperations.Count,
            };
            if (info.ExecutionStartTimestamp is { } started)
            {
                dump["executionStartTimestamp"] = Iso(started);
            }

            Write("invocation-start", dump);
        }

        protected override void InvocationEnd(InvocationEndInfo info)
        {
            var dump = new JsonObject
            {
                ["isFirstInvocation"] = info.IsFirstInvocation,
                ["requestId"] = info.RequestId,
                ["operationsCount"] = info.Operations.Count,
            };
            if (info.ExecutionStartTimestamp is { } started)
            {
                dump["executionStartTimestamp"] = Iso(started);
            }

            dump["status"] = Token(info.Status);
            dump["terminal"] = IsTerminal(info.Status);
            if (info.ExecutionError is { } error)
            {
                dump["executionError"] = error.ErrorMessage ?? "";
            }

            Write("invocation-end", dump);
        }
    }
}

/// <summary>10-20: the canonical dump of the operation infos of a step named <c>greet</c>.</summary>
[Conformance("10-20")]
public sealed class PluginOperationInfoDump : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new DumpPlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult("task-a"), "greet");

    private sealed class DumpPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void OperationStart(OperationInfo info)
        {
            if (info.Type == OperationType.Step)
            {
                Write("operation-start", Dump(info));
            }
        }

        protected override void OperationEnd(OperationInfo info)
        {
            if (info.Type == OperationType.Step)
            {
                Write("operation-end", Dump(info));
            }
        }
    }
}

/// <summary>10-22: the canonical dump of the operation-change items of a step named <c>greet</c>.</summary>
[Conformance("10-22")]
public sealed class PluginOperationChangeDump : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new DumpPlugin(env)];

    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync((_, _) => Task.FromResult("task-a"), "greet");

    private sealed class DumpPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void OperationChange(OperationChangeInfo info)
        {
            foreach (var operation in info.UpdatedOperations.Where(o => o.Type == OperationType.Step))
            {
                var record = new JsonObject
                {
                    ["executionArn"] = info.DurableExecutionArn,
                    ["updatedOperationsCount"] = info.UpdatedOperations.Count,
                    ["operationsCount"] = info.AllOperations.Count,
                    ["inFullMap"] = info.AllOperations.ContainsKey(operation.Id),
                };
                foreach (var (key, value) in Dump(operation))
                {
                    record[key] = value?.DeepClone();
                }

                Write("operation-change", record);
            }
        }
    }
}

/// <summary>10-23: context operations: sub-type tokens, names and the children-replay indicator of branch functions.</summary>
[Conformance("10-23")]
public sealed class PluginContextInfoDump : IConformanceCase<JsonNode?, IReadOnlyList<string>>, IConformancePlugins
{
    /// <inheritdoc />
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new DumpPlugin(env)];

    /// <inheritdoc />
    public async Task<IReadOnlyList<string>> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var result = await context.ParallelAsync<string>(
            [
                new DurableBranch<string>("branch-a", async (branch, _) =>
                {
                    await branch.StepAsync((_, _) => Task.FromResult("x"), "inner");
                    await branch.WaitAsync(TimeSpan.FromSeconds(2));
                    return "a-done";
                }),
                new DurableBranch<string>("branch-b", (_, _) => Task.FromResult("b-done")),
            ],
            "ctx", new ParallelConfig { MaxConcurrency = 1 });
        return result.GetResults();
    }

    private sealed class DumpPlugin(IConformanceEnv env) : RecordingPlugin(env, "CONFPLUGIN")
    {
        protected override void OperationStart(OperationInfo info)
        {
            if (info.Type == OperationType.Context)
            {
                Write("operation-start", Dump(info));
            }
        }

        protected override void UserFunctionStart(UserFunctionInfo info)
        {
            if (info.Kind == UserFunctionKind.ContextFunction && info.Operation.Type == OperationType.Context)
            {
                var dump = Dump(info.Operation);
                dump["isReplayingChildren"] = info.IsReplayingChildren;
                Write("fn-start", dump);
            }
        }
    }
}
