using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>A step that outlasts its function timeout (2 s): Lambda, and the local service, stop the invocation.</summary>
[DurableWorkflow(FunctionName = "slow-invocation", FunctionTimeout = 2)]
public sealed partial class SlowInvocationWorkflow
{
    public async Task<string> RunAsync(int seconds, IDurableContext context) =>
        await context.StepAsync(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(seconds), CancellationToken.None);
            return "done";
        }, "sleep", new StepConfig { RetryStrategy = RetryStrategy.None });
}

/// <summary>A wait that outlasts its execution timeout (3 s): the service times the execution out.</summary>
[DurableWorkflow(FunctionName = "short-lived", ExecutionTimeout = 3)]
public sealed partial class ShortLivedWorkflow
{
    public async Task<string> RunAsync(int seconds, IDurableContext context)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(seconds), "wait");
        return "woke";
    }
}
