using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DurableGen.Emulator.Tests.Hosting;

public sealed class InProcessInvokerTests
{
    private static async Task<(Harness H, string Arn, ExecutionLogSink Logs)> RunOnceAsync(HostedHandler handler,
        Func<CheckpointFaultContext, CheckpointFault>? faults = null)
    {
        var h = new Harness();
        var functions = new FunctionRegistry();
        functions.Register("order-flow", handler);
        var logs = new ExecutionLogSink();
        var invoker = new InProcessInvoker(h.Engine, functions, logs) { Faults = faults };
        var arn = h.Start();
        await invoker.DispatchAsync(h.Engine.TryBeginInvocation()!, default);
        return (h, arn, logs);
    }

    private static ErrorObject InvocationError(Harness h, string arn) =>
        h.History(arn).Single(e => e.EventType == EventType.InvocationCompleted).InvocationCompletedDetails!.Error!.Payload!;

    [Fact]
    public async Task A_handler_exception_is_recorded_with_its_type_and_message()
    {
        var (h, arn, _) = await RunOnceAsync(_ => throw new InvalidOperationException("boom"));
        var error = InvocationError(h, arn);
        Assert.Equal("System.InvalidOperationException", error.ErrorType);
        Assert.Equal("boom", error.ErrorMessage);
    }

    [Fact]
    public async Task A_crash_is_an_exit_error_and_fences_every_later_call_of_the_dying_invocation()
    {
        Exception? afterCrash = null;
        var (h, arn, _) = await RunOnceAsync(async invocation =>
        {
            _ = invocation.Crash();
            afterCrash = await Record.ExceptionAsync(() => invocation.Client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = invocation.Input.CheckpointToken!,
                Updates = [U.StepStart("s1")],
            }));
            // Whatever the handler returns after its process died, the invocation is an exit error.
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "1" };
        });

        Assert.IsType<SimulatedCrashException>(afterCrash);
        Assert.DoesNotContain(h.Engine.GetOperations(arn), o => o.Id == "s1");
        var error = InvocationError(h, arn);
        Assert.Equal(DurableExecutionEngine.RuntimeExitError, error.ErrorType);
        // Word for word what the local service records for an exited function process (and Lambda for a dead runtime).
        var requestId = h.History(arn).Single(e => e.EventType == EventType.InvocationCompleted).InvocationCompletedDetails!.RequestId;
        Assert.Equal($"RequestId: {requestId} Error: Runtime exited with error: exit status 1", error.ErrorMessage);
    }

    [Theory]
    [InlineData(CheckpointFault.CrashBeforeSending, false)]
    [InlineData(CheckpointFault.CrashAfterApplying, true)]
    public async Task A_planned_fault_crashes_before_or_after_the_service_applies_the_request(CheckpointFault fault, bool applied)
    {
        CheckpointFaultContext? seen = null;
        var (h, arn, _) = await RunOnceAsync(async invocation =>
        {
            await Assert.ThrowsAsync<SimulatedCrashException>(() => invocation.Client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = invocation.Input.CheckpointToken!,
                Updates = [U.StepStart("s1")],
            }));
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
        }, context =>
        {
            seen = context;
            return fault;
        });

        Assert.Equal((1, 1), (seen!.InvocationNumber, seen.CheckpointNumber));
        Assert.Equal(applied, h.Engine.GetOperations(arn).Any(o => o.Id == "s1"));
        Assert.Equal(DurableExecutionEngine.RuntimeExitError, InvocationError(h, arn).ErrorType);
    }

    /// <summary>Faults the runtime's HTTP client retries cost nothing: the request is applied once and answered.</summary>
    [Theory]
    [InlineData(CheckpointFault.ResponseLost)]
    [InlineData(CheckpointFault.ServerError)]
    [InlineData(CheckpointFault.Throttled)]
    public async Task A_retried_fault_is_answered_by_the_clients_retry_and_applied_once(CheckpointFault fault)
    {
        var (h, arn, _) = await RunOnceAsync(async invocation =>
        {
            await invocation.Client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = invocation.Input.CheckpointToken!,
                Updates = [U.StepStart("s1"), U.StepSucceed("s1", "1")],
            });
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"done\"" };
        }, context => context.CheckpointNumber == 1 ? fault : CheckpointFault.None);

        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(arn).Status);
        Assert.Single(h.History(arn), e => e.EventType == EventType.StepStarted);
        Assert.Null(h.History(arn).Single(e => e.EventType == EventType.InvocationCompleted).InvocationCompletedDetails!.Error);
    }

    [Fact]
    public async Task A_timeout_with_a_checkpoint_in_flight_fences_the_invocation_before_the_request_lands()
    {
        var (h, arn, _) = await RunOnceAsync(async invocation =>
        {
            await Assert.ThrowsAsync<SimulatedCrashException>(() => invocation.Client.CheckpointAsync(new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = invocation.Input.CheckpointToken!,
                Updates = [U.StepStart("s1")],
            }));
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
        }, _ => CheckpointFault.TimeoutInFlight);

        Assert.DoesNotContain(h.Engine.GetOperations(arn), o => o.Id == "s1");
        Assert.Equal(DurableExecutionEngine.SandboxTimeoutError, InvocationError(h, arn).ErrorType);
    }

    [Fact]
    public async Task A_duplicate_delivery_runs_a_newer_invocation_beside_the_older_whose_checkpoints_and_outcome_do_not_count()
    {
        var refused = false;
        var (h, arn, _) = await RunOnceAsync(async invocation =>
        {
            var request = new CheckpointDurableExecutionRequest
            {
                DurableExecutionArn = invocation.DurableExecutionArn, CheckpointToken = invocation.Input.CheckpointToken!,
                Updates = [U.StepStart("s1"), U.StepSucceed("s1", invocation.InvocationNumber.ToString(System.Globalization.CultureInfo.InvariantCulture))],
            };
            if (invocation.InvocationNumber == 1)
            {
                refused = (await Assert.ThrowsAsync<DurableServiceException>(() => invocation.Client.CheckpointAsync(request))).IsStaleCheckpointToken;
                return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"older\"" };
            }

            await invocation.Client.CheckpointAsync(request);
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"newer\"" };
        }, context => context.InvocationNumber == 1 ? CheckpointFault.DuplicateDelivery : CheckpointFault.None);

        Assert.True(refused);
        Assert.Equal("\"newer\"", h.Describe(arn).Result);
        Assert.Equal("2", h.Engine.GetOperations(arn).Single(o => o.Id == "s1").StepDetails!.Result);
        Assert.Equal(2, h.History(arn).Count(e => e.EventType == EventType.InvocationCompleted));
    }

    [Fact]
    public async Task Log_calls_and_emitted_records_are_captured_per_execution_with_scope_fields()
    {
        var (_, arn, logs) = await RunOnceAsync(invocation =>
        {
            using (invocation.Logger.BeginScope(new[] { new System.Collections.Generic.KeyValuePair<string, object?>("operationId", "op-1") }))
            {
                invocation.Logger.LogInformation("hello {Name}", "ada");
            }

            return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "1" });
        });

        var record = Assert.Single(logs.Get(arn));
        Assert.Equal(LogLevel.Information, record.Level);
        Assert.Equal("hello ada", record.Message);
        Assert.Equal("op-1", (string?)record.Fields["operationId"]);
        Assert.Equal("ada", (string?)record.Fields["Name"]);
        Assert.Equal(arn, (string?)record.Fields["durableExecutionArn"]);
        Assert.Empty(logs.Get("arn:other"));
    }

    [Fact]
    public async Task An_unregistered_function_fails_its_invocation_and_is_reported()
    {
        var h = new Harness();
        var invoker = new InProcessInvoker(h.Engine, new FunctionRegistry(), new ExecutionLogSink());
        var arn = h.Start();
        await invoker.DispatchAsync(h.Engine.TryBeginInvocation()!, default);
        Assert.Equal("order-flow", invoker.UnregisteredFunction);
        Assert.Contains("No function named 'order-flow'", InvocationError(h, arn).ErrorMessage, StringComparison.Ordinal);
    }
}
