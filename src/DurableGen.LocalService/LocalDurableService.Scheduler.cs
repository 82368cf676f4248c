using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.LocalService;

public sealed partial class LocalDurableService
{
    /// <summary>The scheduler on the real clock: fires due timers, hands the invocations the engine begins to the
    /// dispatcher, expires invocations past their timeout, and sleeps until the next due time or a change.</summary>
    private async Task SchedulerLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var delay = TimeSpan.FromSeconds(1);
            try
            {
                var changed = Engine.FireDueTimers() > 0;
                while (Engine.TryBeginInvocation() is { } pending)
                {
                    _dispatcher.Dispatch(pending);
                    changed = true;
                }

                changed |= _dispatcher.ExpireInvocations();
                if (changed)
                {
                    Signal();
                }

                if (Engine.NextDueTime is { } due)
                {
                    var untilDue = due - DateTimeOffset.UtcNow;
                    delay = untilDue < TimeSpan.Zero ? TimeSpan.Zero : untilDue < delay ? untilDue : delay;
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                _options.Log?.Invoke($"Scheduler: {ex.Message}");
            }

            try
            {
                await _wake.WaitAsync(delay + TimeSpan.FromMilliseconds(5), cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }
}
