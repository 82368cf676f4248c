using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Execution;

/// <summary>
/// The units of one parallel or map operation, as flows that suspend. A unit that reaches an operation which must wait
/// for the service (a wait, a retry, a pending callback or invoke) suspends only itself; the operation's own flow
/// suspends — and, on the main flow, the invocation ends — once no unit is still running and no further unit can be
/// dispatched. So siblings running at the same time all checkpoint their own pending operations first (conformance
/// 10-18: both waits of a two-branch parallel are pending after the first invocation), instead of the first suspension
/// cutting them off at an arbitrary point (semantics §3.5, the quiescence rule). Also the dispatch slots of
/// <c>MaxConcurrency</c>: a finished unit hands its slot straight to a waiting dispatcher, so the group is never seen
/// idle between the two.
/// </summary>
internal sealed class SuspensionGroup
{
    private readonly object _gate = new();
    private readonly TerminationSignal _signal;
    private readonly SuspensionScope? _parent;
    private int _freeSlots;
    private int _running;
    private int _suspended;
    private TerminationReason _reason;
    private bool _dispatching = true;
    private bool _propagated;
    private TaskCompletionSource? _slotFreed;

    /// <summary>Creates the group of an operation running on the calling flow.</summary>
    public SuspensionGroup(TerminationSignal signal, int? maxConcurrency)
    {
        _signal = signal;
        _parent = signal.CurrentScope;
        _freeSlots = maxConcurrency ?? int.MaxValue;
    }

    /// <summary>Takes a dispatch slot, waiting (as a blocked dispatcher) until a unit finishes when none is free.</summary>
    public Task AcquireSlotAsync()
    {
        TaskCompletionSource wake;
        TerminationReason? suspend;
        lock (_gate)
        {
            if (_freeSlots > 0)
            {
                _freeSlots--;
                return Task.CompletedTask;
            }

            _dispatching = false;
            wake = _slotFreed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            suspend = Evaluate();
        }

        Propagate(suspend);
        return wake.Task;
    }

    /// <summary>Gives back a slot the dispatcher took but did not use.</summary>
    public void ReturnSlot()
    {
        lock (_gate)
        {
            _freeSlots++;
        }
    }

    /// <summary>The dispatcher will not dispatch any more units.</summary>
    public void DispatchDone()
    {
        TerminationReason? suspend;
        lock (_gate)
        {
            _dispatching = false;
            suspend = Evaluate();
        }

        Propagate(suspend);
    }

    /// <summary>Registers a unit about to be dispatched (on the dispatcher's flow, before the unit starts).</summary>
    public Unit Enter()
    {
        lock (_gate)
        {
            _running++;
        }

        return new Unit(this);
    }

    private void Suspended(TerminationReason reason)
    {
        TerminationReason? suspend;
        lock (_gate)
        {
            _running--;
            if (_suspended++ == 0)
            {
                _reason = reason;
            }

            suspend = Evaluate();
        }

        Propagate(suspend);
    }

    private void Finished(bool hadSuspended)
    {
        TaskCompletionSource? wake = null;
        TerminationReason? suspend;
        lock (_gate)
        {
            if (hadSuspended)
            {
                _suspended--;
            }
            else
            {
                _running--;
            }

            if (_slotFreed is { } waiting)
            {
                // The slot goes straight to the blocked dispatcher, which counts as running again from now on.
                _slotFreed = null;
                _dispatching = true;
                wake = waiting;
            }
            else
            {
                _freeSlots++;
            }

            suspend = Evaluate();
        }

        wake?.TrySetResult();
        Propagate(suspend);
    }

    /// <summary>Under the gate: the reason to suspend the operation's flow when the group just became idle.</summary>
    private TerminationReason? Evaluate()
    {
        if (_propagated || _suspended == 0 || _running > 0 || _dispatching)
        {
            return null;
        }

        _propagated = true;
        return _reason;
    }

    private void Propagate(TerminationReason? reason)
    {
        if (reason is { } value)
        {
            _signal.SuspendFlow(_parent, value);
        }
    }

    /// <summary>One dispatched unit: enter it on the unit's own flow, finish it when the unit settles.</summary>
    internal sealed class Unit(SuspensionGroup group) : SuspensionScope
    {
        private const int Running = 0, SuspendedState = 1, FinishedState = 2;
        private int _state;

        public override TerminationSignal Signal => group._signal;

        /// <summary>Makes this unit the suspension scope of the calling flow.</summary>
        public void EnterFlow() => TerminationSignal.EnterScope(this);

        public override void Suspend(TerminationReason reason)
        {
            if (Interlocked.CompareExchange(ref _state, SuspendedState, Running) == Running)
            {
                group.Suspended(reason);
            }
        }

        /// <summary>The unit returned or threw.</summary>
        public void Finish()
        {
            var previous = Interlocked.Exchange(ref _state, FinishedState);
            if (previous != FinishedState)
            {
                group.Finished(hadSuspended: previous == SuspendedState);
            }
        }
    }
}
