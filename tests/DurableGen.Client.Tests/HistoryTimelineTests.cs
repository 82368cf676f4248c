using System;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Client.Tests;

/// <summary>HistoryTimeline: the one formatter of history events, used by the test runner's timeline and the CLI.</summary>
public sealed class HistoryTimelineTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 2, 3, 4, 5, TimeSpan.Zero);

    [Fact]
    public void Format_writes_offsets_nesting_names_and_details()
    {
        Event[] history =
        [
            new() { EventType = EventType.ExecutionStarted, EventId = 1, Id = "exec", Name = "exec", EventTimestamp = Start,
                ExecutionStartedDetails = new ExecutionStartedDetails { Input = new EventPayload { Payload = "{\"n\":1}" } } },
            new() { EventType = EventType.ContextStarted, EventId = 2, Id = "c1", Name = "outer", EventTimestamp = Start.AddSeconds(1) },
            new() { EventType = EventType.StepSucceeded, EventId = 3, Id = "s1", ParentId = "c1", Name = "charge",
                EventTimestamp = Start.AddDays(1).AddSeconds(2),
                StepSucceededDetails = new EventResultDetails { Result = new EventPayload { Payload = "\"ok\"" } } },
        ];

        var lines = HistoryTimeline.Format(history).Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);

        Assert.Equal(
        [
            "+00:00:00  ExecutionStarted  ← {\"n\":1}",
            "+00:00:01  ContextStarted 'outer'",
            "+1d00:00:02    StepSucceeded 'charge'  → \"ok\"",
        ], lines);
    }

    [Fact]
    public void Describe_gives_the_detail_that_matters_for_each_kind_of_event()
    {
        Assert.Equal("✗ Boom: it broke (retry in 4s)", HistoryTimeline.Describe(new Event
        {
            EventType = EventType.StepFailed,
            StepFailedDetails = new EventErrorDetails
            {
                Error = new EventError { Payload = new ErrorObject { ErrorType = "Boom", ErrorMessage = "it broke" } },
                RetryDetails = new RetryDetails { NextAttemptDelaySeconds = 4 },
            },
        }));
        Assert.Equal("callback cb-1, timeout 300s, heartbeat 60s", HistoryTimeline.Describe(new Event
        {
            EventType = EventType.CallbackStarted,
            CallbackStartedDetails = new CallbackStartedDetails { CallbackId = "cb-1", Timeout = 300, HeartbeatTimeout = 60 },
        }));
        Assert.Equal("callback cb-2", HistoryTimeline.Describe(new Event
        {
            EventType = EventType.CallbackStarted,
            CallbackStartedDetails = new CallbackStartedDetails { CallbackId = "cb-2" },
        }));
        Assert.Equal("30s", HistoryTimeline.Describe(new Event
        {
            EventType = EventType.WaitStarted,
            WaitStartedDetails = new WaitStartedDetails { Duration = 30 },
        }));
        Assert.Equal("→ " + new string('x', 77) + "...", HistoryTimeline.Describe(new Event
        {
            EventType = EventType.ExecutionSucceeded,
            ExecutionSucceededDetails = new EventResultDetails { Result = new EventPayload { Payload = new string('x', 200) } },
        }));
        Assert.Equal("", HistoryTimeline.Describe(new Event { EventType = EventType.StepStarted }));
    }
}
