using System;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DurableGen.Conformance.Running;
using Xunit;

namespace DurableGen.Conformance.Tests;

/// <summary>
/// A requirement file the runner has never seen, dropped into a new folder, with its handler in another assembly (this
/// test assembly): it runs through the CLI with no change to the runner.
/// </summary>
public sealed class NewRequirementTests
{
    [Fact]
    public async Task A_new_requirement_file_with_a_handler_in_another_assembly_runs_unchanged()
    {
        var dir = Path.Combine(Path.GetTempPath(), "durablegen-new-requirement-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(dir, "greeting"));
        await File.WriteAllTextAsync(Path.Combine(dir, "greeting", "99-1.yaml"), """
            ---
            description: A greeting step, then a short wait
            Variables:
              WHO: ${GEN_STR:6}
            Input: ${WHO}
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: Hello, ${WHO}!
            ExpectedExecutionHistory:
              - EventType: StepStarted
                SubType: Step
                EventId: 2
                Id: ${ID1}
                Name: greet
              - EventType: StepSucceeded
                SubType: Step
                EventId: 3
                Id: ${ID1}
                StepSucceededDetails:
                  Result:
                    Payload: '"Hello, ${WHO}!"'
              - EventType: WaitStarted
                EventId: 4
                WaitStartedDetails:
                  Duration: 1
              - EventType: InvocationCompleted
                EventId: 5
              - EventType: WaitSucceeded
                EventId: 6
            """);
        var json = Path.Combine(dir, "report.json");
        try
        {
            var code = await ConformanceCli.RunAsync(
                ["--requirements", dir, "--handlers", typeof(NewRequirementTests).Assembly.Location,
                 "--fail-on", "failed+uncovered", "--report-json", json],
                new StringWriter(), new StringWriter());

            Assert.Equal(0, code);
            var result = JsonNode.Parse(await File.ReadAllTextAsync(json))!["results"]!.AsArray().Single()!;
            Assert.Equal("99-1", result["id"]!.GetValue<string>());
            Assert.Equal("PASSED", result["status"]!.GetValue<string>());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}

/// <summary>The handler of the new requirement, living outside the handlers assembly.</summary>
[Conformance("99-1")]
public sealed class GreetThenWait : IConformanceCase<string, string>
{
    /// <inheritdoc />
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var greeting = await context.StepAsync((_, _) => Task.FromResult($"Hello, {input}!"), "greet");
        await context.WaitAsync(TimeSpan.FromSeconds(1), "pause");
        return greeting;
    }
}
