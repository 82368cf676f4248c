using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Protocol;
using DurableGen.TestSupport.FaultModel;
using Xunit;

namespace DurableGen.Integration.Tests.PropertyTests;

/// <summary>Each history invariant the fault check relies on catches the history that breaks it.</summary>
public sealed class HistoryInvariantsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_well_formed_history_passes()
    {
        Assert.Empty(HistoryInvariants.Check(Good(), Records()));
    }

    [Fact]
    public void A_gap_in_event_ids_is_caught()
    {
        var history = Good();
        history[2].EventId = 7;
        Assert.Contains(HistoryInvariants.Check(history, Records()), p => p.Contains("dense", StringComparison.Ordinal));
    }

    [Fact]
    public void A_timestamp_going_back_is_caught()
    {
        var history = Good();
        history[3].EventTimestamp = T0.AddSeconds(-1);
        Assert.Contains(HistoryInvariants.Check(history, Records()), p => p.Contains("is earlier than", StringComparison.Ordinal));
    }

    [Fact]
    public void An_event_for_an_operation_without_a_record_is_caught()
    {
        var history = Good();
        history.Insert(3, E(0, EventType.WaitStarted, "ghost"));
        Renumber(history);
        Assert.Contains(HistoryInvariants.Check(history, Records()), p => p.Contains("ghost, which has no record", StringComparison.Ordinal));
    }

    [Fact]
    public void A_closed_operation_whose_last_event_does_not_close_it_is_caught()
    {
        var history = Good().Where(e => e.EventType != EventType.StepSucceeded).ToList();
        Renumber(history);
        Assert.Contains(HistoryInvariants.Check(history, Records()), p => p.Contains("operation s1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_step_closed_by_a_failed_attempt_with_a_retry_to_come_is_caught()
    {
        var history = Good();
        var succeeded = history.Single(e => e.EventType == EventType.StepSucceeded);
        succeeded.EventType = EventType.StepFailed;
        succeeded.StepFailedDetails = new EventErrorDetails { RetryDetails = new RetryDetails { CurrentAttempt = 1, NextAttemptDelaySeconds = 2 } };
        var records = Records();
        records.Single(o => o.Id == "s1").Status = OperationStatus.Failed;
        Assert.Contains(HistoryInvariants.Check(history, records), p => p.Contains("operation s1", StringComparison.Ordinal));
    }

    [Fact]
    public void A_parent_closed_before_its_child_is_caught()
    {
        var history = Good();
        var child = history.Single(e => e.EventType == EventType.StepSucceeded);
        var parent = history.Single(e => e.EventType == EventType.ContextSucceeded);
        (child.EventType, parent.EventType) = (EventType.ContextSucceeded, EventType.StepSucceeded);
        (child.Id, parent.Id) = (parent.Id, child.Id);
        (child.ParentId, parent.ParentId) = (parent.ParentId, child.ParentId);
        Assert.Contains(HistoryInvariants.Check(history, Records()), p => p.Contains("after its parent", StringComparison.Ordinal));
    }

    [Fact]
    public void A_child_left_open_under_a_closed_parent_is_caught()
    {
        var records = Records();
        records.Single(o => o.Id == "s1").Status = OperationStatus.Started;
        var history = Good().Where(e => e.EventType != EventType.StepSucceeded).ToList();
        Renumber(history);
        Assert.Contains(HistoryInvariants.Check(history, records), p => p.Contains("its parent ctx has closed", StringComparison.Ordinal));
    }

    [Fact]
    public void A_pending_operation_is_not_a_problem()
    {
        var records = Records();
        records.Add(new Operation { Id = "w1", Type = OperationType.Wait, Status = OperationStatus.Started });
        var history = Good();
        history.Insert(5, E(2, EventType.WaitStarted, "w1"));
        Renumber(history);
        Assert.Empty(HistoryInvariants.Check(history, records));
    }

    private static List<Operation> Records() => new()
    {
        new Operation { Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Succeeded },
        new Operation { Id = "ctx", Type = OperationType.Context, Status = OperationStatus.Succeeded },
        new Operation { Id = "s1", ParentId = "ctx", Type = OperationType.Step, Status = OperationStatus.Succeeded },
    };

    private static List<Event> Good()
    {
        var history = new List<Event>
        {
            E(0, EventType.ExecutionStarted, null),
            E(0, EventType.ContextStarted, "ctx"),
            E(1, EventType.StepStarted, "s1", "ctx"),
            E(1, EventType.StepSucceeded, "s1", "ctx"),
            E(2, EventType.ContextSucceeded, "ctx"),
            E(2, EventType.InvocationCompleted, null),
            E(2, EventType.ExecutionSucceeded, null),
        };
        Renumber(history);
        return history;
    }

    private static Event E(int seconds, EventType type, string? id, string? parentId = null) =>
        new() { EventType = type, Id = id, ParentId = parentId, EventTimestamp = T0.AddSeconds(seconds) };

    private static void Renumber(List<Event> history)
    {
        for (var i = 0; i < history.Count; i++)
        {
            history[i].EventId = i + 1;
        }
    }
}
