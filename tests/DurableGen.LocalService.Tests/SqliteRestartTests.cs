using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>SqliteExecutionStore: write, dispose, reopen and continue — nothing of an execution (operations, history,
/// timers, callbacks, tokens, sequence) is lost.</summary>
public sealed class SqliteRestartTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "durablegen-sqlite-" + Guid.NewGuid().ToString("N"));

    private string DatabasePath => Path.Combine(_directory, "executions.db");

    public void Dispose()
    {
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private static CheckpointDurableExecutionResponse Checkpoint(DurableExecutionEngine engine, string arn, string token, string updatesJson)
    {
        var request = JsonSerializer.Deserialize(
            $"{{\"CheckpointToken\":{JsonSerializer.Serialize(token)},\"Updates\":{updatesJson}}}",
            ProtocolJson.Rest.CheckpointDurableExecutionRequest)!;
        request.DurableExecutionArn = arn;
        return engine.Checkpoint(request);
    }

    [Fact]
    public void An_execution_waiting_on_a_timer_and_a_callback_survives_a_restart_and_completes()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        string arn;
        string callbackId;
        int eventsBefore;
        using (var store = new SqliteExecutionStore(DatabasePath))
        {
            var engine = new DurableExecutionEngine(store, clock);
            arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "order-flow", Payload = "{\"n\":1}" }).DurableExecutionArn;
            var invocation = engine.TryBeginInvocation()!;
            var response = Checkpoint(engine, arn, invocation.Input.CheckpointToken!,
                "[{\"Id\":\"w1\",\"Type\":\"WAIT\",\"Action\":\"START\",\"SubType\":\"Wait\",\"Name\":\"cool-off\",\"WaitOptions\":{\"WaitSeconds\":60}}," +
                "{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"SubType\":\"Callback\",\"Name\":\"approval\",\"CallbackOptions\":{\"TimeoutSeconds\":3600}}]");
            callbackId = response.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
            engine.CompleteInvocation(arn, invocation.RequestId, new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
            eventsBefore = engine.GetHistoryEvents(arn).Count;
            Assert.Equal(clock.GetUtcNow().AddSeconds(60), engine.NextDueTime);
        }

        // A new process: new store, new engine, same file.
        using (var store = new SqliteExecutionStore(DatabasePath))
        {
            var engine = new DurableExecutionEngine(store, clock);
            Assert.Equal(ExecutionStatus.Running, engine.GetExecution(arn).Status);
            Assert.Equal(eventsBefore, engine.GetHistoryEvents(arn).Count);
            Assert.Equal(clock.GetUtcNow().AddSeconds(60), engine.NextDueTime); // the timer is still scheduled
            Assert.False(engine.HasRunnableExecution);
            Assert.Single(engine.ListExecutions("order-flow"));

            engine.SendCallbackSuccess(callbackId, "{\"approved\":true}");
            var afterCallback = engine.TryBeginInvocation()!;
            Assert.Equal(new[] { "cb1" }, afterCallback.Input.UpdatedOperationIds);
            engine.CompleteInvocation(arn, afterCallback.RequestId, new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending });
        }

        clock.Advance(TimeSpan.FromSeconds(61));
        using (var store = new SqliteExecutionStore(DatabasePath))
        {
            var engine = new DurableExecutionEngine(store, clock);
            Assert.Equal(1, engine.FireDueTimers());
            var last = engine.TryBeginInvocation()!;
            var operations = last.Input.InitialExecutionState!.Operations!;
            Assert.Equal(OperationStatus.Succeeded, operations.Single(o => o.Id == "w1").Status);
            Assert.Equal("{\"approved\":true}", operations.Single(o => o.Id == "cb1").CallbackDetails!.Result);
            Assert.Equal("{\"n\":1}", operations[0].ExecutionDetails!.InputPayload);
            engine.CompleteInvocation(arn, last.RequestId,
                new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"done\"" });
        }

        using (var store = new SqliteExecutionStore(DatabasePath))
        {
            var engine = new DurableExecutionEngine(store, clock);
            var execution = engine.GetExecution(arn);
            Assert.Equal(ExecutionStatus.Succeeded, execution.Status);
            Assert.Equal("\"done\"", execution.Result);
            var types = engine.GetHistoryEvents(arn).Select(e => e.EventType).ToList();
            Assert.Equal(EventType.ExecutionSucceeded, types[^1]);
            Assert.Contains(EventType.WaitSucceeded, types);
            Assert.Contains(EventType.CallbackSucceeded, types);
            Assert.Equal(types.Count, engine.GetHistoryEvents(arn).Select(e => e.EventId).Distinct().Count());
            Assert.Null(engine.NextDueTime);
        }
    }

    [Fact]
    public void The_store_keeps_its_indexes_sequence_and_an_active_invocation_token()
    {
        var clock = new VirtualClock(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
        string token;
        string arn;
        long sequence;
        using (var store = new SqliteExecutionStore(DatabasePath))
        {
            var engine = new DurableExecutionEngine(store, clock);
            arn = engine.StartExecution(new StartExecutionRequest { FunctionName = "f", ExecutionName = "one" }).DurableExecutionArn;
            var second = engine.StartExecution(new StartExecutionRequest { FunctionName = "g" }).DurableExecutionArn;
            var invocation = engine.TryBeginInvocation()!;
            Assert.Equal(arn, invocation.DurableExecutionArn);
            token = invocation.Input.CheckpointToken!;
            // The largest sequence an execution holds: a restarted store must order new runnable executions after it
            // (a value handed out to a request that never committed may be handed out again: nothing holds it).
            sequence = ((IExecutionStore)store).Load(second)!.RunnableSequence;
            Assert.True(sequence > ((IExecutionStore)store).Load(arn)!.RunnableSequence);
            Assert.Throws<InvalidOperationException>(() => ((IExecutionStore)store).Insert(((IExecutionStore)store).Load(arn)!));
        }

        using (var store = new SqliteExecutionStore(DatabasePath))
        {
            Assert.True(((IExecutionStore)store).NextSequence() > sequence);
            var engine = new DurableExecutionEngine(store, clock);
            // The invocation that was active keeps working with its token after the restart.
            var response = Checkpoint(engine, arn, token,
                "[{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"SubType\":\"Step\",\"Payload\":\"1\"}]");
            Assert.NotNull(response.CheckpointToken);
            Assert.Equal("one", Assert.Single(((IExecutionStore)store).ListByFunction("f", false, null, _ => true, 10)).ExecutionName);
            Assert.Single(((IExecutionStore)store).ListByFunction("g", false, null, _ => true, 10));
            Assert.Equal("one", ((IExecutionStore)store).FindByName("f", "one")!.ExecutionName); // the name index, rebuilt from the file
            Assert.NotNull(((IExecutionStore)store).FindRunnable()); // g's execution waits for its first invocation
        }
    }

    [Fact]
    public async Task The_local_service_restarted_on_the_same_database_finishes_a_waiting_execution()
    {
        string arn;
        string callbackId;
        await using (var first = await TestService.StartAsync(o => o.DatabasePath = DatabasePath))
        {
            using var function = new FakeFunction(first, "order-flow");
            arn = await first.StartExecutionAsync();
            var invocation = await function.NextAsync();
            var response = await function.CheckpointAsync(arn, invocation.Envelope.CheckpointToken!,
                "[{\"Id\":\"w1\",\"Type\":\"WAIT\",\"Action\":\"START\",\"SubType\":\"Wait\",\"WaitOptions\":{\"WaitSeconds\":1}}," +
                "{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"SubType\":\"Callback\",\"Name\":\"approval\"}]");
            callbackId = response.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
            Assert.Equal(202, await function.RespondAsync(invocation.RequestId, FakeFunction.Pending));
        }

        await Task.Delay(1100); // the wait falls due while the service is down
        await using var second = await TestService.StartAsync(o => o.DatabasePath = DatabasePath);
        using var restarted = new FakeFunction(second, "order-flow");
        Assert.Equal("RUNNING", await second.StatusAsync(arn));
        var afterWait = await restarted.NextAsync();
        Assert.Equal(OperationStatus.Succeeded, afterWait.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "w1").Status);
        Assert.Equal(202, await restarted.RespondAsync(afterWait.RequestId, FakeFunction.Pending));

        await second.PostJsonAsync($"2025-12-01/durable-execution-callbacks/{TestService.Escape(callbackId)}/succeed", "yes",
            "application/octet-stream");
        var afterCallback = await restarted.NextAsync();
        Assert.Equal("yes", afterCallback.Envelope.InitialExecutionState!.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.Result);
        Assert.Equal(202, await restarted.RespondAsync(afterCallback.RequestId, FakeFunction.Succeeded("\"ok\"")));
        await TestService.EventuallyAsync(async () => await second.StatusAsync(arn) == "SUCCEEDED", "the execution to succeed");
    }
}
