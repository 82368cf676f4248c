using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>A durable timer: one START with the duration, then the invocation ends until the service fires it.</summary>
internal sealed class WaitOperation : DurableOperation<object?>
{
    internal const int MaxWaitSeconds = RetryStrategy.MaxDelaySeconds;

    private readonly TimeSpan _duration;

    public WaitOperation(DurableContext context, string id, string? name, TimeSpan duration)
        : base(context, id, name, OperationType.Wait, "Wait", CancellationToken.None)
    {
        _duration = duration;
    }

    /// <summary>Validates before an id is allocated, so a rejected wait does not shift later ids.</summary>
    public static void Validate(TimeSpan duration)
    {
        if (duration < TimeSpan.FromSeconds(1) || duration > TimeSpan.FromSeconds(MaxWaitSeconds))
        {
            throw new ArgumentOutOfRangeException(nameof(duration), duration,
                $"A wait must last between 1 second and {MaxWaitSeconds} seconds (366 days).");
        }
    }

    protected override async Task<object?> StartAsync()
    {
        var start = Update(OperationAction.Start);
        start.WaitOptions = new WaitOptions { WaitSeconds = RetryStrategy.ToDelaySeconds(_duration) };
        await Core.CheckpointAsync(start).ConfigureAwait(false);
        return await Suspend<object?>(TerminationReason.WaitScheduled).ConfigureAwait(false);
    }

    protected override Task<object?> ReplayAsync(Operation record) => record.Status switch
    {
        OperationStatus.Succeeded => Task.FromResult<object?>(null),
        OperationStatus.Started or OperationStatus.Pending
            when record.WaitDetails?.ScheduledEndTimestamp is { } end && Core.Clock.GetUtcNow() >= end =>
            Task.FromResult<object?>(null),
        OperationStatus.Started or OperationStatus.Pending => Suspend<object?>(TerminationReason.WaitScheduled),
        _ => throw UnexpectedStatus(record),
    };
}
