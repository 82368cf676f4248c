using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;

namespace DurableGen.LocalService.Dispatch;

/// <summary>
/// Lambda's function timeout as an actor of the service's <see cref="ExecutionDriver"/>: it acts at the earliest
/// deadline of the invocations processes hold, failing those past it as <c>Sandbox.Timedout</c> and killing their
/// sandboxes. On a virtual clock that skips, time never moves while an invocation is in flight, so it never fires there.
/// </summary>
internal sealed class InvocationExpiry(InvocationDispatcher dispatcher, Action signal) : ITimeParticipant
{
    public bool HoldsTime => false;

    public DateTimeOffset? NextActionTime => dispatcher.NextDeadline();

    public Task ActAsync(CancellationToken cancellationToken)
    {
        if (dispatcher.ExpireInvocations())
        {
            signal();
        }

        return Task.CompletedTask;
    }
}
