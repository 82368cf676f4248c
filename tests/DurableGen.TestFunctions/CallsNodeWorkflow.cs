using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>The .NET half of a mixed project: invokes <c>js-calls-dotnet</c>, a durable function written in
/// JavaScript (tests/DurableGen.LocalService.Tests/ric/mixed.mjs), which in turn invokes the .NET <c>Greeting</c>.</summary>
[DurableWorkflow(FunctionName = "calls-node")]
public sealed partial class CallsNodeWorkflow
{
    public async Task<string> RunAsync(string name, IDurableContext context)
    {
        var greeting = await context.InvokeAsync<string, string>("js-calls-dotnet", name, "node");
        return $"{greeting}, back in .NET";
    }
}
