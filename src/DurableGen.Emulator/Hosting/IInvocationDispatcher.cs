using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// Takes an invocation the engine began and runs it. In process, the returned task completes once the outcome is
/// reported to the engine (<see cref="InProcessInvoker"/>); a host whose functions run elsewhere hands the invocation
/// to a process and returns, the outcome arrives later (for example over the Runtime API) and the host then calls
/// <see cref="ExecutionDriver.Signal"/>. The driver never skips time while a dispatched invocation is in flight.
/// </summary>
public interface IInvocationDispatcher
{
    /// <summary>Runs, or hands over, <paramref name="invocation"/>.</summary>
    Task DispatchAsync(PendingInvocation invocation, CancellationToken cancellationToken);
}
