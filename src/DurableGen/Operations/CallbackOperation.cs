using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>
/// Creates a callback: one START (durable before the id is handed out), then the service assigns the id. Creation
/// never suspends and never throws for the outcome; only <see cref="ICallback{T}.GetResultAsync"/> does.
/// </summary>
internal sealed class CallbackOperation<T> : DurableOperation<ICallback<T>>
{
    private readonly CallbackConfig? _config;
    private readonly CheckpointCodec<T> _codec;

    public CallbackOperation(DurableContext context, string id, string? name, CallbackConfig? config,
        CancellationToken cancellationToken)
        : base(context, id, name, OperationType.Callback, "Callback", cancellationToken)
    {
        _config = config;
        _codec = Codec(TypedConfig.As<CallbackConfig<T>>(config, typeof(T))?.Serializer);
    }

    protected override async Task<ICallback<T>> StartAsync()
    {
        var start = Update(OperationAction.Start);
        start.CallbackOptions = Options(_config);
        await Core.CheckpointAsync(start, CancellationToken).ConfigureAwait(false);
        return Handle(Core.State.Get(Id));
    }

    protected override Task<ICallback<T>> ReplayAsync(Operation record) => record.Status switch
    {
        OperationStatus.Succeeded or OperationStatus.Failed or OperationStatus.TimedOut or OperationStatus.Started
            or OperationStatus.Pending => Task.FromResult(Handle(record)),
        _ => throw UnexpectedStatus(record),
    };

    internal static CallbackOptions? Options(CallbackConfig? config)
    {
        if (config is null || (config.Timeout == TimeSpan.Zero && config.HeartbeatTimeout == TimeSpan.Zero))
        {
            return null;
        }

        return new CallbackOptions
        {
            TimeoutSeconds = config.Timeout == TimeSpan.Zero ? null : RetryStrategy.ToDelaySeconds(config.Timeout),
            HeartbeatTimeoutSeconds = config.HeartbeatTimeout == TimeSpan.Zero
                ? null
                : RetryStrategy.ToDelaySeconds(config.HeartbeatTimeout),
        };
    }

    private ICallback<T> Handle(Operation? record)
    {
        var callbackId = record?.CallbackDetails?.CallbackId;
        if (string.IsNullOrEmpty(callbackId))
        {
            throw new NonDeterministicExecutionException(
                $"Callback {Name ?? Id} has a record without a callback id; the history does not match this workflow.");
        }

        return new Callback(this, callbackId);
    }

    private sealed class Callback(CallbackOperation<T> operation, string callbackId) : ICallback<T>
    {
        public string CallbackId => callbackId;

        public Task<T> GetResultAsync(CancellationToken cancellationToken = default)
        {
            cancellationToken.ThrowIfCancellationRequested();

            // Re-read: a checkpoint response later in this invocation may have completed the callback.
            var record = operation.Core.State.Get(operation.Id);
            return record?.Status switch
            {
                OperationStatus.Succeeded => Task.FromResult(operation._codec.Deserialize(record.CallbackDetails?.Result)),
                OperationStatus.Failed or OperationStatus.TimedOut => Task.FromException<T>(Failure(record)),
                _ => operation.Suspend<T>(TerminationReason.CallbackPending),
            };
        }

        private CallbackException Failure(Operation record)
        {
            var error = record.CallbackDetails?.Error;
            return record.Status == OperationStatus.TimedOut
                ? new CallbackTimeoutException(error?.ErrorMessage ?? "Callback timed out")
                {
                    CallbackId = callbackId, ErrorType = error?.ErrorType, ErrorData = error?.ErrorData,
                    OriginalStackTrace = error?.StackTrace,
                }
                : new CallbackFailedException(error?.ErrorMessage ?? "Callback failed")
                {
                    CallbackId = callbackId, ErrorType = error?.ErrorType, ErrorData = error?.ErrorData,
                    OriginalStackTrace = error?.StackTrace,
                };
        }
    }
}
