using System.Text.Json.Serialization;

namespace DurableGen.Protocol;

/// <summary>The kind of a durable operation (wire values <c>STEP</c>, <c>WAIT</c>, …).</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<OperationType>))]
public enum OperationType
{
    /// <summary>A value this version does not know; never sent.</summary>
    Unknown = 0,
    /// <summary>The execution itself (<c>EXECUTION</c>).</summary>
    Execution,
    /// <summary>A child context, parallel, map or wait-for-callback (<c>CONTEXT</c>).</summary>
    Context,
    /// <summary>A step or a wait-for-condition poll (<c>STEP</c>).</summary>
    Step,
    /// <summary>A durable timer (<c>WAIT</c>).</summary>
    Wait,
    /// <summary>A callback completed by an external system (<c>CALLBACK</c>).</summary>
    Callback,
    /// <summary>An invocation of another function (<c>CHAINED_INVOKE</c>).</summary>
    ChainedInvoke,
}

/// <summary>The status of a durable operation record.</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<OperationStatus>))]
public enum OperationStatus
{
    /// <summary>A value this version does not know.</summary>
    Unknown = 0,
    /// <summary><c>STARTED</c>.</summary>
    Started,
    /// <summary><c>PENDING</c>: a step waiting for its next attempt.</summary>
    Pending,
    /// <summary><c>READY</c>: a step whose next attempt is due.</summary>
    Ready,
    /// <summary><c>SUCCEEDED</c>.</summary>
    Succeeded,
    /// <summary><c>FAILED</c>.</summary>
    Failed,
    /// <summary><c>CANCELLED</c>.</summary>
    Cancelled,
    /// <summary><c>STOPPED</c>.</summary>
    Stopped,
    /// <summary><c>TIMED_OUT</c>.</summary>
    TimedOut,
}

/// <summary>What an <see cref="OperationUpdate"/> asks the service to do.</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<OperationAction>))]
public enum OperationAction
{
    /// <summary>A value this version does not know.</summary>
    Unknown = 0,
    /// <summary><c>START</c>.</summary>
    Start,
    /// <summary><c>SUCCEED</c>.</summary>
    Succeed,
    /// <summary><c>FAIL</c>.</summary>
    Fail,
    /// <summary><c>RETRY</c>: schedule another attempt of a step.</summary>
    Retry,
    /// <summary><c>CANCEL</c>.</summary>
    Cancel,
}

/// <summary>The status of a whole durable execution.</summary>
[JsonConverter(typeof(UpperSnakeCaseEnumConverter<ExecutionStatus>))]
public enum ExecutionStatus
{
    /// <summary>A value this version does not know.</summary>
    Unknown = 0,
    /// <summary><c>RUNNING</c>.</summary>
    Running,
    /// <summary><c>SUCCEEDED</c>.</summary>
    Succeeded,
    /// <summary><c>FAILED</c>.</summary>
    Failed,
    /// <summary><c>TIMED_OUT</c>.</summary>
    TimedOut,
    /// <summary><c>STOPPED</c>.</summary>
    Stopped,
}

/// <summary>The type of a history event (wire values are the PascalCase names).</summary>
[JsonConverter(typeof(EventTypeConverter))]
public enum EventType
{
    /// <summary>An event type this version does not know.</summary>
    Unknown = 0,

    /// <summary>The execution was created.</summary>
    ExecutionStarted,
    /// <summary>The execution succeeded.</summary>
    ExecutionSucceeded,
    /// <summary>The execution failed.</summary>
    ExecutionFailed,
    /// <summary>The execution timed out.</summary>
    ExecutionTimedOut,
    /// <summary>The execution was stopped.</summary>
    ExecutionStopped,
    /// <summary>A context started.</summary>
    ContextStarted,
    /// <summary>A context succeeded.</summary>
    ContextSucceeded,
    /// <summary>A context failed.</summary>
    ContextFailed,
    /// <summary>A wait started.</summary>
    WaitStarted,
    /// <summary>A wait elapsed.</summary>
    WaitSucceeded,
    /// <summary>A wait was cancelled.</summary>
    WaitCancelled,
    /// <summary>A step attempt started.</summary>
    StepStarted,
    /// <summary>A step succeeded (or a wait-for-condition poll continues).</summary>
    StepSucceeded,
    /// <summary>A step attempt failed.</summary>
    StepFailed,
    /// <summary>A chained invoke started.</summary>
    ChainedInvokeStarted,
    /// <summary>A chained invoke succeeded.</summary>
    ChainedInvokeSucceeded,
    /// <summary>A chained invoke failed.</summary>
    ChainedInvokeFailed,
    /// <summary>A chained invoke timed out.</summary>
    ChainedInvokeTimedOut,
    /// <summary>A chained invoke was stopped.</summary>
    ChainedInvokeStopped,
    /// <summary>A callback was created.</summary>
    CallbackStarted,
    /// <summary>A callback was completed with success.</summary>
    CallbackSucceeded,
    /// <summary>A callback was completed with failure.</summary>
    CallbackFailed,
    /// <summary>A callback timed out.</summary>
    CallbackTimedOut,
    /// <summary>A function invocation ended.</summary>
    InvocationCompleted,
}

/// <summary>Event types travel as their PascalCase names; unknown names read as <see cref="EventType.Unknown"/>.</summary>
public sealed class EventTypeConverter : JsonConverter<EventType>
{
    /// <inheritdoc />
    public override EventType Read(ref System.Text.Json.Utf8JsonReader reader, System.Type typeToConvert,
        System.Text.Json.JsonSerializerOptions options) =>
        reader.TokenType == System.Text.Json.JsonTokenType.String
        && System.Enum.TryParse<EventType>(reader.GetString(), ignoreCase: false, out var value)
        && value != EventType.Unknown
            ? value
            : EventType.Unknown;

    /// <inheritdoc />
    public override void Write(System.Text.Json.Utf8JsonWriter writer, EventType value,
        System.Text.Json.JsonSerializerOptions options) => writer.WriteStringValue(value.ToString());
}
