using System;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Hosting;

public sealed class BackgroundWorkTests
{
    [Fact]
    public async Task Time_is_not_skipped_past_external_work_that_is_still_running()
    {
        InProcessHost? host = null;
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
            await ctx.WaitForCallbackAsync<string>((callbackId, _, _) =>
            {
                // An approver that takes real time to answer, while the host's clock is virtual.
                host!.StartBackground(async () =>
                {
                    await Task.Delay(300);
                    await host.Callbacks.SendCallbackSuccessAsync(callbackId, "\"approved\"");
                });
                return Task.CompletedTask;
            }, "approval", new WaitForCallbackConfig { HeartbeatTimeout = TimeSpan.FromMinutes(5) }));
        host = runner.Host;

        var result = await runner.RunAsync("order");

        // Without the host knowing about the approver, the 5-minute heartbeat timer would have been skipped to at once.
        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("approved", result.Result);
    }

    [Fact]
    public async Task A_failure_of_external_work_is_reported_by_the_run()
    {
        InProcessHost? host = null;
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("approval");
            await ctx.StepAsync((_, _) =>
            {
                host!.StartBackground(() => throw new InvalidOperationException("approver crashed"));
                return Task.CompletedTask;
            }, "hand-off");
            return await callback.GetResultAsync();
        });
        host = runner.Host;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync("order"));

        Assert.Contains("approver crashed", error.Message, StringComparison.Ordinal);
    }
}
