using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Tests.Hosting;

/// <summary>A hand-written "workflow" that speaks the protocol through the kit's service client: step, 30 s wait,
/// optionally a callback without timeout, step.</summary>
internal sealed class ScriptedFunction
{
    public int CrashesLeft { get; set; }

    public bool UseCallback { get; set; }

    public string? CallbackId { get; private set; }

    /// <summary>The clock's time at each invocation.</summary>
    public List<DateTimeOffset> InvokedAt { get; } = new();

    public async Task<DurableExecutionInvocationOutput> RunAsync(HostedInvocation invocation)
    {
        InvokedAt.Add(invocation.Clock.GetUtcNow());
        if (CrashesLeft > 0)
        {
            CrashesLeft--;
            throw new InvalidOperationException("boom");
        }

        var token = invocation.Input.CheckpointToken!;
        var ops = invocation.Input.InitialExecutionState!.Operations!.ToDictionary(o => o.Id);
        async Task<CheckpointDurableExecutionResponse> Send(params OperationUpdate[] updates)
        {
            var response = await invocation.Client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = token, Updates = updates,
            });
            token = response.CheckpointToken!;
            return response;
        }

        var pending = new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
        if (!ops.ContainsKey("s1"))
        {
            await Send(U.StepStart("s1"), U.StepSucceed("s1", "1"));
        }

        if (!ops.TryGetValue("w", out var wait))
        {
            await Send(U.WaitStart("w", 30));
            return pending;
        }

        if (wait.Status != OperationStatus.Succeeded)
        {
            return pending;
        }

        if (UseCallback)
        {
            if (!ops.TryGetValue("cb", out var callback))
            {
                CallbackId = (await Send(U.CallbackStart("cb"))).NewExecutionState.Operations!.Single().CallbackDetails!.CallbackId;
                return pending;
            }

            if (callback.Status == OperationStatus.Started)
            {
                return pending;
            }
        }

        return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"done\"" };
    }
}
