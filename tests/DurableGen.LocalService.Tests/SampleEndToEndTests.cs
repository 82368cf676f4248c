using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The order-approval sample end to end, as <c>durablegen run samples/OrderApproval</c> runs it: the service on a real
/// port, and the sample's built binary as three function processes (two workflows, the plain approver). The workflow
/// invokes the approver with InvocationType Event; the approver completes the callback over HTTP.
/// </summary>
public sealed class SampleEndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_order_approval_sample_runs_as_separate_processes_and_the_approver_answers_over_http()
    {
        var sample = Artifacts.Sample;
        await using var test = await TestService.StartAsync(options =>
        {
            options.Functions.Clear();
            foreach (var (name, durable) in new[] { ("order-approval", true), ("order-approval-handoff", true), ("order-approver", false) })
            {
                var function = new FunctionDefinition { Name = name, Durable = durable, Command = "dotnet", Handler = name };
                function.Arguments.Add(sample);
                options.Functions.Add(function);
            }
        });

        try
        {
            var approved = await test.StartExecutionAsync("""{"OrderId":"o-e2e-1","Customer":"ada","Amount":420}""", "order-approval");
            var rejected = await test.StartExecutionAsync("""{"OrderId":"o-e2e-2","Customer":"grace","Amount":2500}""",
                "order-approval-handoff");

            var first = await test.WaitClosedAsync(approved);
            Assert.Equal("SUCCEEDED", first.GetProperty("Status").GetString());
            Assert.Contains("\"Status\":\"APPROVED\"", first.GetProperty("Result").GetString());
            var second = await test.WaitClosedAsync(rejected);
            Assert.Equal("SUCCEEDED", second.GetProperty("Status").GetString());
            Assert.Contains("\"Status\":\"REJECTED\"", second.GetProperty("Result").GetString());

            // Handed off exactly once each: one submitter / request-approval step, one callback answer.
            var events = await test.HistoryAsync(approved);
            Assert.Single(events, e => e.GetProperty("EventType").GetString() == "CallbackSucceeded");
            Assert.Single(events, e => e.GetProperty("EventType").GetString() == "StepSucceeded"
                                       && e.TryGetProperty("Name", out var name) && name.GetString() == "manager-approval-submitter");
            Assert.Equal(2, test.CountOutput("[order-approver] answered"));
        }
        finally
        {
            test.WriteOutputTo(output);
        }
    }
}
