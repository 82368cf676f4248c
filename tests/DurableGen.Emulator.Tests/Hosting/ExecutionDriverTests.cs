using System;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests.Hosting;

public sealed class ExecutionDriverTests
{
    private static readonly TimeSpan Short = TimeSpan.FromMilliseconds(50);

    /// <summary>An engine on a virtual clock with <see cref="ScriptedFunction"/> registered as "order-flow" and a driver.</summary>
    private sealed class Kit
    {
        public Kit(TimeSkipPolicy policy, EngineOptions? engine = null, int maxInvocations = 500, TimeSpan? idle = null,
            Func<IInvocationDispatcher, IInvocationDispatcher>? dispatcher = null, Func<VirtualClock, TimeProvider>? engineClock = null)
        {
            H = new Harness(engine, engineClock);
            Functions.Register("order-flow", Function.RunAsync);
            Invoker = new InProcessInvoker(H.Engine, Functions, Logs);
            Driver = new ExecutionDriver(H.Engine, dispatcher?.Invoke(Invoker) ?? Invoker, new ExecutionDriverOptions
            {
                TimeSkip = policy, Clock = H.Clock, MaxInvocations = maxInvocations, IdleTimeout = idle ?? Short,
            });
            T0 = H.Clock.GetUtcNow();
        }

        public Harness H { get; }

        public ScriptedFunction Function { get; } = new();

        public FunctionRegistry Functions { get; } = new();

        public ExecutionLogSink Logs { get; } = new();

        public InProcessInvoker Invoker { get; }

        public ExecutionDriver Driver { get; }

        public DateTimeOffset T0 { get; }

        public Func<bool> Closed(string arn) => () => H.Engine.GetSchedulingState(arn).Status != ExecutionStatus.Running;
    }

    [Theory]
    [InlineData(TimeSkipPolicy.OperationTimersOnly)]
    [InlineData(TimeSkipPolicy.AnyDueTime)]
    public async Task Skipping_policies_run_a_wait_to_completion_at_the_wait_s_time(TimeSkipPolicy policy)
    {
        var kit = new Kit(policy);
        var arn = kit.H.Start();

        Assert.True(await kit.Driver.RunUntilAsync(kit.Closed(arn)));

        Assert.Equal(ExecutionStatus.Succeeded, kit.H.Describe(arn).Status);
        Assert.Equal("\"done\"", kit.H.Describe(arn).Result);
        Assert.Equal(2, kit.Driver.InvocationsRun);
        Assert.Equal(kit.T0.AddSeconds(30), kit.H.Clock.GetUtcNow());
        Assert.Equal([kit.T0, kit.T0.AddSeconds(30)], kit.Function.InvokedAt);
    }

    [Fact]
    public async Task Real_time_does_not_move_the_clock_and_gives_up_when_the_timer_is_beyond_the_idle_timeout()
    {
        var kit = new Kit(TimeSkipPolicy.RealTime);
        var arn = kit.H.Start();

        Assert.False(await kit.Driver.RunUntilAsync(kit.Closed(arn)));

        Assert.Equal(ExecutionStatus.Running, kit.H.Describe(arn).Status);
        Assert.Equal(kit.T0, kit.H.Clock.GetUtcNow());
        Assert.Equal(EventType.InvocationCompleted, kit.H.History(arn).Last().EventType);
    }

    [Fact]
    public async Task Operation_timers_only_never_skips_to_the_execution_timeout_of_a_callback_nobody_answered()
    {
        var kit = new Kit(TimeSkipPolicy.OperationTimersOnly) { Function = { UseCallback = true } };
        var arn = kit.H.Start(timeoutSeconds: 100);

        Assert.False(await kit.Driver.RunUntilAsync(kit.Closed(arn)));

        Assert.Equal(ExecutionStatus.Running, kit.H.Describe(arn).Status);
        Assert.Equal(kit.T0.AddSeconds(30), kit.H.Clock.GetUtcNow()); // the wait was skipped, the timeout was not
        kit.H.Engine.SendCallbackSuccess(kit.Function.CallbackId!, "\"approved\"");
        kit.Driver.Signal();
        Assert.True(await kit.Driver.RunUntilAsync(kit.Closed(arn)));
        Assert.Equal(ExecutionStatus.Succeeded, kit.H.Describe(arn).Status);
    }

    [Fact]
    public async Task Any_due_time_skips_to_the_execution_timeout()
    {
        var kit = new Kit(TimeSkipPolicy.AnyDueTime, idle: TimeSpan.Zero) { Function = { UseCallback = true } };
        var arn = kit.H.Start(timeoutSeconds: 100);

        Assert.True(await kit.Driver.RunUntilAsync(kit.Closed(arn)));

        Assert.Equal(ExecutionStatus.TimedOut, kit.H.Describe(arn).Status);
        Assert.Equal(kit.H.Describe(arn).StartTimestamp.AddSeconds(100), kit.H.Clock.GetUtcNow());
    }

    [Fact]
    public async Task The_one_guard_stops_a_runaway_execution_after_max_invocations()
    {
        var kit = new Kit(TimeSkipPolicy.AnyDueTime, new EngineOptions { MaxConsecutiveInvocationFailures = 1000 },
            maxInvocations: 5) { Function = { CrashesLeft = int.MaxValue } };
        var arn = kit.H.Start();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => kit.Driver.RunUntilAsync(kit.Closed(arn)));

        Assert.Equal("The run made more than 5 invocations; the workflow looks like it never finishes.", error.Message);
        Assert.Equal(5, kit.Driver.InvocationsRun);
        Assert.Equal(5, kit.H.Engine.GetSchedulingState(arn).InvocationCount);
    }

    [Fact]
    public void Skipping_time_needs_the_engine_s_virtual_clock()
    {
        var h = new Harness();
        var invoker = new InProcessInvoker(h.Engine, new FunctionRegistry(), new ExecutionLogSink());
        Assert.Throws<ArgumentException>(() => new ExecutionDriver(h.Engine, invoker,
            new ExecutionDriverOptions { TimeSkip = TimeSkipPolicy.AnyDueTime }));
        Assert.Throws<ArgumentException>(() => new ExecutionDriver(h.Engine, invoker,
            new ExecutionDriverOptions { TimeSkip = TimeSkipPolicy.OperationTimersOnly, Clock = new VirtualClock(DateTimeOffset.UnixEpoch) }));
    }

    [Fact]
    public async Task An_actor_acts_at_its_time_before_a_later_timer_and_after_a_timer_at_the_same_time()
    {
        var kit = new Kit(TimeSkipPolicy.AnyDueTime, idle: TimeSpan.Zero);
        var arn = kit.H.Start();
        var actor = new Actor(kit.H, arn, kit.T0.AddSeconds(10), kit.T0.AddSeconds(30));
        using var _ = kit.Driver.Join(actor);

        Assert.True(await kit.Driver.RunUntilAsync(() => actor.Seen.Count == 2));

        // At 10 s the wait (due at 30 s) is still pending; at 30 s the timer went first, so the actor sees it fired.
        Assert.Equal((kit.T0.AddSeconds(10), OperationStatus.Started), actor.Seen[0]);
        Assert.Equal((kit.T0.AddSeconds(30), OperationStatus.Succeeded), actor.Seen[1]);
    }

    [Fact]
    public async Task A_participant_holding_time_keeps_the_clock_still_until_it_lets_go()
    {
        var kit = new Kit(TimeSkipPolicy.OperationTimersOnly);
        var arn = kit.H.Start();
        var holder = new Holder();
        using var _ = kit.Driver.Join(holder);
        DateTimeOffset? clockWhenReleased = null;
        var release = Task.Run(async () =>
        {
            await Task.Delay(300);
            clockWhenReleased = kit.H.Clock.GetUtcNow();
            holder.Held = false;
            kit.Driver.Signal();
        });

        Assert.True(await kit.Driver.RunUntilAsync(kit.Closed(arn)));
        await release;

        Assert.Equal(kit.T0, clockWhenReleased);
        Assert.Equal(ExecutionStatus.Succeeded, kit.H.Describe(arn).Status);
        Assert.Equal(kit.T0.AddSeconds(30), kit.H.Clock.GetUtcNow());
    }

    [Fact]
    public async Task A_dispatched_invocation_that_completes_later_is_waited_for_without_skipping_time()
    {
        Later? later = null;
        var kit = new Kit(TimeSkipPolicy.OperationTimersOnly, idle: TimeSpan.FromSeconds(5),
            dispatcher: inner => later = new Later(inner));
        later!.Driver = kit.Driver;
        var arn = kit.H.Start();

        Assert.True(await kit.Driver.RunUntilAsync(kit.Closed(arn)));

        Assert.Equal(ExecutionStatus.Succeeded, kit.H.Describe(arn).Status);
        Assert.Equal(2, later.Dispatched);
        // The first invocation was still in flight when the driver found nothing runnable: it did not skip to the wait
        // (the wait did not exist yet), it waited for the completion's signal.
        Assert.Equal([kit.T0, kit.T0.AddSeconds(30)], kit.Function.InvokedAt);
    }

    /// <summary>Records the wait's status at each of its times.</summary>
    private sealed class Actor(Harness h, string arn, params DateTimeOffset[] times) : ITimeParticipant
    {
        public System.Collections.Generic.List<(DateTimeOffset, OperationStatus)> Seen { get; } = new();

        public bool HoldsTime => false;

        public DateTimeOffset? NextActionTime => Seen.Count < times.Length ? times[Seen.Count] : null;

        public Task ActAsync(CancellationToken cancellationToken)
        {
            Seen.Add((h.Clock.GetUtcNow(), h.Engine.GetOperations(arn).Single(o => o.Id == "w").Status));
            return Task.CompletedTask;
        }
    }

    private sealed class Holder : ITimeParticipant
    {
        public volatile bool Held = true;

        public bool HoldsTime => Held;

        public DateTimeOffset? NextActionTime => null;

        public Task ActAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    [Fact]
    public async Task Real_time_acts_at_due_times_while_an_invocation_is_in_flight_elsewhere()
    {
        // The local service's case: an invocation handed to a process stays in flight for as long as the function runs
        // (minutes), and meanwhile another execution's timer or an invocation timeout still comes due. Real time
        // moves by itself, so work in flight must not make the driver wait for a signal instead.
        var kit = new Kit(TimeSkipPolicy.RealTime, idle: TimeSpan.FromSeconds(30), dispatcher: _ => new HandOver());
        var arn = kit.H.Start();
        var actor = new DueNow(kit.H.Clock.GetUtcNow());
        using var membership = kit.Driver.Join(actor);
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(5));

        Assert.True(await kit.Driver.RunUntilAsync(() => actor.Acted, guard.Token));

        Assert.True(kit.H.Engine.HasActiveInvocation(arn));
        Assert.Equal(1, kit.Driver.InvocationsRun);
    }

    [Fact]
    public async Task SignalIfChanged_wakes_the_run_for_a_new_timer_and_not_for_a_step()
    {
        // The local service signals this way after every checkpoint: a step changes nothing the driver reads, a wait
        // gives it a time to wake at.
        var held = new HandOver();
        var kit = new Kit(TimeSkipPolicy.RealTime, idle: TimeSpan.FromSeconds(30), dispatcher: _ => held);
        var arn = kit.H.Start();
        var stop = false;
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = kit.Driver.RunUntilAsync(() => Volatile.Read(ref stop), guard.Token);
        while (held.Last is null)
        {
            await Task.Delay(10);
        }

        var token = held.Last.Input.CheckpointToken!;
        while (kit.Driver.SeenSchedulingVersion != kit.H.Engine.SchedulingVersion)
        {
            await Task.Delay(10); // until the run has looked at the engine as it is now (it then sleeps)
        }

        token = kit.H.Checkpoint(arn, token, [U.StepStart("s1"), U.StepSucceed("s1", "1")]).CheckpointToken!;
        Volatile.Write(ref stop, true);
        kit.Driver.SignalIfChanged();
        Assert.NotSame(run, await Task.WhenAny(run, Task.Delay(300)));

        kit.H.Checkpoint(arn, token, [U.WaitStart("w1", 60)]);
        kit.Driver.SignalIfChanged();
        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(10))));
        Assert.True(await run);
    }

    [Fact]
    public async Task Real_time_fires_a_timer_that_comes_due_while_the_run_looks_at_the_engine()
    {
        // The local service lost every timer this way (CI, 87 of 120 executions left RUNNING): the run found nothing
        // due, the wait's time arrived before it read the clock again, and it took the due time for one already spent.
        MovingClock? clock = null;
        var kit = new Kit(TimeSkipPolicy.RealTime, idle: Timeout.InfiniteTimeSpan,
            engineClock: virtualClock => clock = new MovingClock(virtualClock));
        var arn = kit.H.Start();
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = kit.Driver.RunUntilAsync(kit.Closed(arn), guard.Token);
        while (kit.Function.InvokedAt.Count == 0 || kit.Driver.SeenSchedulingVersion != kit.H.Engine.SchedulingVersion)
        {
            await Task.Delay(10); // until the first invocation has suspended on its 30 s wait and the run has looked
        }

        await Task.Delay(100); // the run is asleep until the wait's time, 30 s of real time away
        clock!.AdvanceAfterNextRead(TimeSpan.FromSeconds(30));
        kit.Driver.Signal();

        Assert.Same(run, await Task.WhenAny(run, Task.Delay(TimeSpan.FromSeconds(5))));
        Assert.True(await run);
        Assert.Equal(ExecutionStatus.Succeeded, kit.H.Describe(arn).Status);
        Assert.Equal([kit.T0, kit.T0.AddSeconds(30)], kit.Function.InvokedAt);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_real_time_run_that_never_gives_up_keeps_no_set_of_the_executions_it_dispatched(bool forever)
    {
        // The local service's run is this one for as long as it serves; it never asks whether work is in flight or
        // which timer an execution waits on, so the set that answers those would only grow.
        var held = new HandOver();
        var kit = new Kit(TimeSkipPolicy.RealTime, idle: forever ? Timeout.InfiniteTimeSpan : TimeSpan.FromSeconds(30),
            dispatcher: _ => held);
        foreach (var name in new[] { "a", "b", "c" })
        {
            kit.H.Start(name: name);
        }

        var stop = false;
        using var guard = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var run = kit.Driver.RunUntilAsync(() => Volatile.Read(ref stop), guard.Token);
        while (kit.Driver.InvocationsRun < 3)
        {
            await Task.Delay(10);
        }

        Volatile.Write(ref stop, true);
        kit.Driver.Signal();
        Assert.True(await run);
        Assert.Equal(forever ? 0 : 3, kit.Driver.TrackedExecutions);
    }

    /// <summary>The engine's view of a virtual clock that can move the moment after it is read, as real time moves
    /// between one reading and the next.</summary>
    private sealed class MovingClock(VirtualClock clock) : TimeProvider
    {
        private long _pendingTicks;

        public void AdvanceAfterNextRead(TimeSpan by) => Interlocked.Exchange(ref _pendingTicks, by.Ticks);

        public override DateTimeOffset GetUtcNow()
        {
            var now = clock.GetUtcNow();
            if (Interlocked.Exchange(ref _pendingTicks, 0) is var ticks and > 0)
            {
                clock.Advance(TimeSpan.FromTicks(ticks));
            }

            return now;
        }
    }

    /// <summary>Hands the invocation to "a process" that never answers: it stays in flight.</summary>
    private sealed class HandOver : IInvocationDispatcher
    {
        public volatile PendingInvocation? Last;

        public Task DispatchAsync(PendingInvocation invocation, CancellationToken cancellationToken)
        {
            Last = invocation;
            return Task.CompletedTask;
        }
    }

    /// <summary>An actor due at a time already reached (an invocation past its function timeout).</summary>
    private sealed class DueNow(DateTimeOffset at) : ITimeParticipant
    {
        public volatile bool Acted;

        public bool HoldsTime => false;

        public DateTimeOffset? NextActionTime => Acted ? null : at;

        public Task ActAsync(CancellationToken cancellationToken)
        {
            Acted = true;
            return Task.CompletedTask;
        }
    }

    /// <summary>Hands the invocation over and returns at once; it runs 100 ms later and signals the driver, as an
    /// invocation dispatched to a process completes over HTTP.</summary>
    private sealed class Later(IInvocationDispatcher inner) : IInvocationDispatcher
    {
        public ExecutionDriver? Driver { get; set; }

        public int Dispatched { get; private set; }

        public Task DispatchAsync(PendingInvocation invocation, CancellationToken cancellationToken)
        {
            Dispatched++;
            _ = Task.Run(async () =>
            {
                await Task.Delay(100);
                await inner.DispatchAsync(invocation, CancellationToken.None);
                Driver!.Signal();
            });
            return Task.CompletedTask;
        }
    }
}
