using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.LocalService;

public sealed partial class LocalDurableService
{
    /// <summary>The service's own run of <see cref="Driver"/> until it stops. A failing step (a store error) is logged
    /// and the driver runs again, as a service keeps serving.</summary>
    private async Task SchedulerLoopAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                await Driver.RunUntilAsync(() => cancellationToken.IsCancellationRequested, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                _options.Log?.Invoke($"Scheduler: {ex.Message}");
                try
                {
                    await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
    }
}
