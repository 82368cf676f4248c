using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// An actor outside the engine that takes part in an <see cref="ExecutionDriver"/>'s time-skip decision: a polling
/// loop that acts at virtual times, or background work (an approver) that may still answer a callback.
/// </summary>
public interface ITimeParticipant
{
    /// <summary>Work is in flight that may change the engine at any moment: the driver must not skip time, and waits
    /// for a signal instead.</summary>
    bool HoldsTime { get; }

    /// <summary>The time this actor wants to act at, if any. The driver never skips past it; at equal times the
    /// engine's timers go first, then the actor.</summary>
    DateTimeOffset? NextActionTime { get; }

    /// <summary>Acts at <see cref="NextActionTime"/>, which the clock has reached and the engine is quiet.</summary>
    Task ActAsync(CancellationToken cancellationToken);
}
