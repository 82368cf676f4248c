using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Hosting;

namespace DurableGen.LocalService;

/// <summary>
/// The web host's lifetime without the console one's signal handlers: the default would take SIGINT and SIGTERM and
/// quietly stop the listener while the program that hosts the service goes on. The host program owns the signals and
/// stops the service with <see cref="LocalDurableService.DisposeAsync"/>.
/// </summary>
internal sealed class ServiceLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
