using DurableGen;
using DurableGen.Testing;
using Xunit.Abstractions;

namespace DurableApp.Tests;

/// <summary>
/// The workflow as Lambda runs it: the runner is built from the generated registration, so it uses the workflow's
/// own serializer context and execution timeout, sends every checkpoint through the real engine, and skips waits
/// and timeouts on a virtual clock (three days pass in milliseconds).
/// </summary>
public class OrderWorkflowTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_small_order_is_confirmed_without_approval()
    {
        var runner = DurableTestRunner.Create(OrderWorkflow.Registration);

        var result = await runner.RunAsync(new Order("o-1", "ada", 3, 25m));

        result.EnsureSucceeded();
        Assert.Equal(new OrderResult("o-1", "CONFIRMED", 75m, "conf-o-1", null), result.Result);
        Assert.Equal(75m, result.GetStep("price-order").GetResult<decimal>());
    }

    [Fact]
    public async Task A_large_order_waits_for_a_manager()
    {
        var runner = DurableTestRunner.Create(OrderWorkflow.Registration);
        runner.OnCallback(ManagerApproval.CallbackName, callback => callback.SucceedAsync(new Approval(true, "kim")));

        var result = await runner.RunAsync(new Order("o-2", "ada", 10, 250m));

        result.EnsureSucceeded();
        Assert.Equal(new OrderResult("o-2", "CONFIRMED", 2500m, "conf-o-2", "kim"), result.Result);
    }

    [Fact]
    public async Task An_unanswered_approval_expires_after_three_days()
    {
        var runner = DurableTestRunner.Create(OrderWorkflow.Registration);

        var result = await runner.RunAsync(new Order("o-3", "ada", 10, 250m));

        result.EnsureSucceeded();
        Assert.Equal("EXPIRED", result.Result!.Status);
        output.WriteLine(result.FormatTimeline()); // every history event at its virtual time; see it with: dotnet test --logger "console;verbosity=detailed"
    }
}
