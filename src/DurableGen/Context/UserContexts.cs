using System;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Logging;

namespace DurableGen;

/// <summary>What a step body sees.</summary>
public interface IStepContext
{
    /// <summary>A replay-aware logger scoped to this attempt.</summary>
    ILogger Logger { get; }

    /// <summary>The 1-based number of the attempt that is running.</summary>
    int AttemptNumber { get; }

    /// <summary>The step's operation id.</summary>
    string OperationId { get; }
}

/// <summary>What the submitter of <see cref="IDurableContext.WaitForCallbackAsync{T}"/> sees.</summary>
public interface IWaitForCallbackContext
{
    /// <summary>A replay-aware logger.</summary>
    ILogger Logger { get; }
}

/// <summary>A callback created by <see cref="IDurableContext.CreateCallbackAsync{T}"/>.</summary>
/// <typeparam name="T">The result type the external system sends.</typeparam>
public interface ICallback<T>
{
    /// <summary>The id the external system completes the callback with. Hand it out only from inside a step.</summary>
    string CallbackId { get; }

    /// <summary>
    /// The callback's result. Suspends the workflow until the external system answers; throws
    /// <see cref="CallbackFailedException"/> or <see cref="CallbackTimeoutException"/> for those outcomes.
    /// </summary>
    Task<T> GetResultAsync(CancellationToken cancellationToken = default);
}

/// <summary>The durable execution a workflow belongs to.</summary>
public interface IExecutionContext
{
    /// <summary>The execution's ARN.</summary>
    string DurableExecutionArn { get; }
}

/// <summary>The Lambda invocation a workflow replay runs in.</summary>
public interface ILambdaContext
{
    /// <summary>The Lambda request id of this invocation.</summary>
    string AwsRequestId { get; }

    /// <summary>The function name.</summary>
    string FunctionName { get; }

    /// <summary>The function version.</summary>
    string FunctionVersion { get; }

    /// <summary>The ARN the function was invoked with.</summary>
    string InvokedFunctionArn { get; }

    /// <summary>Time left before Lambda stops the invocation.</summary>
    TimeSpan RemainingTime { get; }

    /// <summary>
    /// The invocation's X-Ray trace header (Lambda's <c>Lambda-Runtime-Trace-Id</c>: <c>Root=1-…;Parent=…;Sampled=…</c>),
    /// the same Root for every invocation of one durable execution; null when the host gives none.
    /// </summary>
    string? TraceId => null;
}

/// <summary>A plain <see cref="ILambdaContext"/> for hosts and tests.</summary>
public sealed class LambdaContext : ILambdaContext
{
    private readonly DateTimeOffset? _deadline;
    private readonly TimeProvider _clock;

    /// <summary>Creates a context; without a deadline the remaining time is unbounded.</summary>
    public LambdaContext(string awsRequestId, string functionName = "function", string functionVersion = "$LATEST",
        string? invokedFunctionArn = null, DateTimeOffset? deadline = null, TimeProvider? clock = null, string? traceId = null)
    {
        TraceId = traceId;
        AwsRequestId = awsRequestId;
        FunctionName = functionName;
        FunctionVersion = functionVersion;
        InvokedFunctionArn = invokedFunctionArn ?? functionName;
        _deadline = deadline;
        _clock = clock ?? TimeProvider.System;
    }

    /// <inheritdoc />
    public string AwsRequestId { get; }

    /// <inheritdoc />
    public string FunctionName { get; }

    /// <inheritdoc />
    public string FunctionVersion { get; }

    /// <inheritdoc />
    public string InvokedFunctionArn { get; }

    /// <inheritdoc />
    public string? TraceId { get; }

    /// <inheritdoc />
    public TimeSpan RemainingTime => _deadline is { } d ? d - _clock.GetUtcNow() : TimeSpan.MaxValue;
}
