using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestSupport.RandomPrograms;

/// <summary>Interprets a program over <see cref="IDurableContext"/>, returning a string that depends on every result;
/// <c>ran(step, attempt)</c> is called each time a step body runs.</summary>
internal static class ProgramInterpreter
{
    /// <summary>The plain function invoke nodes call.</summary>
    public const string InvokeTarget = "increment";

    private static readonly CompletionConfig EveryUnit = CompletionConfig.AllCompleted();

    public static async Task<string> RunAsync(IDurableContext context, IReadOnlyList<Node> nodes, Action<string, int> ran)
    {
        var parts = new List<string>();
        foreach (var node in nodes)
        {
            parts.Add(await RunNodeAsync(context, node, ran));
        }

        return "<" + string.Join(",", parts) + ">";
    }

    // The callbacks have no timeout on purpose: whoever runs a program answers every one of them, and a timeout would
    // race the answer under a slow or crashing host.
#pragma warning disable DG2021
    private static async Task<string> RunNodeAsync(IDurableContext context, Node node, Action<string, int> ran)
    {
        switch (node)
        {
            case StepNode step:
                try
                {
                    return await RunStepAsync(context, step, ran);
                }
                catch (StepException ex) when (step.Exhausts)
                {
                    return $"{step.Name}:gave-up:{ex.Message}";
                }

            case WaitNode wait:
                await context.WaitAsync(TimeSpan.FromSeconds(wait.Seconds), wait.Name);
                return wait.Name + "~" + wait.Seconds;
            case CallbackNode { ViaWaitFor: true } callback:
                try
                {
                    return "ok:" + await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, callback.Name);
                }
                catch (CallbackFailedException ex)
                {
                    return $"fail:{ex.GetType().Name}:{ex.Message}";
                }

            case CallbackNode callback:
            {
                var handle = await context.CreateCallbackAsync<string>(callback.Name);
                try
                {
                    return "ok:" + await handle.GetResultAsync();
                }
                catch (CallbackFailedException ex)
                {
                    return $"fail:{ex.GetType().Name}:{ex.Message}";
                }
            }

            case ChildNode child:
                return child.Name + await context.RunInChildContextAsync((inner, _) => RunAsync(inner, child.Children, ran),
                    child.Name, child.Flat ? new ChildContextConfig { NestingType = NestingType.Flat } : null);
            case ParallelNode parallel:
            {
                var batch = await context.ParallelAsync(parallel.Branches
                    .Select(b => (Func<IDurableContext, CancellationToken, Task<string>>)((c, _) => RunNodeAsync(c, b, ran)))
                    .ToArray(), parallel.Name, new ParallelConfig { MaxConcurrency = 1, CompletionConfig = EveryUnit });
                return parallel.Name + Describe(batch);
            }

            case MapNode map:
            {
                var batch = await context.MapAsync<StepNode, string>(map.Items, (c, item, _, _, _) => RunNodeAsync(c, item, ran),
                    map.Name, new MapConfig<StepNode> { MaxConcurrency = 1, CompletionConfig = EveryUnit });
                return map.Name + Describe(batch);
            }

            case PollNode poll:
            {
                var state = await context.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s + 1), new WaitForConditionConfig<int>
                {
                    InitialState = 0,
                    WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(poll.Delay), isDone: s => s >= poll.Target),
                }, poll.Name);
                return $"{poll.Name}#{state}";
            }

            case InvokeNode invoke:
                return $"{invoke.Name}>{await context.InvokeAsync<int, int>(InvokeTarget, invoke.Value, invoke.Name)}";
            default:
                throw new InvalidOperationException($"Unknown node {node}");
        }
    }

#pragma warning restore DG2021

    private static string Describe(IBatchResult<string> batch) =>
        $"[{batch.CompletionReason}:{string.Join("|", batch.All.Select(i => $"{i.Index}:{i.Status}:{i.Result}{i.Error?.Message}"))}]";

    private static Task<string> RunStepAsync(IDurableContext context, StepNode step, Action<string, int> ran) =>
        context.StepAsync((stepContext, _) =>
        {
            ran(step.Name, stepContext.AttemptNumber);
            if (stepContext.AttemptNumber <= step.FailFirst)
            {
                throw new InvalidOperationException($"{step.Name} fails attempt {stepContext.AttemptNumber}");
            }

            return Task.FromResult($"{step.Name}={step.Value}");
        }, step.Name, new StepConfig
        {
            Semantics = step.AtMostOnce ? StepSemantics.AtMostOncePerRetry : StepSemantics.AtLeastOncePerRetry,
            RetryStrategy = RetryStrategy.FromDelegate((_, attempt) =>
                attempt < (step.Exhausts ? step.FailFirst : ProgramLimits.MaxAttempts)
                    ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(step.Delay))
                    : RetryDecision.DoNotRetry()),
        });
}
