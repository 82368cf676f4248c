using System;
using System.Linq;
using System.Text.Json;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class HistoryShapeTests
{
    private static (Harness H, string Arn) Sample()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1", "charge-card"), U.StepSucceed("s1", "{\"ok\":true}", "charge-card"));
        inv.Checkpoint(U.ContextStart("ctx"), U.StepStart("c1", "child", "ctx"),
            new OperationUpdate
            {
                Id = "c1", Type = OperationType.Step, SubType = "Step", Action = OperationAction.Fail, Name = "child",
                ParentId = "ctx", Error = new ErrorObject { ErrorType = "Boom", ErrorMessage = "bad" },
            });
        inv.Checkpoint(U.WaitStart("w", 30, "cool-off"));
        inv.Complete(InvocationStatus.Pending);
        return (h, inv.Arn);
    }

    [Fact]
    public void Absent_members_are_omitted_and_empty_details_are_written_as_empty_objects()
    {
        var (h, arn) = Sample();
        var json = h.HistoryJson(arn);
        Assert.DoesNotContain("null", json, StringComparison.Ordinal);
        using var doc = JsonDocument.Parse(json);
        var events = doc.RootElement.GetProperty("Events").EnumerateArray().ToList();

        var stepStarted = events.First(e => e.GetProperty("EventType").GetString() == "StepStarted");
        Assert.Equal("{}", stepStarted.GetProperty("StepStartedDetails").GetRawText());
        Assert.False(stepStarted.TryGetProperty("ParentId", out _));
        Assert.Equal("Step", stepStarted.GetProperty("SubType").GetString());
        Assert.Equal(JsonValueKind.Number, stepStarted.GetProperty("EventTimestamp").ValueKind);
        Assert.Equal(1767225600m, stepStarted.GetProperty("EventTimestamp").GetDecimal()); // epoch seconds

        var contextStarted = events.First(e => e.GetProperty("EventType").GetString() == "ContextStarted");
        Assert.Equal("{}", contextStarted.GetProperty("ContextStartedDetails").GetRawText());

        var childFailed = events.First(e => e.GetProperty("EventType").GetString() == "StepFailed");
        Assert.Equal("ctx", childFailed.GetProperty("ParentId").GetString());
        Assert.Equal("{\"Error\":{\"Payload\":{\"ErrorType\":\"Boom\",\"ErrorMessage\":\"bad\"}},\"RetryDetails\":{\"CurrentAttempt\":1}}",
            childFailed.GetProperty("StepFailedDetails").GetRawText());

        var succeeded = events.First(e => e.GetProperty("EventType").GetString() == "StepSucceeded");
        Assert.Equal("{\"Result\":{\"Payload\":\"{\\\"ok\\\":true}\",\"Truncated\":false},\"RetryDetails\":{\"CurrentAttempt\":1}}",
            succeeded.GetProperty("StepSucceededDetails").GetRawText());

        var waitStarted = events.First(e => e.GetProperty("EventType").GetString() == "WaitStarted");
        Assert.Equal("{\"Duration\":30,\"ScheduledEndTimestamp\":1767225630}", waitStarted.GetProperty("WaitStartedDetails").GetRawText());

        var completed = events.Last();
        Assert.Equal("InvocationCompleted", completed.GetProperty("EventType").GetString());
        Assert.False(completed.TryGetProperty("Id", out _));
        Assert.False(completed.TryGetProperty("Name", out _));
        var details = completed.GetProperty("InvocationCompletedDetails");
        Assert.True(details.TryGetProperty("RequestId", out _));
        Assert.True(details.TryGetProperty("StartTimestamp", out _));
        Assert.False(details.TryGetProperty("Error", out _));

        var started = events[0];
        Assert.Equal("{\"Input\":{\"Payload\":\"{\\\"orderId\\\":42}\"},\"ExecutionTimeout\":86400}",
            started.GetProperty("ExecutionStartedDetails").GetRawText());
    }

    [Fact]
    public void Exclude_execution_data_drops_payloads_but_keeps_wrappers()
    {
        var (h, arn) = Sample();
        var json = h.HistoryJson(arn, includeExecutionData: false);
        Assert.DoesNotContain("Payload", json, StringComparison.Ordinal);
        Assert.Contains("\"ExecutionStartedDetails\":{\"Input\":{},\"ExecutionTimeout\":86400}", json, StringComparison.Ordinal);
        Assert.Contains("\"StepFailedDetails\":{\"Error\":{},", json, StringComparison.Ordinal);
        Assert.Contains("Payload", h.HistoryJson(arn), StringComparison.Ordinal); // stored data untouched
    }

    [Fact]
    public void History_pages_forward_and_backward_with_markers()
    {
        var (h, arn) = Sample();
        var all = h.History(arn);
        var first = h.Engine.GetExecutionHistory(arn, maxItems: 3);
        Assert.Equal(new[] { 1, 2, 3 }, first.Events.Select(e => e.EventId));
        Assert.Equal("4", first.NextMarker);
        var second = h.Engine.GetExecutionHistory(arn, first.NextMarker, 100);
        Assert.Equal(all.Skip(3).Select(e => e.EventId), second.Events.Select(e => e.EventId));
        Assert.Null(second.NextMarker);

        var reversed = h.Engine.GetExecutionHistory(arn, maxItems: 2, reverseOrder: true);
        Assert.Equal(new[] { all.Count, all.Count - 1 }, reversed.Events.Select(e => e.EventId));
        var reversedRest = h.Engine.GetExecutionHistory(arn, reversed.NextMarker, 1000, reverseOrder: true);
        Assert.Equal(1, reversedRest.Events.Last().EventId);
        Harness.Rejects(() => h.Engine.GetExecutionHistory(arn, "abc"));
        Harness.Rejects(() => h.Engine.GetExecutionHistory(arn, maxItems: 1001));
    }

    [Fact]
    public void Returned_events_and_operations_are_copies()
    {
        var (h, arn) = Sample();
        h.Engine.GetHistoryEvents(arn)[0].Name = "mutated";
        h.Engine.GetOperations(arn)[1].Name = "mutated";
        Assert.NotEqual("mutated", h.History(arn)[0].Name);
        Assert.NotEqual("mutated", h.Engine.GetOperations(arn)[1].Name);
    }
}
