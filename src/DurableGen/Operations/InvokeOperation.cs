using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>
/// A chained invoke: one START carrying the payload and the target; the service runs the target and re-invokes this
/// function with its result, so the invocation always suspends after starting it.
/// </summary>
internal sealed class InvokeOperation<TPayload, TResult> : DurableOperation<TResult>
{
    private readonly string _functionName;
    private readonly TPayload _payload;
    private readonly InvokeConfig? _config;
    private readonly CheckpointCodec<TPayload> _payloadCodec;
    private readonly CheckpointCodec<TResult> _resultCodec;

    public InvokeOperation(DurableContext context, string id, string? name, string functionName, TPayload payload,
        InvokeConfig? config, CancellationToken cancellationToken)
        : base(context, id, name, OperationType.ChainedInvoke, "ChainedInvoke", cancellationToken)
    {
        _functionName = FunctionArns.Resolve(functionName, Core.FunctionArns);
        _payload = payload;
        _config = config;
        var typed = TypedConfig.As<InvokeConfig<TPayload, TResult>>(config, typeof(TPayload), typeof(TResult));
        _payloadCodec = Codec(typed?.PayloadSerializer);
        _resultCodec = Codec(typed?.ResultSerializer);
    }

    /// <summary>Validates before an id is allocated, so a rejected call does not shift later ids.</summary>
    public static void Validate(string functionName)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        if (string.IsNullOrWhiteSpace(functionName))
        {
            throw new ArgumentException("The function name must not be empty.", nameof(functionName));
        }
    }

    protected override async Task<TResult> StartAsync()
    {
        var start = Update(OperationAction.Start);
        // Before anything is checkpointed: the workflow gets the error, and a replay reaches the same point.
        start.Payload = _payloadCodec.Serialize(_payload, $"the payload of invoke '{Name ?? Id}'");
        start.ChainedInvokeOptions = new ChainedInvokeOptions
        {
            FunctionName = _functionName,
            TenantId = string.IsNullOrEmpty(_config?.TenantId) ? null : _config.TenantId,
        };
        await Core.CheckpointAsync(start, CancellationToken).ConfigureAwait(false);
        return await Suspend<TResult>(TerminationReason.InvokePending).ConfigureAwait(false);
    }

    protected override Task<TResult> ReplayAsync(Operation record)
    {
        var details = record.ChainedInvokeDetails;
        var error = details?.Error;
        return record.Status switch
        {
            OperationStatus.Succeeded => Task.FromResult(_resultCodec.Deserialize(details?.Result)),
            OperationStatus.Failed => throw new InvokeFailedException(error?.ErrorMessage ?? "The invoked function failed")
            {
                FunctionName = _functionName, ErrorType = error?.ErrorType, ErrorData = error?.ErrorData,
                OriginalStackTrace = error?.StackTrace,
            },
            OperationStatus.TimedOut => throw new InvokeTimedOutException(error?.ErrorMessage ?? "The invoked function timed out")
            {
                FunctionName = _functionName, ErrorType = error?.ErrorType, ErrorData = error?.ErrorData,
                OriginalStackTrace = error?.StackTrace,
            },
            OperationStatus.Stopped => throw new InvokeStoppedException(error?.ErrorMessage ?? "The invoked execution was stopped")
            {
                FunctionName = _functionName, ErrorType = error?.ErrorType, ErrorData = error?.ErrorData,
                OriginalStackTrace = error?.StackTrace,
            },
            OperationStatus.Started or OperationStatus.Pending => Suspend<TResult>(TerminationReason.InvokePending),
            _ => throw UnexpectedStatus(record),
        };
    }
}
