using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>
/// The replay core every operation shares: check the record at this position belongs to this operation, note the
/// visit, then take the fresh path (no record) or the replay path (by record status).
/// </summary>
internal abstract class DurableOperation<T>
{
    protected DurableOperation(DurableContext context, string id, string? name, OperationType type, string subType,
        CancellationToken cancellationToken)
    {
        Context = context;
        Id = id;
        Name = name;
        Type = type;
        SubType = subType;
        CancellationToken = cancellationToken;
    }

    protected DurableContext Context { get; }

    protected ExecutionCore Core => Context.Core;

    protected string Id { get; }

    protected string? Name { get; }

    protected OperationType Type { get; }

    protected string SubType { get; }

    /// <summary>The caller's token: it stops the caller waiting, never a checkpoint write.</summary>
    protected CancellationToken CancellationToken { get; }

    public virtual Task<T> ExecuteAsync()
    {
        try
        {
            // One look-up per durable call: this runs for every operation on every replay.
            var record = Core.State.Visit(Id);
            ExecutionState.ValidateReplayConsistency(record, Id, Type, Name, SubType);
            if (!Core.Plugins.IsEmpty)
            {
                if (record is null)
                {
                    Core.Plugins.Start(Info());
                }
                else
                {
                    Core.Plugins.Observe(record);
                }
            }

            return record is null ? StartAsync() : ReplayAsync(record);
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    /// <summary>This operation as hooks see it: its record when one exists, else its identity.</summary>
    protected OperationInfo Info() => Core.State.Get(Id) is { } record
        ? OperationInfo.From(record, Core.State.IsReplaying, Core.DurableExecutionArn)
        : new OperationInfo { DurableExecutionArn = Core.DurableExecutionArn, Id = Id, Name = Name, Type = Type, SubType = SubType, ParentId = Context.Ids.ParentId };

    /// <summary>Runs user code between the user-function hooks (no end hook when it suspends).</summary>
    protected async Task<TResult> RunUserCodeAsync<TResult>(Func<Task<TResult>> code, UserFunctionKind kind, int? attempt,
        bool replayingChildren = false)
    {
        if (Core.Plugins.IsEmpty)
        {
            return await code().ConfigureAwait(false);
        }

        var info = new UserFunctionInfo
        {
            Operation = Info(), Kind = kind, AttemptNumber = attempt, IsReplayingChildren = replayingChildren,
            StartTimestamp = Core.Clock.GetUtcNow(),
        };
        Core.Plugins.UserFunctionStart(info);
        TResult result;
        try
        {
            result = await code().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            Core.Plugins.UserFunctionEnd(info, ex, Core.Clock.GetUtcNow());
            throw;
        }

        Core.Plugins.UserFunctionEnd(info, null, Core.Clock.GetUtcNow());
        return result;
    }

    /// <summary>No record: run for the first time.</summary>
    protected abstract Task<T> StartAsync();

    /// <summary>A record exists: continue or replay it.</summary>
    protected abstract Task<T> ReplayAsync(Operation record);

    /// <summary>An update for this operation with its id, parent, name, type and sub-kind filled in.</summary>
    protected OperationUpdate Update(OperationAction action) => new()
    {
        Id = Id,
        ParentId = Context.Ids.ParentId,
        Name = Name,
        Type = Type,
        SubType = SubType,
        Action = action,
    };

    protected Task<TResult> Suspend<TResult>(TerminationReason reason) => Core.Termination.Suspend<TResult>(reason);

    /// <summary>The codec for this operation's values: <paramref name="custom"/> when given, else the registered serializer.</summary>
    protected CheckpointCodec<TValue> Codec<TValue>(ICheckpointSerializer<TValue>? custom) =>
        new(Core.Serializer, custom, new SerializationContext(Id, Core.DurableExecutionArn));

    protected NonDeterministicExecutionException UnexpectedStatus(Operation record) => new(
        $"Operation {Id} ({Type}{(Name is null ? "" : $" '{Name}'")}) found its record in status {record.Status}, " +
        "which this operation never leaves it in.");
}
