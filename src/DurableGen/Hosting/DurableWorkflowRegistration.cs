using System;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>One invocation of a durable function: envelope in, envelope out.</summary>
public delegate Task<DurableExecutionInvocationOutput> DurableHandler(DurableExecutionInvocationInput invocationInput,
    ILambdaContext lambdaContext, IDurableServiceClient serviceClient, DurableExecutionOptions? options);

/// <summary>
/// A durable function a host can run: its name (also its <c>_HANDLER</c> value), its handler and its deployment
/// settings. The generator writes a <see cref="DurableWorkflowRegistration{TInput, TOutput}"/> per
/// <c>[DurableWorkflow]</c> class; hosts only need this untyped view.
/// </summary>
public class DurableWorkflowRegistration
{
    /// <summary>Creates a registration.</summary>
    public DurableWorkflowRegistration(string functionName, string workflowType, DurableHandler handler,
        TimeSpan? executionTimeout = null, int? retentionPeriodInDays = null)
        : this(functionName, workflowType, handler, null, executionTimeout, retentionPeriodInDays)
    {
    }

    /// <summary>Creates a registration that names the serializer its handler uses.</summary>
    protected DurableWorkflowRegistration(string functionName, string workflowType, DurableHandler handler,
        IDurableSerializer? serializer, TimeSpan? executionTimeout, int? retentionPeriodInDays)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(workflowType);
        ArgumentNullException.ThrowIfNull(handler);
        FunctionName = functionName;
        WorkflowType = workflowType;
        Handler = handler;
        Serializer = serializer;
        ExecutionTimeout = executionTimeout;
        RetentionPeriodInDays = retentionPeriodInDays;
    }

    /// <summary>The function name, matched against <c>_HANDLER</c>.</summary>
    public string FunctionName { get; }

    /// <summary>The full name of the workflow class, also accepted as <c>_HANDLER</c>.</summary>
    public string WorkflowType { get; }

    /// <summary>
    /// Runs one invocation. Unless the options name a serializer, it uses <see cref="Serializer"/> (generated
    /// handlers) or the registered default.
    /// </summary>
    public DurableHandler Handler { get; }

    /// <summary>
    /// The serializer every value of this workflow goes through in production (its <c>JsonSerializerContext</c>), or
    /// null when the registration was built by hand without one.
    /// </summary>
    public IDurableSerializer? Serializer { get; }

    /// <summary>The execution timeout the function should be deployed with, if set.</summary>
    public TimeSpan? ExecutionTimeout { get; }

    /// <summary>The history retention the function should be deployed with, if set.</summary>
    public int? RetentionPeriodInDays { get; }

    /// <summary>Whether <paramref name="handler"/> (a <c>_HANDLER</c> value) names this workflow.</summary>
    public bool Matches(string handler) => HandlerNames.Match(handler, FunctionName, WorkflowType);
}

/// <summary>
/// A durable function with its input and result types and its serializer: what the generator writes as a
/// <c>[DurableWorkflow]</c> class's <c>Registration</c>, so a test host can run the workflow exactly as production
/// does (<c>DurableTestRunner.Create(OrderWorkflow.Registration)</c>) with the types inferred.
/// </summary>
/// <typeparam name="TInput">The workflow's input type.</typeparam>
/// <typeparam name="TOutput">The workflow's result type (<see cref="object"/> for a workflow that returns nothing).</typeparam>
public sealed class DurableWorkflowRegistration<TInput, TOutput> : DurableWorkflowRegistration
{
    /// <summary>Creates a registration.</summary>
    /// <param name="functionName">The function name (also its <c>_HANDLER</c> value).</param>
    /// <param name="workflowType">The full name of the workflow class.</param>
    /// <param name="handler">Runs one invocation with <paramref name="serializer"/> unless the options name another.</param>
    /// <param name="serializer">The serializer the workflow's input, result and checkpoints go through.</param>
    /// <param name="executionTimeout">The execution timeout the function is deployed with, if set.</param>
    /// <param name="retentionPeriodInDays">The history retention the function is deployed with, if set.</param>
    public DurableWorkflowRegistration(string functionName, string workflowType, DurableHandler handler,
        IDurableSerializer serializer, TimeSpan? executionTimeout = null, int? retentionPeriodInDays = null)
        : base(functionName, workflowType, handler, serializer ?? throw new ArgumentNullException(nameof(serializer)),
            executionTimeout, retentionPeriodInDays)
    {
    }

    /// <summary>The serializer the workflow's input, result and checkpoints go through.</summary>
    public new IDurableSerializer Serializer => base.Serializer!;
}
