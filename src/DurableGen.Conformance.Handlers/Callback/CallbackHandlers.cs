using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

// The conformance cases specify callbacks without timeouts (AWS's 4-x and 7-x requirements): the cases check what the
// SDK does with exactly that, so DG2021's advice does not apply here.
#pragma warning disable DG2021

namespace DurableGen.Conformance.Handlers.Callback;

/// <summary>4-1: a callback named by the input; returns its result.</summary>
[Conformance("4-1")]
public sealed class CreateCallbackBasic : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input);
        return await callback.GetResultAsync();
    }
}

/// <summary>4-2: a callback named <c>approval</c>.</summary>
[Conformance("4-2")]
public sealed class CreateCallbackWithName : IConformanceCase<JsonNode?, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>("approval");
        return await callback.GetResultAsync();
    }
}

/// <summary>4-3: a callback with a 5 s timeout that nobody answers; the execution fails.</summary>
[Conformance("4-3")]
public sealed class CallbackTimesOut : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input, new CallbackConfig { Timeout = TimeSpan.FromSeconds(5) });
        return await callback.GetResultAsync();
    }
}

/// <summary>4-4: a callback with a 5 s heartbeat timeout and no heartbeat; the execution fails.</summary>
[Conformance("4-4")]
public sealed class CallbackHeartbeatTimesOut : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input,
            new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(5) });
        return await callback.GetResultAsync();
    }
}

/// <summary>4-5: a callback with a 10 s heartbeat timeout; a heartbeat, then success.</summary>
[Conformance("4-5")]
public sealed class CallbackHeartbeatThenSuccess : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input,
            new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(10) });
        return await callback.GetResultAsync();
    }
}

/// <summary>4-6: the external system reports a failure; the handler does not catch it.</summary>
[Conformance("4-6")]
public sealed class CallbackFailureUncaught : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input);
        return await callback.GetResultAsync();
    }
}

/// <summary>4-8: a callback with a 5 s timeout, a step, then the await; it times out.</summary>
[Conformance("4-8")]
public sealed class CallbackStepThenTimeout : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input, new CallbackConfig { Timeout = TimeSpan.FromSeconds(5) });
        await context.StepAsync((_, _) => Task.FromResult("between"));
        return await callback.GetResultAsync();
    }
}

/// <summary>4-9: a callback, a 5 s wait, then the await; the success arrives during the wait.</summary>
[Conformance("4-9")]
public sealed class CallbackDuringWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input);
        await context.WaitAsync(TimeSpan.FromSeconds(5));
        return await callback.GetResultAsync();
    }
}

/// <summary>4-12: await the callback's success, then a 2 s wait.</summary>
[Conformance("4-12")]
public sealed class CallbackThenWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input);
        var result = await callback.GetResultAsync();
        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return result;
    }
}

/// <summary>4-13: a callback failure is caught, then a 2 s wait.</summary>
[Conformance("4-13")]
public sealed class CallbackFailureCaughtThenWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        string message;
        try
        {
            var callback = await context.CreateCallbackAsync<string>(input);
            message = await callback.GetResultAsync();
        }
        catch (CallbackException ex)
        {
            message = "callback failed: " + ex.Message;
        }

        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return message;
    }
}

/// <summary>4-14: a 3 s callback timeout is caught, then a 2 s wait.</summary>
[Conformance("4-14")]
public sealed class CallbackTimeoutCaughtThenWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        string message;
        try
        {
            var callback = await context.CreateCallbackAsync<string>(input, new CallbackConfig { Timeout = TimeSpan.FromSeconds(3) });
            message = await callback.GetResultAsync();
        }
        catch (CallbackTimeoutException ex)
        {
            message = "callback timed out: " + ex.Message;
        }

        await context.WaitAsync(TimeSpan.FromSeconds(2));
        return message;
    }
}

/// <summary>4-17: callback A awaited, then callback B awaited.</summary>
[Conformance("4-17")]
public sealed class TwoCallbacksSequential : IConformanceCase<string[], List<string>>
{
    /// <inheritdoc />
    public async Task<List<string>> RunAsync(string[] input, IDurableContext context, IConformanceEnv env)
    {
        var first = await context.CreateCallbackAsync<string>(input[0]);
        var a = await first.GetResultAsync();
        var second = await context.CreateCallbackAsync<string>(input[1]);
        var b = await second.GetResultAsync();
        return [a, b];
    }
}

/// <summary>4-18: create A and B, then await A and B in order.</summary>
[Conformance("4-18")]
public sealed class TwoCallbacksCreatedThenAwaited : IConformanceCase<string[], List<string>>
{
    /// <inheritdoc />
    public async Task<List<string>> RunAsync(string[] input, IDurableContext context, IConformanceEnv env)
    {
        var first = await context.CreateCallbackAsync<string>(input[0]);
        var second = await context.CreateCallbackAsync<string>(input[1]);
        return [await first.GetResultAsync(), await second.GetResultAsync()];
    }
}
