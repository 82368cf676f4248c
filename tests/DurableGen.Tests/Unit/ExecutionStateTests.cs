using System;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Tests.Unit;

public class ExecutionStateTests
{
    private static Operation Op(string id, OperationType type, OperationStatus status, string? name = null,
        string? subType = null) => new() { Id = id, Type = type, Status = status, Name = name, SubType = subType };

    private static Operation ExecutionRecord(OperationStatus status = OperationStatus.Started) =>
        Op("exec", OperationType.Execution, status, "order-42");

    // ---- loading and merging ----------------------------------------------------------------------------------------

    [Fact]
    public void Load_and_Get_return_records_by_id()
    {
        var state = new ExecutionState();
        var step = Op("s1", OperationType.Step, OperationStatus.Succeeded);

        state.Load([ExecutionRecord(), step]);

        Assert.Same(step, state.Get("s1"));
        Assert.Null(state.Get("missing"));
        Assert.Equal(2, state.All.Count);
    }

    [Fact]
    public void Merge_replaces_records_and_ignores_empty_ids_and_null()
    {
        var state = new ExecutionState();
        state.Load([Op("s1", OperationType.Step, OperationStatus.Started)]);
        var updated = Op("s1", OperationType.Step, OperationStatus.Succeeded);

        state.Merge([updated, Op("", OperationType.Step, OperationStatus.Succeeded)]);
        state.Merge(null);

        Assert.Same(updated, state.Get("s1"));
        Assert.Single(state.All);
    }

    [Fact]
    public void Load_of_null_is_a_fresh_start()
    {
        var state = new ExecutionState();
        state.Load(null);

        Assert.False(state.IsReplaying);
        Assert.Empty(state.All);
    }

    // ---- replaying flag ---------------------------------------------------------------------------------------------

    [Fact]
    public void Fresh_execution_with_only_the_execution_record_is_not_replaying()
    {
        var state = new ExecutionState();
        state.Load([ExecutionRecord()]);

        Assert.False(state.IsReplaying);
    }

    [Fact]
    public void A_terminal_execution_record_does_not_count()
    {
        var state = new ExecutionState();
        state.Load([ExecutionRecord(OperationStatus.Succeeded)]);

        Assert.False(state.IsReplaying);
    }

    [Fact]
    public void Only_non_terminal_records_is_not_replaying()
    {
        var state = new ExecutionState();
        state.Load([
            ExecutionRecord(),
            Op("w", OperationType.Wait, OperationStatus.Started),
            Op("s", OperationType.Step, OperationStatus.Pending),
            Op("c", OperationType.Callback, OperationStatus.Started),
        ]);

        Assert.False(state.IsReplaying);
    }

    [Theory]
    [InlineData(OperationStatus.Succeeded)]
    [InlineData(OperationStatus.Failed)]
    [InlineData(OperationStatus.Cancelled)]
    [InlineData(OperationStatus.Stopped)]
    [InlineData(OperationStatus.TimedOut)]
    public void Any_terminal_non_execution_record_starts_replaying(OperationStatus status)
    {
        var state = new ExecutionState();
        state.Load([ExecutionRecord(), Op("x", OperationType.Step, status)]);

        Assert.True(state.IsReplaying);
    }

    [Fact]
    public void Replaying_ends_after_every_terminal_record_was_visited_and_never_returns()
    {
        var state = new ExecutionState();
        state.Load([
            ExecutionRecord(),
            Op("s1", OperationType.Step, OperationStatus.Succeeded),
            Op("w", OperationType.Wait, OperationStatus.Started),
            Op("s2", OperationType.Step, OperationStatus.Failed),
        ]);
        Assert.True(state.IsReplaying);

        state.TrackReplay("exec");
        Assert.True(state.IsReplaying);
        state.TrackReplay("s1");
        Assert.True(state.IsReplaying);
        state.TrackReplay("s1"); // a second visit does not count twice
        Assert.True(state.IsReplaying);
        state.TrackReplay("w"); // non-terminal: does not count
        Assert.True(state.IsReplaying);
        state.TrackReplay("unknown-id"); // no record: does not count
        Assert.True(state.IsReplaying);
        state.TrackReplay("s2");
        Assert.False(state.IsReplaying);

        // New terminal records and further visits never bring it back.
        state.Merge([Op("s3", OperationType.Step, OperationStatus.Succeeded)]);
        state.TrackReplay("s3");
        state.TrackReplay("s1");
        Assert.False(state.IsReplaying);
    }

    [Fact]
    public void Visit_order_does_not_matter()
    {
        var state = new ExecutionState();
        state.Load([
            ExecutionRecord(),
            Op("a", OperationType.Step, OperationStatus.Succeeded),
            Op("b", OperationType.Context, OperationStatus.Succeeded),
        ]);

        state.TrackReplay("b");
        Assert.True(state.IsReplaying);
        state.TrackReplay("a");
        Assert.False(state.IsReplaying);
    }

    [Fact]
    public void Terminal_records_never_visited_keep_the_flag_true()
    {
        var state = new ExecutionState();
        state.Load([
            ExecutionRecord(),
            Op("ctx", OperationType.Context, OperationStatus.Succeeded),
            Op("child", OperationType.Step, OperationStatus.Succeeded),
        ]);

        state.TrackReplay("ctx"); // the context replays from cache; its child is never visited

        Assert.True(state.IsReplaying);
    }

    [Fact]
    public void A_record_completed_during_the_invocation_does_not_end_replay_early()
    {
        // s1 was terminal at load; s2 was started and completes through a checkpoint response in this invocation.
        var state = new ExecutionState();
        state.Load([ExecutionRecord(), Op("s1", OperationType.Step, OperationStatus.Succeeded),
            Op("s2", OperationType.Callback, OperationStatus.Started)]);
        state.Merge([Op("s2", OperationType.Callback, OperationStatus.Succeeded)]);

        state.TrackReplay("s2");
        Assert.True(state.IsReplaying);

        state.TrackReplay("s1");
        Assert.False(state.IsReplaying);
    }

    [Fact]
    public void Duplicate_records_in_the_load_are_counted_once()
    {
        var state = new ExecutionState();
        state.Load([
            ExecutionRecord(),
            Op("s1", OperationType.Step, OperationStatus.Succeeded),
            Op("s1", OperationType.Step, OperationStatus.Succeeded),
        ]);

        state.TrackReplay("s1");

        Assert.False(state.IsReplaying);
    }

    // ---- ValidateReplayConsistency ---------------------------------------------------------------------------------

    private static ExecutionState StateWith(Operation record)
    {
        var state = new ExecutionState();
        state.Load([ExecutionRecord(), record]);
        return state;
    }

    [Fact]
    public void No_record_never_throws()
    {
        var state = new ExecutionState();
        state.Load([ExecutionRecord()]);

        var ex = Record.Exception(() => state.ValidateReplayConsistency("new", OperationType.Step, "n", "Step"));

        Assert.Null(ex);
    }

    [Fact]
    public void Matching_record_does_not_throw()
    {
        var state = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, "charge", "Step"));

        var ex = Record.Exception(() => state.ValidateReplayConsistency("s", OperationType.Step, "charge", "Step"));

        Assert.Null(ex);
    }

    [Fact]
    public void Type_mismatch_throws_and_names_id_and_both_types()
    {
        var state = StateWith(Op("op-7", OperationType.Wait, OperationStatus.Succeeded, "x", "Wait"));

        var ex = Assert.Throws<NonDeterministicExecutionException>(() =>
            state.ValidateReplayConsistency("op-7", OperationType.Step, "x", null));

        Assert.Contains("op-7", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Step", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Wait", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Type_mismatch_throws_even_when_names_are_null()
    {
        var state = StateWith(Op("s", OperationType.Callback, OperationStatus.Started));

        Assert.Throws<NonDeterministicExecutionException>(() =>
            state.ValidateReplayConsistency("s", OperationType.Context, null, null));
    }

    [Fact]
    public void An_unknown_record_type_is_not_compared()
    {
        var state = StateWith(Op("s", OperationType.Unknown, OperationStatus.Started));

        var ex = Record.Exception(() => state.ValidateReplayConsistency("s", OperationType.Step, null, null));

        Assert.Null(ex);
    }

    [Fact]
    public void Name_mismatch_when_both_non_null_throws_and_names_both()
    {
        var state = StateWith(Op("op-2", OperationType.Wait, OperationStatus.Succeeded, "cool-off", "Wait"));

        var ex = Assert.Throws<NonDeterministicExecutionException>(() =>
            state.ValidateReplayConsistency("op-2", OperationType.Wait, "warm-up", "Wait"));

        Assert.Contains("op-2", ex.Message, StringComparison.Ordinal);
        Assert.Contains("cool-off", ex.Message, StringComparison.Ordinal);
        Assert.Contains("warm-up", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Names_compare_ordinally_case_sensitive()
    {
        var state = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, "Charge"));

        Assert.Throws<NonDeterministicExecutionException>(() =>
            state.ValidateReplayConsistency("s", OperationType.Step, "charge", null));
    }

    [Fact]
    public void A_null_name_on_either_side_never_mismatches()
    {
        var named = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, "charge"));
        var unnamed = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, null));

        Assert.Null(Record.Exception(() => named.ValidateReplayConsistency("s", OperationType.Step, null, null)));
        Assert.Null(Record.Exception(() => unnamed.ValidateReplayConsistency("s", OperationType.Step, "charge", null)));
    }

    [Fact]
    public void SubType_mismatch_when_both_non_null_throws()
    {
        var state = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, "poll", "WaitForCondition"));

        var ex = Assert.Throws<NonDeterministicExecutionException>(() =>
            state.ValidateReplayConsistency("s", OperationType.Step, "poll", "Step"));

        Assert.Contains("WaitForCondition", ex.Message, StringComparison.Ordinal);
        Assert.Contains("Step", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_null_subtype_on_either_side_never_mismatches()
    {
        var withSubType = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, null, "Step"));
        var withoutSubType = StateWith(Op("s", OperationType.Step, OperationStatus.Succeeded, null, null));

        Assert.Null(Record.Exception(() => withSubType.ValidateReplayConsistency("s", OperationType.Step, null, null)));
        Assert.Null(Record.Exception(() => withoutSubType.ValidateReplayConsistency("s", OperationType.Step, null, "Step")));
    }

    [Fact]
    public void NonDeterministicExecutionException_is_a_DurableExecutionException()
    {
        var state = StateWith(Op("s", OperationType.Wait, OperationStatus.Succeeded));

        var ex = Record.Exception(() => state.ValidateReplayConsistency("s", OperationType.Step, null, null));

        Assert.IsAssignableFrom<DurableExecutionException>(ex);
    }

    [Fact]
    public async Task Concurrent_visits_count_each_terminal_record_once()
    {
        var records = new Operation[1000];
        for (var i = 0; i < records.Length; i++)
        {
            records[i] = Op("s" + i, OperationType.Step, OperationStatus.Succeeded);
        }

        var state = new ExecutionState(records.Length);
        state.Load([ExecutionRecord(), .. records]);
        using var go = new System.Threading.ManualResetEventSlim();

        // Four branches visit every id (the last half only after all branches start), racing on each record.
        var branches = new Task[4];
        for (var b = 0; b < branches.Length; b++)
        {
            branches[b] = Task.Run(() =>
            {
                go.Wait();
                for (var i = 0; i < records.Length - 1; i++)
                {
                    Assert.Same(records[i], state.Visit("s" + i));
                }
            });
        }

        go.Set();
        await Task.WhenAll(branches);

        Assert.True(state.IsReplaying); // one record still unvisited, however often the others were
        state.TrackReplay("s999");
        Assert.False(state.IsReplaying);
    }
}
