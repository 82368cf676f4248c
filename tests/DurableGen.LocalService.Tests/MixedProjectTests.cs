using System;
using System.IO;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// A mixed project run end to end with <c>durablegen run</c>: a template declares the test functions' .NET workflows
/// and a Node.js durable function (<c>Runtime: nodejs20.x</c>, <c>Handler</c>, <c>CodeUri</c>, as a SAM template says
/// them). The .NET workflow <c>calls-node</c> invokes the JavaScript <c>js-calls-dotnet</c>, which invokes the .NET
/// <c>Greeting</c>: chained invokes both ways, each function in its own runtime and process.
/// </summary>
public sealed class MixedProjectTests(ITestOutputHelper output) : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("durablegen-mixed-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_dotnet_workflow_invokes_a_Node_durable_function_that_invokes_a_dotnet_one()
    {
        await Prerequisites.EnsureRuntimeInterfaceClientAsync();
        var template = Path.Combine(_directory, "template.yaml");
        await File.WriteAllTextAsync(template, $"""
            Transform: AWS::Serverless-2016-10-31
            Resources:
              CallsNode:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: calls-node
                  Runtime: provided.al2023
                  Handler: calls-node
                  Code: bin/lambda/bootstrap-x86_64.zip
                  Timeout: 60
                  DurableConfig: {"{"} ExecutionTimeout: 300 {"}"}
              Greeting:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: Greeting
                  Runtime: provided.al2023
                  Handler: Greeting
                  Code: bin/lambda/bootstrap-x86_64.zip
                  Timeout: 60
                  DurableConfig: {"{"} ExecutionTimeout: 300 {"}"}
              JsCallsDotnet:
                Type: AWS::Serverless::Function
                Properties:
                  FunctionName: js-calls-dotnet
                  Runtime: nodejs20.x
                  Handler: mixed.callsDotnet
                  CodeUri: {RuntimeInterfaceClientTests.Folder}
                  Timeout: 60
                  DurableConfig: {"{"} ExecutionTimeout: 300 {"}"}
            """);

        var (code, text) = await CliProcess.RunAsync(180, "run", "tests/DurableGen.TestFunctions", "-c", Artifacts.Configuration,
            "--no-build", "--template", template, "--function", "calls-node", "--input", "\"ada\"");
        output.WriteLine(text);

        Assert.True(code == 0, text);
        // "hello, ada" is Greeting's (.NET), "via node" is mixed.mjs's, "back in .NET" is calls-node's.
        Assert.Contains("SUCCEEDED: \"hello, ada via node, back in .NET\"", text, StringComparison.Ordinal);
    }
}
