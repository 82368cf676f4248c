namespace DurableGen;

/// <summary>
/// Instrumentation hooks (tracing, metrics, audit) that see an execution as it runs and replays. Every method has a
/// no-op default; implement the ones you need. Hooks run synchronously on the workflow's thread and must be quick; an
/// exception thrown from a hook is logged and ignored, so a faulty plugin never changes the execution or keeps other
/// plugins from being called. Register plugins with <see cref="DurableExecutionOptions.Plugins"/>.
/// </summary>
public interface IDurableExecutionPlugin
{
    /// <summary>
    /// An invocation starts: state is loaded, the workflow is about to run. Raised on the flow the workflow then runs
    /// on: an <see cref="System.Threading.AsyncLocal{T}"/> value set here (such as <c>Activity.Current</c>) is what the
    /// workflow's own code sees outside steps.
    /// </summary>
    void OnInvocationStart(InvocationStartInfo info)
    {
    }

    /// <summary>An invocation ends with its outcome, after every checkpoint was flushed.</summary>
    void OnInvocationEnd(InvocationEndInfo info)
    {
    }

    /// <summary>
    /// The workflow reached an operation that is not finished: live for the first time (<see cref="OperationInfo.IsReplay"/>
    /// false), or observed again on replay while still pending (true). Never raised for an operation already finished.
    /// </summary>
    void OnOperationStart(OperationInfo info)
    {
    }

    /// <summary>
    /// An operation reached a terminal status (succeeded, failed, timed out, …) — once per operation: a retryable
    /// failure is not an end. Operations completed by the service between invocations end on the next invocation.
    /// </summary>
    void OnOperationEnd(OperationInfo info)
    {
    }

    /// <summary>
    /// User code starts: a step attempt, a child context or batch unit function, or a condition check. Raised on the
    /// code's own flow, in a scope that ends with it: an <see cref="System.Threading.AsyncLocal{T}"/> value set here
    /// (such as <c>Activity.Current</c> = the attempt's span) is seen by the user code and everything it awaits, and is
    /// restored when the code returns, throws or suspends, so it never leaks into the workflow or sibling branches.
    /// </summary>
    void OnUserFunctionStart(UserFunctionInfo info)
    {
    }

    /// <summary>User code returned or threw (not raised when it suspended).</summary>
    void OnUserFunctionEnd(UserFunctionInfo info)
    {
    }

    /// <summary>The service reported changed operation records (in a checkpoint response).</summary>
    void OnOperationChange(OperationChangeInfo info)
    {
    }
}
