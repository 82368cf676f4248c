using DurableGen.Execution;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Tests.Unit;

/// <summary>semantics.md §5.1: 512 + 2 × payload bytes + id/parent/name bytes + error bytes + (line + 8) per stack line.</summary>
public class CheckpointBatcherEstimateTests
{
    [Fact]
    public void An_empty_update_costs_the_fixed_512_bytes()
    {
        Assert.Equal(512, CheckpointBatcher.EstimateBytes(new OperationUpdate()));
    }

    [Fact]
    public void Type_subtype_action_and_options_are_not_counted()
    {
        var update = new OperationUpdate
        {
            Type = OperationType.Callback, SubType = "Callback", Action = OperationAction.Start,
            CallbackOptions = new CallbackOptions { TimeoutSeconds = 10 },
            WaitOptions = new WaitOptions { WaitSeconds = 5 },
        };

        Assert.Equal(512, CheckpointBatcher.EstimateBytes(update));
    }

    [Fact]
    public void Payload_counts_twice()
    {
        Assert.Equal(512 + 2 * 11, CheckpointBatcher.EstimateBytes(new OperationUpdate { Payload = """{"ok":true}""" }));
    }

    [Fact]
    public void Id_parent_and_name_count_once()
    {
        var update = new OperationUpdate { Id = new string('a', 64), ParentId = new string('b', 64), Name = "charge-card" };

        Assert.Equal(512 + 64 + 64 + 11, CheckpointBatcher.EstimateBytes(update));
    }

    [Fact]
    public void Sizes_are_utf8_bytes_not_chars()
    {
        var update = new OperationUpdate { Name = "café", Payload = "€" }; // 5 bytes, 3 bytes

        Assert.Equal(512 + 5 + 2 * 3, CheckpointBatcher.EstimateBytes(update));
    }

    [Fact]
    public void Error_fields_and_stack_lines_are_counted()
    {
        var update = new OperationUpdate
        {
            Error = new ErrorObject
            {
                ErrorType = "System.Exception", // 16
                ErrorMessage = "boom",          // 4
                ErrorData = "{}",               // 2
                StackTrace = ["at A", "at BB"], // (4 + 8) + (5 + 8)
            },
        };

        Assert.Equal(512 + 16 + 4 + 2 + 12 + 13, CheckpointBatcher.EstimateBytes(update));
    }

    [Fact]
    public void Error_with_nothing_set_adds_nothing()
    {
        Assert.Equal(512, CheckpointBatcher.EstimateBytes(new OperationUpdate { Error = new ErrorObject() }));
    }

    [Fact]
    public void Everything_adds_up()
    {
        var update = new OperationUpdate
        {
            Id = "id",             // 2
            ParentId = "parent",   // 6
            Name = "n",            // 1
            Payload = "12345",     // 2 × 5
            Error = new ErrorObject { ErrorType = "T", ErrorMessage = "M", StackTrace = [""] }, // 1 + 1 + (0 + 8)
        };

        Assert.Equal(512 + 2 + 6 + 1 + 10 + 1 + 1 + 8, CheckpointBatcher.EstimateBytes(update));
    }

    [Fact]
    public void Default_config_matches_the_official_limits()
    {
        var config = new CheckpointBatcherConfig();

        Assert.Equal(200, config.MaxBatchOperations);
        Assert.Equal(768_000, config.MaxBatchBytes);
        Assert.Equal(System.TimeSpan.Zero, config.FlushInterval);
    }
}
