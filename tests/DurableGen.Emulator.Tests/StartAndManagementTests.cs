using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class StartAndManagementTests
{
    [Fact]
    public void Start_creates_the_execution_record_and_execution_started()
    {
        var h = new Harness();
        var arn = h.Start("{\"orderId\":42}", "order-42", 300);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST/durable-execution/order-42/id-1", arn);
        var op = h.Engine.GetOperations(arn).Single();
        Assert.Equal("id-1", op.Id);
        Assert.Equal("order-42", op.Name);
        Assert.Equal(OperationType.Execution, op.Type);
        Assert.Equal(OperationStatus.Started, op.Status);
        Assert.Equal("{\"orderId\":42}", op.ExecutionDetails!.InputPayload);

        var started = h.History(arn).Single();
        Assert.Equal(1, started.EventId);
        Assert.Equal("id-1", started.Id);
        Assert.Equal("order-42", started.Name);
        Assert.Equal(300, started.ExecutionStartedDetails!.ExecutionTimeout);
        Assert.Equal("{\"orderId\":42}", started.ExecutionStartedDetails.Input!.Payload);
        Assert.True(h.Engine.IsRunnable(arn));

        var inv = h.Begin();
        Assert.Equal(arn, inv.Input.DurableExecutionArn);
        Assert.Equal("id-1", inv.Input.InitialExecutionState!.Operations!.Single().Id);
    }

    [Fact]
    public void Same_name_is_idempotent_with_the_same_payload_and_409_otherwise()
    {
        var h = new Harness();
        var first = h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f", ExecutionName = "n", Payload = "1" });
        var again = h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f", ExecutionName = "n", Payload = "1" });
        Assert.False(first.AlreadyExisted);
        Assert.True(again.AlreadyExisted);
        Assert.Equal(first.DurableExecutionArn, again.DurableExecutionArn);
        var conflict = Harness.Rejects(
            () => h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f", ExecutionName = "n", Payload = "2" }),
            ErrorCodes.DurableExecutionAlreadyStarted);
        Assert.Equal(409, conflict.StatusCode);
        Assert.Single(h.Engine.ListExecutions("f"));
    }

    [Fact]
    public void Qualified_names_and_arns_are_accepted_and_bad_ones_rejected()
    {
        var h = new Harness();
        Assert.Contains(":function:f:7/durable-execution/",
            h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f:7" }).DurableExecutionArn, StringComparison.Ordinal);
        Assert.Contains(":function:g:$LATEST/",
            h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "arn:aws:lambda:us-east-1:123456789012:function:g" }).DurableExecutionArn,
            StringComparison.Ordinal);
        Assert.Equal("3", h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f", Qualifier = "3" }).Version);
        Harness.Rejects(() => h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "bad name" }));
        Harness.Rejects(() => h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f", ExecutionName = "has space" }));
        Harness.Rejects(() => h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f", ExecutionTimeoutSeconds = 0 }));
    }

    [Fact]
    public void List_filters_and_orders_newest_first_by_default()
    {
        var h = new Harness();
        var a = h.Start(name: "a");
        h.Advance(1);
        var b = h.Start(name: "b");
        h.Advance(1);
        h.Start(name: "c", function: "other");
        h.Engine.StopExecution(a);

        Assert.Equal(new[] { b, a }, h.Engine.ListExecutions("order-flow").Select(e => e.DurableExecutionArn));
        Assert.Equal(new[] { a }, h.Engine.ListExecutions("order-flow", statuses: new[] { ExecutionStatus.Stopped }).Select(e => e.DurableExecutionArn));
        Assert.Equal(new[] { b }, h.Engine.ListExecutions("order-flow", executionName: "b").Select(e => e.DurableExecutionArn));

        var page = h.Engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest { FunctionName = "order-flow", MaxItems = 1, ReverseOrder = true });
        Assert.Equal(a, page.DurableExecutions.Single().DurableExecutionArn);
        var rest = h.Engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest
        {
            FunctionName = "order-flow", MaxItems = 1, ReverseOrder = true, Marker = page.NextMarker,
        });
        Assert.Equal(b, rest.DurableExecutions.Single().DurableExecutionArn);
        Assert.Null(rest.NextMarker);
    }

    [Fact]
    public void Paging_newest_first_returns_each_execution_once_while_new_ones_start_between_pages()
    {
        var h = new Harness();
        var started = new List<string>();
        for (var i = 0; i < 7; i++)
        {
            started.Add(h.Start());
            h.Advance(i % 3 == 0 ? 0 : 1); // some share a start time: the ARN orders those
        }

        var seen = new List<string>();
        string? marker = null;
        do
        {
            var page = h.Engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest
            {
                FunctionName = "order-flow", MaxItems = 3, Marker = marker,
            });
            seen.AddRange(page.DurableExecutions.Select(e => e.DurableExecutionArn));
            marker = page.NextMarker;
            h.Advance(1);
            h.Start(); // newer than every page still to come: it must neither shift them nor appear in them
        }
        while (marker is not null);

        // An offset marker shifted by one per new execution, and each page repeated the end of the one before it.
        Assert.Equal(started.Count, seen.Count);
        Assert.Equal(started.OrderBy(a => a, StringComparer.Ordinal), seen.OrderBy(a => a, StringComparer.Ordinal));
        var listed = h.Engine.ListExecutions("order-flow").Select(e => e.DurableExecutionArn).ToList();
        Assert.Equal(listed.Where(started.Contains), seen); // in the order a single listing gives
    }

    [Fact]
    public void A_named_start_finds_its_execution_among_many_and_a_bad_marker_is_rejected()
    {
        var h = new Harness();
        for (var i = 0; i < 50; i++)
        {
            h.Start(name: "n" + i);
        }

        var again = h.Engine.StartExecution(new StartExecutionRequest { FunctionName = "order-flow", ExecutionName = "n17", Payload = "{\"orderId\":42}" });
        Assert.True(again.AlreadyExisted);
        Assert.Equal(h.Engine.ListExecutions("order-flow", executionName: "n17").Single().DurableExecutionArn, again.DurableExecutionArn);
        var conflict = Assert.Throws<DurableServiceException>(() => h.Engine.StartExecution(
            new StartExecutionRequest { FunctionName = "order-flow", ExecutionName = "n17", Payload = "{}" }));
        Assert.Equal(409, conflict.StatusCode);

        foreach (var marker in new[] { "3", "not-a-marker!", "MTIz" })
        {
            Harness.Rejects(() => h.Engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest { FunctionName = "order-flow", Marker = marker }));
        }
    }

    [Fact]
    public void Get_execution_withholds_data_when_asked()
    {
        var h = new Harness();
        var arn = h.Start("{\"x\":1}");
        Assert.Equal("{\"x\":1}", h.Engine.GetExecution(arn).InputPayload);
        Assert.Null(h.Engine.GetExecution(arn, includeExecutionData: false).InputPayload);
        Assert.Equal("$LATEST", h.Engine.GetExecution(arn).Version);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST", h.Engine.GetExecution(arn).FunctionArn);
    }
}
