using System;
using System.Text;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Callbacks;

/// <summary>How the service rejects callback completions, as seen through the public callback client.</summary>
public sealed class CallbackClientErrorTests
{
    private static DurableTestRunner<int, string> Runner() => ReflectionRunner.Create<int, string>(async (_, ctx) =>
    {
        var callback = await ctx.CreateCallbackAsync<string>("cb");
        return await callback.GetResultAsync();
    });

    [Theory]
    [InlineData("not base64 at all!")]
    [InlineData("")]
    [InlineData("aGVsbG8=")] // base64 of "hello": not a callback id
    public async Task Garbage_ids_are_invalid_parameter_400(string callbackId)
    {
        var host = new InProcessHost();

        var success = await Assert.ThrowsAsync<DurableServiceException>(() => host.Callbacks.SendCallbackSuccessAsync(callbackId, "\"x\""));
        var failure = await Assert.ThrowsAsync<DurableServiceException>(() => host.Callbacks.SendCallbackFailureAsync(callbackId, new ErrorObject()));
        var heartbeat = await Assert.ThrowsAsync<DurableServiceException>(() => host.Callbacks.SendCallbackHeartbeatAsync(callbackId));

        foreach (var ex in new[] { success, failure, heartbeat })
        {
            Assert.Equal(ErrorCodes.InvalidParameterValue, ex.ErrorCode);
            Assert.Equal(400, ex.StatusCode);
            Assert.True(ex.IsTerminal);
        }
    }

    [Fact]
    public async Task Well_formed_ids_of_unknown_callbacks_are_resource_not_found_404()
    {
        var runner = Runner();
        var execution = await runner.StartAsync(0);
        var real = await execution.WaitForCallbackAsync("cb");
        var unknownExecution = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            "{\"arn\":\"arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST/durable-execution/x/y\",\"op\":\"z\",\"n\":\"1\"}"));
        var unknownOperation = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{{\"arn\":\"{execution.DurableExecutionArn}\",\"op\":\"{H.Root2}\",\"n\":\"1\"}}"));
        var wrongNonce = Convert.ToBase64String(Encoding.UTF8.GetBytes(
            $"{{\"arn\":\"{execution.DurableExecutionArn}\",\"op\":\"{real.Record.Id}\",\"n\":\"forged\"}}"));

        foreach (var id in new[] { unknownExecution, unknownOperation, wrongNonce })
        {
            var ex = await Assert.ThrowsAsync<DurableServiceException>(() => runner.Host.Callbacks.SendCallbackSuccessAsync(id, "\"x\""));
            Assert.Equal(ErrorCodes.ResourceNotFound, ex.ErrorCode);
            Assert.Equal(404, ex.StatusCode);
        }

        // The real id still works afterwards.
        await real.SucceedAsync("ok");
        Assert.Equal("ok", (await execution.WaitForResultAsync()).Result);
    }

    [Fact]
    public async Task Completing_an_already_completed_callback_is_callback_timeout_400()
    {
        var runner = Runner();
        var execution = await runner.StartAsync(0);
        var callback = await execution.WaitForCallbackAsync("cb");
        await callback.SucceedAsync("first");

        var again = await Assert.ThrowsAsync<DurableServiceException>(() => callback.SucceedAsync("second"));
        var fail = await Assert.ThrowsAsync<DurableServiceException>(() => callback.FailAsync("late"));
        var heartbeat = await Assert.ThrowsAsync<DurableServiceException>(() => callback.HeartbeatAsync());

        foreach (var ex in new[] { again, fail, heartbeat })
        {
            Assert.Equal(ErrorCodes.CallbackTimeout, ex.ErrorCode);
            Assert.Equal(400, ex.StatusCode);
        }

        var result = await execution.WaitForResultAsync();
        Assert.Equal("first", result.Result);
        Assert.Single(H.Of(result, EventType.CallbackSucceeded));
    }

    [Fact]
    public async Task Completing_a_timed_out_callback_is_callback_timeout_400()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("cb", new CallbackConfig { Timeout = TimeSpan.FromSeconds(5) });
            try
            {
                return await callback.GetResultAsync();
            }
            catch (CallbackTimeoutException)
            {
                return "timed out";
            }
        });
        var execution = await runner.StartAsync(0);
        var callback = await execution.WaitForCallbackAsync("cb");
        var result = await execution.WaitForResultAsync();
        Assert.Equal("timed out", result.Result);

        var ex = await Assert.ThrowsAsync<DurableServiceException>(() => callback.SucceedAsync("too late"));

        Assert.Equal(ErrorCodes.CallbackTimeout, ex.ErrorCode);
        Assert.Equal(400, ex.StatusCode);
    }
}
