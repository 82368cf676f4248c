using System;
using System.Collections.Concurrent;
using System.Text.Json.Serialization;
using System.Threading.Tasks;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// A step whose result type is missing from the workflow's JsonSerializerContext. The step's type is a type parameter
/// here, as in a shared helper, so the compile-time check (DG1009) cannot see that <see cref="Quote"/> is missing; only
/// running with the workflow's own serializer can. The step keeps the default retry strategy (six attempts).
/// </summary>
[DurableWorkflow(FunctionName = "quote", JsonContext = typeof(RunnerTestJson))]
public sealed partial class QuoteWorkflow
{
    /// <summary>How many times the step body ran, per input.</summary>
    public static ConcurrentDictionary<string, int> BodyRuns { get; } = new();

    public async Task<string> RunAsync(string sku, IDurableContext context)
    {
        var quote = await Checkpointed(context, "price", () =>
        {
            BodyRuns.AddOrUpdate(sku, 1, (_, runs) => runs + 1);
            return new Quote(sku, 42m);
        });
        return quote.Sku;
    }

    private static Task<T> Checkpointed<T>(IDurableContext context, string name, Func<T> body) =>
        context.StepAsync((_, _) => Task.FromResult(body()), name);
}

/// <summary>Not in <see cref="RunnerTestJson"/>.</summary>
public sealed record Quote(string Sku, decimal Price);

/// <summary>A callback that may take two days, in an execution allowed three.</summary>
[DurableWorkflow(FunctionName = "slow-approval", ExecutionTimeout = 3 * 24 * 3600, JsonContext = typeof(RunnerTestJson))]
public sealed partial class SlowApprovalWorkflow
{
    public async Task<string> RunAsync(string order, IDurableContext context)
    {
        var approval = await context.CreateCallbackAsync<string>("approval",
            new CallbackConfig { Timeout = TimeSpan.FromDays(2) });
        try
        {
            return await approval.GetResultAsync();
        }
        catch (CallbackTimeoutException)
        {
            return "escalated " + order;
        }
    }
}

/// <summary>A two-hour wait in an execution allowed one hour.</summary>
[DurableWorkflow(FunctionName = "hour-limit", ExecutionTimeout = 3600, JsonContext = typeof(RunnerTestJson))]
public sealed partial class HourLimitWorkflow
{
    public async Task<string> RunAsync(string input, IDurableContext context)
    {
        await context.WaitAsync(TimeSpan.FromHours(2), "nap");
        return "woke " + input;
    }
}

[JsonSerializable(typeof(string))]
internal sealed partial class RunnerTestJson : JsonSerializerContext;
