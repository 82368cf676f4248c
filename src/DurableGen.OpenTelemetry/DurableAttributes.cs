namespace DurableGen.OpenTelemetry;

/// <summary>The <c>durable.*</c> span attribute names DurableGen writes (the names AWS's SDKs use).</summary>
public static class DurableAttributes
{
    /// <summary>The execution ARN, on every span.</summary>
    public const string ExecutionArn = "durable.execution.arn";

    /// <summary><c>SUCCEEDED</c> or <c>FAILED</c>, on the Workflow span.</summary>
    public const string ExecutionStatus = "durable.execution.status";

    /// <summary>Whether the invocation is the execution's first, on Invocation spans.</summary>
    public const string InvocationFirst = "durable.invocation.first";

    /// <summary><c>SUCCEEDED</c>, <c>PENDING</c> or <c>FAILED</c>, on Invocation spans.</summary>
    public const string InvocationStatus = "durable.invocation.status";

    /// <summary>The operation id (as in the history), on operation and attempt spans.</summary>
    public const string OperationId = "durable.operation.id";

    /// <summary><c>STEP</c>, <c>WAIT</c>, <c>CONTEXT</c>, <c>CALLBACK</c> or <c>CHAINED_INVOKE</c>.</summary>
    public const string OperationType = "durable.operation.type";

    /// <summary>The sub-kind (<c>Step</c>, <c>WaitForCondition</c>, <c>Parallel</c>, <c>MapIteration</c>, …).</summary>
    public const string OperationSubType = "durable.operation.subtype";

    /// <summary>The operation name, when it has one.</summary>
    public const string OperationName = "durable.operation.name";

    /// <summary><c>STARTED</c> while open, then the terminal status; on operation spans only.</summary>
    public const string OperationStatus = "durable.operation.status";

    /// <summary>The 1-based attempt on attempt spans; the attempt count on ended step operation spans.</summary>
    public const string AttemptNumber = "durable.attempt.number";

    /// <summary><c>SUCCEEDED</c> or <c>FAILED</c>, on attempt spans.</summary>
    public const string AttemptOutcome = "durable.attempt.outcome";
}
