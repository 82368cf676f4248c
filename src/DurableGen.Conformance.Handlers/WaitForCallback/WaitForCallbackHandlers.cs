using System;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;

// The conformance cases specify callbacks without timeouts (AWS's 4-x and 7-x requirements): the cases check what the
// SDK does with exactly that, so DG2021's advice does not apply here.
#pragma warning disable DG2021

namespace DurableGen.Conformance.Handlers.WaitForCallback;

/// <summary>Submitters shared by the wait-for-callback handlers.</summary>
internal static class Submitters
{
    /// <summary>Receives the callback id and does nothing durable (an external system is told out of band).</summary>
    public static Task NoOp(string callbackId, IWaitForCallbackContext context, CancellationToken cancellationToken) =>
        Task.CompletedTask;
}

/// <summary>7-1: a wait-for-callback named by the input, with a no-op submitter.</summary>
[Conformance("7-1")]
public sealed class WaitForCallbackBasic : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>(Submitters.NoOp, input);
}

/// <summary>7-2: a wait-for-callback named <c>approval</c>.</summary>
[Conformance("7-2")]
public sealed class WaitForCallbackStaticName : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>(Submitters.NoOp, "approval");
}

/// <summary>7-3: an anonymous wait-for-callback (no name).</summary>
[Conformance("7-3")]
public sealed class WaitForCallbackAnonymous : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask);
}

/// <summary>7-5: a 3 s timeout that nobody answers; the execution fails.</summary>
[Conformance("7-5")]
public sealed class WaitForCallbackTimesOut : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>(Submitters.NoOp, input, new WaitForCallbackConfig { Timeout = TimeSpan.FromSeconds(3) });
}

/// <summary>7-6: the external failure is caught; returns <c>recovered</c>.</summary>
[Conformance("7-6")]
public sealed class WaitForCallbackFailureCaught : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            return await context.WaitForCallbackAsync<string>(Submitters.NoOp, input);
        }
        catch (DurableExecutionException)
        {
            return "recovered";
        }
    }
}

/// <summary>7-7: the submitter always throws; 2 attempts 1 s apart, then the operation and the execution fail.</summary>
[Conformance("7-7")]
public sealed class WaitForCallbackSubmitterExhausted : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>((_, _, _) => throw new InvalidOperationException("submitter fails"), input,
            new WaitForCallbackConfig
            {
                RetryStrategy = RetryStrategy.Exponential(maxAttempts: 2, initialDelay: TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
}

/// <summary>7-9: two sequential wait-for-callbacks <c>first</c> and <c>second</c>; returns the second result.</summary>
[Conformance("7-9")]
public sealed class TwoSequentialWaitForCallbacks : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitForCallbackAsync<string>(Submitters.NoOp, "first");
        return await context.WaitForCallbackAsync<string>(Submitters.NoOp, "second");
    }
}

/// <summary>7-10: a 1 s wait, a step returning fixed data, then a wait-for-callback named by the input.</summary>
[Conformance("7-10")]
public sealed class WaitForCallbackAfterWaitAndStep : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        await context.StepAsync((_, _) => Task.FromResult("fixed-data"));
        return await context.WaitForCallbackAsync<string>(Submitters.NoOp, input);
    }
}

/// <summary>7-12: a 5 s heartbeat timeout and nothing sent; the execution fails.</summary>
[Conformance("7-12")]
public sealed class WaitForCallbackHeartbeatTimesOut : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>(Submitters.NoOp, input,
            new WaitForCallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(5) });
}

/// <summary>7-13: a 10 s heartbeat timeout; a heartbeat, then success.</summary>
[Conformance("7-13")]
public sealed class WaitForCallbackHeartbeatThenSuccess : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string>(Submitters.NoOp, input,
            new WaitForCallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(10) });
}

/// <summary>7-14: a 3 s timeout is caught; returns <c>timed-out-handled</c>.</summary>
[Conformance("7-14")]
public sealed class WaitForCallbackTimeoutCaught : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        try
        {
            return await context.WaitForCallbackAsync<string>(Submitters.NoOp, input,
                new WaitForCallbackConfig { Timeout = TimeSpan.FromSeconds(3) });
        }
        catch (DurableExecutionException)
        {
            return "timed-out-handled";
        }
    }
}

/// <summary>7-15: success without a payload; the result is null.</summary>
[Conformance("7-15")]
public sealed class WaitForCallbackEmptyPayload : IConformanceCase<string, string?>
{
    /// <inheritdoc />
    public Task<string?> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.WaitForCallbackAsync<string?>(Submitters.NoOp, input);
}
