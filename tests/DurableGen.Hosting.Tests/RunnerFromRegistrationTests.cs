using System;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// A runner built from a generated registration runs the workflow with what production runs with: the generated
/// handler and the workflow's JsonSerializerContext, its function name and its execution timeout.
/// </summary>
public sealed class RunnerFromRegistrationTests
{
    private const string SerializationError = "DurableGen.DurableSerializationException";

    [Fact]
    public async Task A_step_result_missing_from_the_context_fails_the_step_once_as_in_production()
    {
        var runner = DurableTestRunner.Create(QuoteWorkflow.Registration);

        var result = await runner.RunAsync("sku-registration");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(SerializationError, result.Error!.ErrorType);
        Assert.Contains("[JsonSerializable(typeof(DurableGen.Hosting.Tests.Quote))]", result.Error.ErrorMessage, StringComparison.Ordinal);
        var step = result.GetStep("price");
        Assert.Equal(OperationStatus.Failed, step.Status);
        Assert.Equal(SerializationError, step.Error!.ErrorType);
        Assert.Equal(1, QuoteWorkflow.BodyRuns["sku-registration"]);
        Assert.Equal(1, result.InvocationCount);
        var failed = Assert.Single(result.History, e => e.EventType == EventType.StepFailed);
        Assert.Null(failed.StepFailedDetails!.RetryDetails?.NextAttemptDelaySeconds); // a FAIL, not a RETRY
        Assert.Equal(result.Error.ErrorMessage, failed.StepFailedDetails.Error!.Payload!.ErrorMessage);
    }

    [Fact]
    public async Task The_reflection_opt_in_serializes_what_the_context_lacks_which_is_why_it_is_opt_in()
    {
        var runner = new DurableTestRunner<string, string>(new QuoteWorkflow().RunAsync,
            new DurableTestRunnerOptions { Serializer = DurableTestSerializers.Reflection });

        var result = await runner.RunAsync("sku-reflection");

        Assert.Equal("sku-reflection", result.EnsureSucceeded().Result);
    }

    [Fact]
    public async Task A_workflow_built_by_the_test_gets_the_registrations_serializer_too()
    {
        var runner = DurableTestRunner.Create(QuoteWorkflow.Registration, new QuoteWorkflow().RunAsync);

        var result = await runner.RunAsync("sku-delegate");

        Assert.Equal(SerializationError, result.Error!.ErrorType);
        Assert.Equal(1, QuoteWorkflow.BodyRuns["sku-delegate"]);
        Assert.Contains(":function:quote:", result.DurableExecutionArn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_two_day_callback_timeout_is_testable_under_a_three_day_execution_timeout()
    {
        var runner = DurableTestRunner.Create(SlowApprovalWorkflow.Registration);

        var result = await runner.RunAsync("o-1");

        Assert.Equal("escalated o-1", result.EnsureSucceeded().Result);
        var started = result.History.Single(e => e.EventType == EventType.ExecutionStarted);
        var timedOut = result.History.Single(e => e.EventType == EventType.CallbackTimedOut);
        Assert.Equal(TimeSpan.FromDays(2), timedOut.EventTimestamp - started.EventTimestamp);
        Assert.Equal(3 * 24 * 3600, started.ExecutionStartedDetails!.ExecutionTimeout);
        Assert.Contains(":function:slow-approval:", result.DurableExecutionArn, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wait_longer_than_the_execution_timeout_times_the_execution_out()
    {
        var runner = DurableTestRunner.Create(HourLimitWorkflow.Registration);

        var result = await runner.RunAsync("x");

        Assert.Equal(ExecutionStatus.TimedOut, result.Status);
        Assert.Equal("Execution.Timeout", result.Error!.ErrorType);
        Assert.Equal("Execution timed out after 3600 seconds", result.Error.ErrorMessage);
    }

    [Fact]
    public async Task Options_override_the_execution_timeout_and_the_serializer()
    {
        var longer = DurableTestRunner.Create(HourLimitWorkflow.Registration,
            new DurableTestRunnerOptions { ExecutionTimeout = TimeSpan.FromHours(3) });
        var lenient = DurableTestRunner.Create(QuoteWorkflow.Registration,
            new DurableTestRunnerOptions { Serializer = DurableTestSerializers.Reflection });

        var woke = await longer.RunAsync("x");
        Assert.Equal("woke x", woke.EnsureSucceeded().Result);
        Assert.Equal(3 * 3600, woke.History.Single(e => e.EventType == EventType.ExecutionStarted).ExecutionStartedDetails!.ExecutionTimeout);
        Assert.Equal("sku-override", (await lenient.RunAsync("sku-override")).EnsureSucceeded().Result);
    }

    [Fact]
    public async Task Sibling_functions_are_registered_from_their_registrations()
    {
        var runner = DurableTestRunner.Create(HourLimitWorkflow.Registration);
        runner.Host.RegisterDurableFunction(GreeterWorkflow.Registration);
        runner.Host.RegisterFunction(ShouterFunction.Registration);

        var greeting = runner.Host.StartExecution(GreeterWorkflow.FunctionName, "\"ada\"");
        var shout = runner.Host.StartExecution(ShouterFunction.FunctionName, """{"Text":"hi"}""");
        await runner.Host.RunUntilAsync(() => new[] { greeting, shout }.All(arn =>
            runner.Host.GetExecution(arn).Status != ExecutionStatus.Running));

        Assert.Equal("\"hello ada\"", runner.Host.GetExecution(greeting).Result);
        var shouted = runner.Host.GetExecution(shout);
        Assert.Equal(ExecutionStatus.Succeeded, shouted.Status);
        Assert.StartsWith("""{"Text":"HI!","FunctionName":"shouter",""", shouted.Result, StringComparison.Ordinal);
    }
}
