using System;
using System.Linq;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

/// <summary>The input shapes AWS refuses before any durable API runs are refused by the engine itself, with the
/// message the HTTP host gives, so an in-process host refuses them too.</summary>
public sealed class InputValidationTests
{
    [Theory]
    [InlineData("not-an-arn")]
    [InlineData("")]
    [InlineData("arn:aws:lambda:us-east-1:12345:function:f:$LATEST/durable-execution/n/i")] // account is not 12 digits
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:f:prod/durable-execution/n/i")] // an alias, not a version
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:f:$LATEST/durable-execution/n")]
    public void A_malformed_execution_arn_is_refused_by_every_api_that_takes_one(string arn)
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        AssertArnRefused(arn, () => h.Checkpoint(arn, inv.Token, new[] { U.StepStart("s1") }));
        AssertArnRefused(arn, () => h.State(arn, inv.Token));
        AssertArnRefused(arn, () => h.Engine.GetExecution(arn));
        AssertArnRefused(arn, () => h.Engine.GetExecutionHistory(arn));
        AssertArnRefused(arn, () => h.Engine.StopExecution(arn));
        Assert.Equal(ExecutionStatus.Running, h.Engine.GetExecution(inv.Arn).Status);
        inv.Checkpoint(U.StepStart("s1")); // the token was not consumed by the refused checkpoint
    }

    [Fact]
    public void A_well_formed_arn_of_no_execution_is_still_not_found_on_management_apis()
    {
        var h = new Harness();
        var arn = "arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST/durable-execution/none/none";
        Harness.Rejects(() => h.Engine.GetExecution(arn), ErrorCodes.ResourceNotFound);
        Harness.Rejects(() => h.Engine.StopExecution(arn), ErrorCodes.ResourceNotFound);
    }

    [Fact]
    public void A_long_arn_is_truncated_in_the_message()
    {
        var h = new Harness();
        var arn = new string('a', 2000);
        var error = Harness.Rejects(() => h.Engine.GetExecution(arn));
        Assert.Contains("Value '" + new string('a', 80) + "…' at 'durableExecutionArn'", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("")]
    [InlineData("abc$def")]
    [InlineData("====")]
    public void A_callback_id_that_is_not_base64_is_refused_with_the_validation_message(string id)
    {
        var h = new Harness();
        foreach (var send in new Action[]
        {
            () => h.Engine.SendCallbackSuccess(id, "1"),
            () => h.Engine.SendCallbackFailure(id, new ErrorObject { ErrorMessage = "x" }),
            () => h.Engine.SendCallbackHeartbeat(id),
        })
        {
            var error = Harness.Rejects(send);
            Assert.Equal(
                $"1 validation error detected: Value '{id}' at 'callbackId' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9+/]+={{0,2}}",
                error.Message);
        }
    }

    [Fact]
    public void A_callback_id_longer_than_1024_characters_is_refused_before_it_is_decoded()
    {
        var h = new Harness();
        var error = Harness.Rejects(() => h.Engine.SendCallbackHeartbeat(new string('A', 1028)));
        Assert.Contains("at 'callbackId' failed to satisfy constraint", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_stop_with_an_error_that_has_no_field_set_records_the_default_stop_message()
    {
        var h = new Harness();
        var arn = h.Start();
        h.Engine.StopExecution(arn, new ErrorObject());
        Assert.Equal("Execution stopped by user request", h.Describe(arn).Error!.ErrorMessage);
        var stopped = h.History(arn).Single(e => e.EventType == EventType.ExecutionStopped);
        Assert.Equal("Execution stopped by user request", stopped.ExecutionStoppedDetails!.Error!.Payload!.ErrorMessage);
    }

    [Fact]
    public void A_callback_failure_with_an_error_that_has_no_field_set_records_no_error()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        inv.Checkpoint(U.CallbackStart("cb"));
        var id = h.Operation(inv.Arn, "cb").CallbackDetails!.CallbackId!;
        h.Engine.SendCallbackFailure(id, new ErrorObject());
        var callback = h.Operation(inv.Arn, "cb");
        Assert.Equal(OperationStatus.Failed, callback.Status);
        Assert.Null(callback.CallbackDetails!.Error);
        Assert.Null(h.History(inv.Arn).Single(e => e.EventType == EventType.CallbackFailed).CallbackFailedDetails!.Error!.Payload);
    }

    private static void AssertArnRefused(string arn, Action call)
    {
        var error = Harness.Rejects(call);
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith($"1 validation error detected: Value '{arn}' at 'durableExecutionArn' failed to satisfy constraint",
            error.Message, StringComparison.Ordinal);
    }
}
