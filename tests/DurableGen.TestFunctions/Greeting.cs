using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>A workflow with no <c>FunctionName</c>: its function is named after the class, <c>Greeting</c>
/// (docs/diagnostics/DG1006.md).</summary>
[DurableWorkflow]
public sealed partial class Greeting
{
    public async Task<string> RunAsync(string name, IDurableContext context) =>
        await context.StepAsync((_, _) => Task.FromResult($"hello, {name}"), "greet");
}
