using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>
/// A child context: START, run the function on a context whose ids live under this operation, then SUCCEED with the
/// result or FAIL with the error. A result over the checkpoint limit is not stored; the record is marked
/// <c>ReplayChildren</c> and replay re-runs the function over its children's records to rebuild it.
/// </summary>
internal sealed class ChildContextOperation<T> : DurableOperation<T>
{
    internal const string DefaultSubType = "RunInChildContext";
    internal const int MaxInlineResultBytes = 256 * 1024;

    private readonly Func<IDurableContext, CancellationToken, Task<T>> _func;
    private readonly ChildContextConfig? _config;
    private readonly CancellationToken _functionCancellation;
    private readonly CheckpointCodec<T> _codec;

    public ChildContextOperation(DurableContext context, string id, string? name,
        Func<IDurableContext, CancellationToken, Task<T>> func, ChildContextConfig? config, CancellationToken cancellationToken,
        CancellationToken functionCancellation = default)
        : base(context, id, name, OperationType.Context, config?.SubType ?? DefaultSubType, cancellationToken)
    {
        _func = func;
        _config = config;
        _functionCancellation = functionCancellation;
        _codec = Codec(TypedConfig.As<ChildContextConfig<T>>(config, typeof(T))?.Serializer);
    }

    private bool IsFlat => _config?.NestingType == NestingType.Flat;

    public override Task<T> ExecuteAsync() => IsFlat ? RunFlatAsync() : base.ExecuteAsync();

    protected override async Task<T> StartAsync()
    {
        // Durable before any child update, so the service knows the parent of everything the function writes.
        await Core.CheckpointAsync(Update(OperationAction.Start), CancellationToken).ConfigureAwait(false);
        return await RunAsync(checkpointOutcome: true, replayingChildren: false).ConfigureAwait(false);
    }

    protected override Task<T> ReplayAsync(Operation record) => record.Status switch
    {
        OperationStatus.Succeeded when record.ContextDetails?.ReplayChildren != true =>
            Task.FromResult(_codec.Deserialize(record.ContextDetails?.Result)),
        OperationStatus.Succeeded => RunAsync(checkpointOutcome: false, replayingChildren: true),
        OperationStatus.Failed => throw Map(FromRecord(record)),
        OperationStatus.Started or OperationStatus.Pending => RunAsync(checkpointOutcome: true, replayingChildren: true),
        _ => throw UnexpectedStatus(record),
    };

    /// <param name="checkpointOutcome">Whether the result or error is checkpointed (not when rebuilding a result).</param>
    /// <param name="replayingChildren">Whether the function re-runs over children recorded by an earlier invocation; a
    /// first run is not, even though its own START record exists by the time the function runs.</param>
    private async Task<T> RunAsync(bool checkpointOutcome, bool replayingChildren)
    {
        var child = new DurableContext(Core, OperationIdGenerator.ForChild(Id));
        using var linked = LinkFunctionToken();
        T result;
        string? payload = null;
        try
        {
            result = await RunUserCodeAsync(() => _func(child, linked.Token), UserFunctionKind.ContextFunction, null,
                replayingChildren).ConfigureAwait(false);
            if (checkpointOutcome || _codec.IsCustom)
            {
                // Also when rebuilding a result too large to checkpoint: a custom serializer's round trip is what the
                // first run returned, so the rebuilt value must go through it too.
                // A failure here is a DurableSerializationException: the context FAILs with it below, like any
                // failure of the function, and is never retried.
                (payload, result) = _codec.Checkpoint(result, $"the result of child context '{Name ?? Id}'");
            }
        }
        catch (Exception ex) when (IsPassThrough(ex, linked))
        {
            throw;
        }
        catch (Exception ex)
        {
            var wrapped = Wrap(ex);
            if (checkpointOutcome)
            {
                var fail = Update(OperationAction.Fail);
                fail.Error = DurableErrors.ForCheckpoint(ex);
                await Core.CheckpointAsync(fail, CancellationToken).ConfigureAwait(false);
            }

            throw Map(wrapped);
        }

        if (checkpointOutcome)
        {
            var succeed = Update(OperationAction.Succeed);
            if (payload is not null && Encoding.UTF8.GetByteCount(payload) > MaxInlineResultBytes)
            {
                succeed.Payload = "";
                succeed.ContextOptions = new ContextOptions { ReplayChildren = true };
            }
            else
            {
                succeed.Payload = payload;
            }

            await Core.CheckpointAsync(succeed, CancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<T> RunFlatAsync()
    {
        // A flat context has no record of its own: it only groups ids, and its children report our parent as theirs.
        var child = new DurableContext(Core, OperationIdGenerator.ForVirtualChild(Id, Context.Ids.ParentId));
        using var linked = LinkFunctionToken();
        var started = VirtualHook(null, null);
        try
        {
            var result = await RunUserCodeAsync(() => _func(child, linked.Token), UserFunctionKind.ContextFunction, null)
                .ConfigureAwait(false);
            VirtualHook(started, OperationStatus.Succeeded);
            return result;
        }
        catch (Exception ex) when (IsPassThrough(ex, linked))
        {
            throw;
        }
        catch (Exception ex)
        {
            VirtualHook(started, OperationStatus.Failed, DurableErrors.ForCheckpoint(ex));
            throw Map(Wrap(ex));
        }
    }

    /// <summary>
    /// The operation hooks of a flat context, which has no record for the dispatcher to observe: a start, then an end
    /// with the outcome. Returns when it started.
    /// </summary>
    private DateTimeOffset? VirtualHook(DateTimeOffset? started, OperationStatus? status, ErrorObject? error = null)
    {
        if (Core.Plugins.IsEmpty)
        {
            return null;
        }

        var now = Core.Clock.GetUtcNow();
        var info = new OperationInfo
        {
            DurableExecutionArn = Core.DurableExecutionArn, Id = Id, Name = Name, Type = Type, SubType = SubType,
            ParentId = Context.Ids.ParentId, IsVirtual = true,
            Status = status ?? OperationStatus.Started, StartTimestamp = started ?? now,
            EndTimestamp = status is null ? null : now, Error = error,
        };
        Core.Plugins.Virtual(info, Core.State.IsReplaying, end: status is not null);
        return started ?? now;
    }

    /// <summary>
    /// The function's token: the caller's, the invocation's shutdown and, for batch units, the short-circuit signal.
    /// Checkpoint waits never use it.
    /// </summary>
    private CancellationTokenSource LinkFunctionToken() =>
        CancellationTokenSource.CreateLinkedTokenSource(CancellationToken, Core.Termination.ShutdownToken, _functionCancellation);

    private static bool IsPassThrough(Exception ex, CancellationTokenSource linked) =>
        ex is NonDeterministicExecutionException || (ex is OperationCanceledException && linked.IsCancellationRequested);

    private ChildContextException Wrap(Exception ex) => Wrap(ex, SubType);

    /// <summary>A live failure of a context function of sub-kind <paramref name="subType"/>.</summary>
    internal static ChildContextException Wrap(Exception ex, string? subType) => new(ex.Message, ex)
    {
        SubType = subType,
        ErrorType = ex.GetType().FullName,
        OriginalStackTrace = DurableErrors.SplitStackTrace(ex.StackTrace),
    };

    private ChildContextException FromRecord(Operation record)
    {
        var error = record.ContextDetails?.Error;
        return new ChildContextException(error?.ErrorMessage ?? "Child context failed")
        {
            SubType = record.SubType ?? SubType,
            ErrorType = error?.ErrorType,
            ErrorData = error?.ErrorData,
            OriginalStackTrace = error?.StackTrace,
        };
    }

    private Exception Map(ChildContextException exception) => _config?.ErrorMapping?.Invoke(exception) ?? exception;
}
