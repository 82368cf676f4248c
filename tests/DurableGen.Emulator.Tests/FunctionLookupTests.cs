using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>
/// A host that knows its functions (the local service, from the template) tells the engine their aliases and execution
/// timeouts: a start or a chained invoke through an alias runs $LATEST, an unknown alias is not found, and an execution
/// gets its function's timeout unless the request gives one.
/// </summary>
public sealed class FunctionLookupTests
{
    private static Harness WithFunctions() => new(new EngineOptions
    {
        FunctionLookup = name => name switch
        {
            "order-flow" => new FunctionConfiguration(["live"], 600),
            "pricing" => new FunctionConfiguration(["live"], 45),
            _ => null,
        },
    });

    [Fact]
    public void A_start_through_an_alias_runs_latest_with_the_functions_execution_timeout()
    {
        var h = WithFunctions();
        var started = h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "order-flow", Qualifier = "live" });
        Assert.Equal("$LATEST", started.Version);
        Assert.Contains(":function:order-flow:$LATEST/durable-execution/", started.DurableExecutionArn, StringComparison.Ordinal);
        Assert.Equal(600, h.History(started.DurableExecutionArn).Single().ExecutionStartedDetails!.ExecutionTimeout);

        var explicitTimeout = h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "order-flow:live", ExecutionTimeoutSeconds = 30 });
        Assert.Equal(30, h.History(explicitTimeout.DurableExecutionArn).Single().ExecutionStartedDetails!.ExecutionTimeout);
    }

    [Fact]
    public void An_alias_a_known_function_lacks_is_not_found_and_without_a_catalog_an_alias_is_an_invalid_qualifier()
    {
        Assert.Equal(404, Harness.Rejects(() => WithFunctions().Engine.StartExecution(
            new StartExecutionRequest { FunctionName = "order-flow", Qualifier = "prod" }), ErrorCodes.ResourceNotFound).StatusCode);
        // A function the host does not know (another stack's, or one whose process connects by itself) takes any alias.
        Assert.Equal("$LATEST", WithFunctions().Engine.StartExecution(new StartExecutionRequest { FunctionName = "unknown:live" }).Version);
        Harness.Rejects(() => new Harness().Engine.StartExecution(new StartExecutionRequest { FunctionName = "order-flow:live" }),
            ErrorCodes.InvalidParameterValue);
    }

    [Fact]
    public void A_chained_invoke_through_the_targets_alias_arn_starts_it_with_its_execution_timeout()
    {
        var h = WithFunctions();
        var parent = h.StartAndBegin();
        parent.Checkpoint(new OperationUpdate
        {
            Id = "i1", Type = OperationType.ChainedInvoke, SubType = "ChainedInvoke", Action = OperationAction.Start, Name = "price",
            Payload = "1",
            ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = "arn:aws:lambda:us-east-1:123456789012:function:pricing:live" },
        });

        var child = h.Engine.ListExecutions("pricing").Single();
        Assert.Contains(":function:pricing:$LATEST/", child.DurableExecutionArn, StringComparison.Ordinal);
        Assert.Equal(45, h.History(child.DurableExecutionArn).Single().ExecutionStartedDetails!.ExecutionTimeout);
    }

    [Fact]
    public void A_chained_invoke_of_an_unknown_alias_is_refused_and_nothing_of_the_batch_is_applied()
    {
        var h = WithFunctions();
        var parent = h.StartAndBegin();
        var before = h.History(parent.Arn).Count;
        Harness.Rejects(() => parent.Checkpoint(U.WaitStart("w1", 60), new OperationUpdate
        {
            Id = "i1", Type = OperationType.ChainedInvoke, SubType = "ChainedInvoke", Action = OperationAction.Start, Name = "price",
            ChainedInvokeOptions = new ChainedInvokeOptions { FunctionName = "pricing:prod" },
        }), ErrorCodes.ResourceNotFound);

        Assert.Equal(before, h.History(parent.Arn).Count);
        Assert.Empty(h.Engine.ListExecutions("pricing"));
    }
}
