using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class CallbackTests
{
    private static (Harness H, Invocation Inv, string CallbackId) StartCallback(int? timeout = null, int? heartbeat = null)
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var op = inv.Checkpoint(U.CallbackStart("cb", timeout, heartbeat, "await-approval")).NewExecutionState.Operations!.Single();
        inv.Complete(InvocationStatus.Pending);
        return (h, inv, op.CallbackDetails!.CallbackId!);
    }

    [Fact]
    public void Callback_id_is_opaque_base64_and_started_event_carries_timeouts()
    {
        var (h, inv, id) = StartCallback(86400, 3600);
        Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", id);
        Assert.InRange(id.Length, 1, 1024);
        var bytes = Convert.FromBase64String(id);
        var latin = Encoding.Latin1.GetString(bytes);
        var executionId = inv.Arn[(inv.Arn.LastIndexOf('/') + 1)..];
        Assert.DoesNotContain(executionId, latin, StringComparison.Ordinal); // nothing of the ARN, in any encoding used before
        Assert.DoesNotContain("durable-execution", latin, StringComparison.Ordinal);
        Assert.DoesNotContain("\"op\"", latin, StringComparison.Ordinal);
        Assert.ThrowsAny<JsonException>(() => JsonDocument.Parse(bytes));

        var started = h.History(inv.Arn).Single(e => e.EventType == EventType.CallbackStarted);
        Assert.Equal(id, started.CallbackStartedDetails!.CallbackId);
        Assert.Equal(86400, started.CallbackStartedDetails.Timeout);
        Assert.Equal(3600, started.CallbackStartedDetails.HeartbeatTimeout);
    }

    [Fact]
    public void Callback_without_timeouts_has_no_timeout_members_and_no_timer()
    {
        var (h, inv, _) = StartCallback(0, null);
        var json = h.HistoryJson(inv.Arn);
        Assert.DoesNotContain("\"Timeout\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("HeartbeatTimeout", json, StringComparison.Ordinal);
        Assert.Equal(h.Describe(inv.Arn).StartTimestamp.AddSeconds(86400), h.Engine.NextDueTime); // only the execution timeout
    }

    [Fact]
    public void Success_completes_the_callback_records_the_event_and_reinvokes()
    {
        var (h, inv, id) = StartCallback(100);
        Assert.False(h.Engine.IsRunnable(inv.Arn));
        h.Engine.SendCallbackSuccess(id, "{\"approved\":true}");
        var op = h.Operation(inv.Arn, "cb");
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.Equal("{\"approved\":true}", op.CallbackDetails!.Result);
        Assert.NotNull(op.EndTimestamp);
        var e = h.History(inv.Arn).Last();
        Assert.Equal(EventType.CallbackSucceeded, e.EventType);
        Assert.Equal("await-approval", e.Name);
        Assert.Equal("{\"approved\":true}", e.CallbackSucceededDetails!.Result!.Payload);
        Assert.True(h.Engine.IsRunnable(inv.Arn));
        Assert.Equal(new[] { "cb" }, h.Begin().Input.UpdatedOperationIds);
        // The callback's timeout timer is gone.
        Assert.Equal(h.Describe(inv.Arn).StartTimestamp.AddSeconds(86400), h.Engine.NextDueTime);
    }

    [Fact]
    public void Failure_stores_the_error_and_records_callback_failed()
    {
        var (h, inv, id) = StartCallback();
        h.Engine.SendCallbackFailure(id, new ErrorObject { ErrorType = "Rejected", ErrorMessage = "manager declined", ErrorData = "{}" });
        var op = h.Operation(inv.Arn, "cb");
        Assert.Equal(OperationStatus.Failed, op.Status);
        Assert.Equal("Rejected", op.CallbackDetails!.Error!.ErrorType);
        var e = h.History(inv.Arn).Last();
        Assert.Equal(EventType.CallbackFailed, e.EventType);
        Assert.Equal("manager declined", e.CallbackFailedDetails!.Error!.Payload!.ErrorMessage);
    }

    [Fact]
    public void Timeout_times_the_callback_out_with_callback_timeout_error()
    {
        var (h, inv, id) = StartCallback(60);
        h.Advance(59);
        Assert.Equal(0, h.Engine.FireDueTimers());
        h.Advance(1);
        Assert.Equal(1, h.Engine.FireDueTimers());
        var op = h.Operation(inv.Arn, "cb");
        Assert.Equal(OperationStatus.TimedOut, op.Status);
        var e = h.History(inv.Arn).Last();
        Assert.Equal(EventType.CallbackTimedOut, e.EventType);
        Assert.Equal("Callback.Timeout", e.CallbackTimedOutDetails!.Error!.Payload!.ErrorType);
        Assert.Equal("Callback timed out", e.CallbackTimedOutDetails.Error.Payload.ErrorMessage);
        Assert.True(h.Engine.IsRunnable(inv.Arn));
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(id, "late"), ErrorCodes.CallbackTimeout);
    }

    [Fact]
    public void Heartbeat_restarts_the_heartbeat_deadline_without_an_event_and_missing_heartbeats_time_out()
    {
        var (h, inv, id) = StartCallback(1000, 10);
        var events = h.History(inv.Arn).Count;
        h.Advance(8);
        h.Engine.SendCallbackHeartbeat(id);
        Assert.Equal(events, h.History(inv.Arn).Count);
        h.Advance(8); // 16 s after start, 8 s after the heartbeat
        Assert.Equal(0, h.Engine.FireDueTimers());
        Assert.Equal(OperationStatus.Started, h.Operation(inv.Arn, "cb").Status);
        h.Advance(2);
        Assert.Equal(1, h.Engine.FireDueTimers());
        var e = h.History(inv.Arn).Last();
        Assert.Equal(EventType.CallbackTimedOut, e.EventType);
        Assert.Equal("Callback.Heartbeat", e.CallbackTimedOutDetails!.Error!.Payload!.ErrorType);
        Assert.Equal("Callback timed out on heartbeat", e.CallbackTimedOutDetails.Error.Payload.ErrorMessage);
    }

    [Fact]
    public void Heartbeat_without_heartbeat_timeout_is_accepted_as_a_no_op()
    {
        var (h, inv, id) = StartCallback();
        h.Engine.SendCallbackHeartbeat(id);
        Assert.Equal(OperationStatus.Started, h.Operation(inv.Arn, "cb").Status);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not base64!")]
    [InlineData("aGVsbG8gd29ybGQ=")] // "hello world": base64 but not JSON
    [InlineData("eyJmb28iOjF9")] // {"foo":1}: JSON without arn/op
    public void Garbage_callback_ids_are_invalid_parameter(string id)
    {
        var h = new Harness();
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(id, null));
        Harness.Rejects(() => h.Engine.SendCallbackFailure(id, null));
        Harness.Rejects(() => h.Engine.SendCallbackHeartbeat(id));
    }

    [Fact]
    public void Unknown_execution_or_operation_is_resource_not_found()
    {
        var (h, inv, id) = StartCallback();
        string Make(string arn, string op) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"arn\":\"{arn}\",\"op\":\"{op}\",\"n\":\"x\"}}"));
        var e1 = Harness.Rejects(() => h.Engine.SendCallbackSuccess(Make(inv.Arn + "zz", "cb"), null), ErrorCodes.ResourceNotFound);
        Assert.Equal(404, e1.StatusCode);
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(Make(inv.Arn, "nope"), null), ErrorCodes.ResourceNotFound);
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(Make(inv.Arn, "cb"), null), ErrorCodes.ResourceNotFound); // wrong nonce
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(Make(inv.Arn, inv.Input.InitialExecutionState!.Operations![0].Id), null),
            ErrorCodes.ResourceNotFound); // not a callback
        h.Engine.SendCallbackSuccess(id, null); // the real id still works
    }

    [Fact]
    public void Closed_callback_or_closed_execution_is_callback_timeout_exception()
    {
        var (h, inv, id) = StartCallback();
        h.Engine.SendCallbackSuccess(id, "1");
        var second = Harness.Rejects(() => h.Engine.SendCallbackSuccess(id, "2"), ErrorCodes.CallbackTimeout);
        Assert.Equal(400, second.StatusCode);
        Harness.Rejects(() => h.Engine.SendCallbackHeartbeat(id), ErrorCodes.CallbackTimeout);

        var (h2, inv2, id2) = StartCallback();
        h2.Engine.StopExecution(inv2.Arn);
        Harness.Rejects(() => h2.Engine.SendCallbackFailure(id2, null), ErrorCodes.CallbackTimeout);
        Assert.Equal(OperationStatus.Started, h2.Operation(inv2.Arn, "cb").Status);
    }

    [Fact]
    public void Failure_without_error_leaves_error_fields_absent_and_empty_success_leaves_result_absent()
    {
        var (h, inv, id) = StartCallback();
        h.Engine.SendCallbackFailure(id, null);
        Assert.Null(h.Operation(inv.Arn, "cb").CallbackDetails!.Error);
        Assert.Contains("\"CallbackFailedDetails\":{\"Error\":{}}", h.HistoryJson(inv.Arn), StringComparison.Ordinal);

        var (h2, inv2, id2) = StartCallback();
        h2.Engine.SendCallbackSuccess(id2, "");
        Assert.Null(h2.Operation(inv2.Arn, "cb").CallbackDetails!.Result);
        Assert.Contains("\"CallbackSucceededDetails\":{\"Result\":{}}", h2.HistoryJson(inv2.Arn), StringComparison.Ordinal);
    }

    [Fact]
    public void Callback_ids_are_unguessable_a_changed_id_is_not_found_and_a_forged_plain_id_is_refused()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var ops = inv.Checkpoint(U.CallbackStart("cb1", null, null, "a"), U.CallbackStart("cb2", null, null, "b"))
            .NewExecutionState.Operations!;
        var id1 = ops.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        var id2 = ops.Single(o => o.Id == "cb2").CallbackDetails!.CallbackId!;
        Assert.NotEqual(id1, id2);
        Assert.NotEqual(id1[..24], id2[..24]); // a random nonce leads each id: no shared prefix to learn from

        // Every single-byte change of a real id is refused as unknown (the tag fails), never accepted.
        var bytes = Convert.FromBase64String(id1);
        for (var i = 0; i < bytes.Length; i++)
        {
            var changed = (byte[])bytes.Clone();
            changed[i] ^= 0x01;
            Harness.Rejects(() => h.Engine.SendCallbackHeartbeat(Convert.ToBase64String(changed)), ErrorCodes.ResourceNotFound);
        }

        // The id format of earlier builds, made up for this very callback, is not its id.
        var forged = Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"arn\":\"{inv.Arn}\",\"op\":\"cb1\",\"n\":\"x\"}}"));
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(forged, null), ErrorCodes.ResourceNotFound);

        // Another engine (another key) cannot open it either.
        var other = new Harness();
        Harness.Rejects(() => other.Engine.SendCallbackSuccess(id1, null), ErrorCodes.ResourceNotFound);

        h.Engine.SendCallbackSuccess(id1, "\"ok\"");
        h.Engine.SendCallbackFailure(id2, null);
        Assert.Equal(OperationStatus.Succeeded, h.Operation(inv.Arn, "cb1").Status);
        Assert.Equal(OperationStatus.Failed, h.Operation(inv.Arn, "cb2").Status);
    }

    [Fact]
    public void Callback_cancel_closes_it_without_an_event()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var id = inv.Checkpoint(U.CallbackStart("cb", 10)).NewExecutionState.Operations!.Single().CallbackDetails!.CallbackId!;
        var events = h.History(inv.Arn).Count;
        inv.Checkpoint(new OperationUpdate { Id = "cb", Type = OperationType.Callback, Action = OperationAction.Cancel });
        Assert.Equal(OperationStatus.Cancelled, h.Operation(inv.Arn, "cb").Status);
        Assert.Equal(events, h.History(inv.Arn).Count);
        Harness.Rejects(() => h.Engine.SendCallbackSuccess(id, "1"), ErrorCodes.CallbackTimeout);
    }
}
