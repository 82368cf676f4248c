using System;
using System.Linq;
using System.Text.Json;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>
/// The service's side of the faults a real network adds (issue 19): lost responses and retried requests (protocol
/// §1.7, §4.3), invocations that time out with a checkpoint in flight and duplicate deliveries (§4.2, §5.3, §5.4).
/// </summary>
public sealed class NetworkFaultTests
{
    /// <summary>
    /// §4.3 replays the last applied checkpoint only. A checkpoint without a client token is applied too, so it ends
    /// the replay of the one before it: a late copy of that earlier request is a stale token, not a second answer with
    /// a token that is no longer current.
    /// </summary>
    [Fact]
    public void A_late_copy_of_an_earlier_checkpoint_is_refused_once_a_later_one_without_client_token_was_applied()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var first = inv.Token;
        inv.CheckpointWith("client-1", U.StepStart("s1"));
        inv.Checkpoint(U.StepSucceed("s1", "1"));
        var events = h.History(inv.Arn).Count;

        var error = Harness.Rejects(() => h.Checkpoint(inv.Arn, first, new[] { U.StepStart("s1") }, "client-1"));
        Assert.True(error.IsStaleCheckpointToken, error.Message);
        Assert.Equal(events, h.History(inv.Arn).Count);
    }

    /// <summary>A late copy of an earlier request is refused when the later one carried a client token too.</summary>
    [Fact]
    public void A_late_copy_of_an_earlier_checkpoint_is_refused_once_a_later_one_was_applied()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var first = inv.Token;
        inv.CheckpointWith("client-1", U.StepStart("s1"));
        inv.CheckpointWith("client-2", U.StepSucceed("s1", "1"));

        var error = Harness.Rejects(() => h.Checkpoint(inv.Arn, first, new[] { U.StepStart("s1") }, "client-1"));
        Assert.True(error.IsStaleCheckpointToken, error.Message);
    }

    /// <summary>
    /// The checkpoint that closes the execution may lose its response too; its retry must get the same answer (the
    /// replay check runs before the token check, §4.3), not "the execution is closed", which the runtime would turn
    /// into a failed invocation of a succeeded execution.
    /// </summary>
    [Fact]
    public void A_retry_of_the_checkpoint_that_closed_the_execution_gets_the_cached_answer()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var token = inv.Token;
        var first = h.Checkpoint(inv.Arn, token, new[] { U.ExecutionSucceed("\"done\"") }, "client-1");
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(inv.Arn).Status);
        var events = h.History(inv.Arn).Count;

        var retry = h.Checkpoint(inv.Arn, token, new[] { U.ExecutionSucceed("\"done\"") }, "client-1");
        Assert.Equal(first.CheckpointToken, retry.CheckpointToken);
        Assert.Equal(events, h.History(inv.Arn).Count);
    }

    /// <summary>
    /// An invocation that timed out (the service fenced it, §5.4) may still have a checkpoint on the wire: it arrives
    /// with the ended invocation's token and is refused (§4.2), and the dead invocation's own report is ignored.
    /// </summary>
    [Fact]
    public void A_checkpoint_in_flight_when_its_invocation_timed_out_is_refused()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.StepStart("s1"));
        h.Engine.FailInvocation(inv.Arn, inv.RequestId, new ErrorObject { ErrorType = "Sandbox.Timedout", ErrorMessage = "Task timed out" });

        var error = Harness.Rejects(() => h.Checkpoint(inv.Arn, inv.Token, new[] { U.StepSucceed("s1", "1") }, "client-9"));
        Assert.True(error.IsStaleCheckpointToken, error.Message);
        Assert.Equal(OperationStatus.Started, h.Operation(inv.Arn, "s1").Status);

        inv.Complete(InvocationStatus.Succeeded, "\"late\"");
        Assert.Equal(ExecutionStatus.Running, h.Describe(inv.Arn).Status);
        var completed = h.History(inv.Arn).Where(e => e.EventType == EventType.InvocationCompleted).ToList();
        Assert.Equal("Sandbox.Timedout", Assert.Single(completed).InvocationCompletedDetails!.Error!.Payload!.ErrorType);
    }

    /// <summary>
    /// A duplicate delivery: the service invoked the execution again while the older invocation still runs. The newer
    /// one holds the only current token; every checkpoint of the older one is refused, even a retry of its last
    /// request once the newer one has checkpointed, and its outcome does not count.
    /// </summary>
    [Fact]
    public void A_duplicate_invocations_older_copy_is_refused_and_its_outcome_ignored()
    {
        var h = new Harness();
        var older = h.StartAndBegin();
        var olderToken = older.Token;
        older.CheckpointWith("client-1", U.StepStart("s1"));
        h.Engine.FailInvocation(older.Arn, older.RequestId, new ErrorObject { ErrorType = "Sandbox.Timedout" });

        var newer = Begin(h, older.Arn);
        newer.Checkpoint(U.StepSucceed("s1", "\"new\""));

        Assert.True(Harness.Rejects(() => h.Checkpoint(older.Arn, older.Token, new[] { U.StepSucceed("s1", "\"old\"") })).IsStaleCheckpointToken);
        Assert.True(Harness.Rejects(() => h.Checkpoint(older.Arn, olderToken, new[] { U.StepStart("s1") }, "client-1")).IsStaleCheckpointToken);
        older.Complete(InvocationStatus.Failed, error: new ErrorObject { ErrorType = "Old" });
        Assert.Equal(ExecutionStatus.Running, h.Describe(older.Arn).Status);
        Assert.Equal("\"new\"", h.Operation(older.Arn, "s1").StepDetails!.Result);

        newer.Complete(InvocationStatus.Succeeded, "\"done\"");
        Assert.Equal(ExecutionStatus.Succeeded, h.Describe(older.Arn).Status);
    }

    /// <summary>A host re-delivering one execution begins that one, even when another has waited longer.</summary>
    [Fact]
    public void Beginning_a_named_execution_skips_others_that_waited_longer()
    {
        var h = new Harness();
        var waiting = h.Start(name: "first");
        var wanted = h.Start(name: "second");

        var invocation = h.Engine.TryBeginInvocationOf(wanted);
        Assert.NotNull(invocation);
        Assert.Equal(wanted, invocation.DurableExecutionArn);
        Assert.Null(h.Engine.TryBeginInvocationOf(wanted)); // it has an active invocation now
        Assert.Equal(waiting, h.Engine.TryBeginInvocation()!.DurableExecutionArn);
    }

    private static Invocation Begin(Harness h, string arn)
    {
        var pending = h.Engine.TryBeginInvocationOf(arn);
        Assert.NotNull(pending);
        var json = JsonSerializer.Serialize(pending.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput);
        return new Invocation(h, arn, pending.RequestId,
            JsonSerializer.Deserialize(json, ProtocolJson.Envelope.DurableExecutionInvocationInput)!, json);
    }
}
