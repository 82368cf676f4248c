using System;

namespace DurableGen.Protocol;

/// <summary>
/// One history event, in the shape of <c>GetDurableExecutionHistory</c>. Exactly one details member is set, named after
/// the event type; absent members are omitted on the wire.
/// </summary>
public sealed class Event
{
    /// <summary>The event type.</summary>
    public EventType EventType { get; set; }

    /// <summary>The operation's sub-kind.</summary>
    public string? SubType { get; set; }

    /// <summary>1, 2, 3, … per execution.</summary>
    public int EventId { get; set; }

    /// <summary>The operation id (absent for <see cref="EventType.InvocationCompleted"/>).</summary>
    public string? Id { get; set; }

    /// <summary>The operation name.</summary>
    public string? Name { get; set; }

    /// <summary>When the event was recorded.</summary>
    public DateTimeOffset EventTimestamp { get; set; }

    /// <summary>The enclosing context's id.</summary>
    public string? ParentId { get; set; }

#pragma warning disable CS1591 // one details member per event type; their names say what they are
    public ExecutionStartedDetails? ExecutionStartedDetails { get; set; }
    public EventResultDetails? ExecutionSucceededDetails { get; set; }
    public EventErrorDetails? ExecutionFailedDetails { get; set; }
    public EventErrorDetails? ExecutionTimedOutDetails { get; set; }
    public EventErrorDetails? ExecutionStoppedDetails { get; set; }
    public EmptyEventDetails? ContextStartedDetails { get; set; }
    public EventResultDetails? ContextSucceededDetails { get; set; }
    public EventErrorDetails? ContextFailedDetails { get; set; }
    public WaitStartedDetails? WaitStartedDetails { get; set; }
    public WaitSucceededDetails? WaitSucceededDetails { get; set; }
    public EventErrorDetails? WaitCancelledDetails { get; set; }
    public EmptyEventDetails? StepStartedDetails { get; set; }
    public EventResultDetails? StepSucceededDetails { get; set; }
    public EventErrorDetails? StepFailedDetails { get; set; }
    public ChainedInvokeStartedDetails? ChainedInvokeStartedDetails { get; set; }
    public EventResultDetails? ChainedInvokeSucceededDetails { get; set; }
    public EventErrorDetails? ChainedInvokeFailedDetails { get; set; }
    public EventErrorDetails? ChainedInvokeTimedOutDetails { get; set; }
    public EventErrorDetails? ChainedInvokeStoppedDetails { get; set; }
    public CallbackStartedDetails? CallbackStartedDetails { get; set; }
    public EventResultDetails? CallbackSucceededDetails { get; set; }
    public EventErrorDetails? CallbackFailedDetails { get; set; }
    public EventErrorDetails? CallbackTimedOutDetails { get; set; }
    public InvocationCompletedDetails? InvocationCompletedDetails { get; set; }
#pragma warning restore CS1591
}

/// <summary>A details object with nothing to say (<c>{}</c>).</summary>
public sealed class EmptyEventDetails
{
}

/// <summary>An event payload.</summary>
public sealed class EventPayload
{
    /// <summary>The payload text, stored verbatim.</summary>
    public string? Payload { get; set; }

    /// <summary>Whether the payload was shortened.</summary>
    public bool? Truncated { get; set; }
}

/// <summary>An event error.</summary>
public sealed class EventError
{
    /// <summary>The error.</summary>
    public ErrorObject? Payload { get; set; }

    /// <summary>Whether the error was shortened.</summary>
    public bool? Truncated { get; set; }
}

/// <summary>Retry information of a step event.</summary>
public sealed class RetryDetails
{
    /// <summary>The 1-based number of the attempt that just ended.</summary>
    public int? CurrentAttempt { get; set; }

    /// <summary>Seconds until the next attempt, present only when one is scheduled.</summary>
    public int? NextAttemptDelaySeconds { get; set; }
}

/// <summary>Details of events that carry a result.</summary>
public sealed class EventResultDetails
{
    /// <summary>The result.</summary>
    public EventPayload? Result { get; set; }

    /// <summary>Retry information (step events only).</summary>
    public RetryDetails? RetryDetails { get; set; }
}

/// <summary>Details of events that carry an error.</summary>
public sealed class EventErrorDetails
{
    /// <summary>The error.</summary>
    public EventError? Error { get; set; }

    /// <summary>Retry information (step events only).</summary>
    public RetryDetails? RetryDetails { get; set; }
}

/// <summary>Details of <see cref="EventType.ExecutionStarted"/>.</summary>
public sealed class ExecutionStartedDetails
{
    /// <summary>The execution input.</summary>
    public EventPayload? Input { get; set; }

    /// <summary>The execution timeout in seconds.</summary>
    public int? ExecutionTimeout { get; set; }
}

/// <summary>Details of <see cref="EventType.WaitStarted"/>.</summary>
public sealed class WaitStartedDetails
{
    /// <summary>The wait in whole seconds.</summary>
    public int? Duration { get; set; }

    /// <summary>When the wait elapses.</summary>
    public DateTimeOffset? ScheduledEndTimestamp { get; set; }
}

/// <summary>Details of <see cref="EventType.WaitSucceeded"/>.</summary>
public sealed class WaitSucceededDetails
{
    /// <summary>The wait in whole seconds.</summary>
    public int? Duration { get; set; }
}

/// <summary>Details of <see cref="EventType.CallbackStarted"/>.</summary>
public sealed class CallbackStartedDetails
{
    /// <summary>The id an external system completes the callback with.</summary>
    public string? CallbackId { get; set; }

    /// <summary>The timeout in seconds, when set.</summary>
    public int? Timeout { get; set; }

    /// <summary>The heartbeat timeout in seconds, when set.</summary>
    public int? HeartbeatTimeout { get; set; }
}

/// <summary>Details of <see cref="EventType.ChainedInvokeStarted"/>.</summary>
public sealed class ChainedInvokeStartedDetails
{
    /// <summary>The invoked function.</summary>
    public string? FunctionName { get; set; }

    /// <summary>The tenant id, when set.</summary>
    public string? TenantId { get; set; }

    /// <summary>The payload sent.</summary>
    public EventPayload? Input { get; set; }

    /// <summary>The version that ran.</summary>
    public string? ExecutedVersion { get; set; }

    /// <summary>The ARN of the invoked execution.</summary>
    public string? DurableExecutionArn { get; set; }
}

/// <summary>Details of <see cref="EventType.InvocationCompleted"/>.</summary>
public sealed class InvocationCompletedDetails
{
    /// <summary>When the invocation started.</summary>
    public DateTimeOffset? StartTimestamp { get; set; }

    /// <summary>When the invocation ended.</summary>
    public DateTimeOffset? EndTimestamp { get; set; }

    /// <summary>The Lambda request id.</summary>
    public string? RequestId { get; set; }

    /// <summary>The Lambda-level error, when the invocation crashed.</summary>
    public EventError? Error { get; set; }
}
