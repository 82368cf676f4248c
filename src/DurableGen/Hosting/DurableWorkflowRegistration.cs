using System;
using System.Threading.Tasks;

namespace DurableGen;

/// <summary>One invocation of a durable function: envelope in, envelope out.</summary>
public delegate Task<DurableExecutionInvocationOutput> DurableHandler(DurableExecutionInvocationInput invocationInput,
    ILambdaContext lambdaContext, IDurableServiceClient serviceClient, DurableExecutionOptions? options);

/// <summary>
/// A durable function a host can run: its name (also its <c>_HANDLER</c> value), its handler and its deployment
/// settings. The generator writes one per <c>[DurableWorkflow]</c> class.
/// </summary>
public sealed class DurableWorkflowRegistration
{
    /// <summary>Creates a registration.</summary>
    public DurableWorkflowRegistration(string functionName, string workflowType, DurableHandler handler,
        TimeSpan? executionTimeout = null, int? retentionPeriodInDays = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(workflowType);
        ArgumentNullException.ThrowIfNull(handler);
        FunctionName = functionName;
        WorkflowType = workflowType;
        Handler = handler;
        ExecutionTimeout = executionTimeout;
        RetentionPeriodInDays = retentionPeriodInDays;
    }

    /// <summary>The function name, matched against <c>_HANDLER</c>.</summary>
    public string FunctionName { get; }

    /// <summary>The full name of the workflow class, also accepted as <c>_HANDLER</c>.</summary>
    public string WorkflowType { get; }

    /// <summary>Runs one invocation.</summary>
    public DurableHandler Handler { get; }

    /// <summary>The execution timeout the function should be deployed with, if set.</summary>
    public TimeSpan? ExecutionTimeout { get; }

    /// <summary>The history retention the function should be deployed with, if set.</summary>
    public int? RetentionPeriodInDays { get; }

    /// <summary>Whether <paramref name="handler"/> (a <c>_HANDLER</c> value) names this workflow.</summary>
    public bool Matches(string handler) => HandlerNames.Match(handler, FunctionName, WorkflowType);
}
