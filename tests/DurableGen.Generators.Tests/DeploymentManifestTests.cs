using System.Linq;
using System.Text.Json;
using Microsoft.CodeAnalysis;
using Xunit;
using static DurableGen.Generators.Tests.GeneratorHarness;

namespace DurableGen.Generators.Tests;

/// <summary>
/// The deployment manifest the generator leaves in the assembly (metadata <c>DurableGen.Deployment</c>): settings with
/// their defaults, and the invoke targets and callback completions found by following each function's code.
/// </summary>
public sealed class DeploymentManifestTests
{
    private const string Models = """
        namespace Shop;

        public sealed record Order(string Id, decimal Amount);
        public sealed record Decision(bool Approved);
        public sealed record ApprovalRequest(string CallbackId, Order Order);

        [Callback("approval", typeof(Decision), TimeoutSeconds = 3600)]
        public static partial class Approval;

        """;

    private static JsonElement Manifest(string source, params string[] allowedDiagnostics) => Manifest(source, true, allowedDiagnostics);

    private static JsonElement Manifest(string source, bool analysis, params string[] allowedDiagnostics)
    {
        var run = Run(Models + source + StubContext("ShopJson", "Order", "Decision", "ApprovalRequest", "string", "int"),
            deploymentAnalysis: analysis);
        Assert.Equal(allowedDiagnostics, run.Ids);
        var problems = run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var value = run.Output.Assembly.GetAttributes()
            .Where(a => a.AttributeClass?.ToDisplayString() == "System.Reflection.AssemblyMetadataAttribute")
            .Single(a => (string?)a.ConstructorArguments[0].Value == "DurableGen.Deployment")
            .ConstructorArguments[1].Value as string;
        return JsonDocument.Parse(value!).RootElement.Clone();
    }

    private static JsonElement Function(JsonElement manifest, string name) =>
        manifest.GetProperty("functions").EnumerateArray().Single(f => f.GetProperty("name").GetString() == name);

    private static string[] Strings(JsonElement function, string property) =>
        function.GetProperty(property).EnumerateArray().Select(e => e.GetString()!).ToArray();

    [Fact]
    public void Settings_are_written_with_their_defaults_and_functions_in_name_order()
    {
        var manifest = Manifest("""
            [DurableWorkflow(FunctionName = "b-flow", ExecutionTimeout = 7200, RetentionPeriodInDays = 7, FunctionTimeout = 120,
                MemorySize = 1024, Architecture = LambdaArchitecture.Arm64, Environment = new[] { "TABLE=orders", "LOG_LEVEL=debug" },
                ReservedConcurrency = 5, Description = "Orders \"in\" flight")]
            public partial class Flow
            {
                public Task RunAsync(Order order, IDurableContext context) => Task.CompletedTask;
            }

            [LambdaFunction]
            public partial class Notifier
            {
                public static Task HandleAsync(Order order, ILambdaContext context) => Task.CompletedTask;
            }

            """);

        Assert.Equal(1, manifest.GetProperty("schema").GetInt32());
        Assert.Equal(["Notifier", "b-flow"], manifest.GetProperty("functions").EnumerateArray().Select(f => f.GetProperty("name").GetString()));
        var flow = Function(manifest, "b-flow");
        Assert.Equal("durable", flow.GetProperty("kind").GetString());
        Assert.Equal("Shop.Flow", flow.GetProperty("type").GetString());
        Assert.Equal("Orders \"in\" flight", flow.GetProperty("description").GetString());
        Assert.Equal("arm64", flow.GetProperty("architecture").GetString());
        Assert.Equal(1024, flow.GetProperty("memorySize").GetInt32());
        Assert.Equal(120, flow.GetProperty("functionTimeout").GetInt32());
        Assert.Equal(5, flow.GetProperty("reservedConcurrency").GetInt32());
        Assert.Equal(7200, flow.GetProperty("executionTimeout").GetInt32());
        Assert.Equal(7, flow.GetProperty("retentionPeriodInDays").GetInt32());
        Assert.Equal("""{"LOG_LEVEL":"debug","TABLE":"orders"}""", flow.GetProperty("environment").GetRawText());

        var notifier = Function(manifest, "Notifier");
        Assert.Equal("plain", notifier.GetProperty("kind").GetString());
        Assert.Equal("x86_64", notifier.GetProperty("architecture").GetString());
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.DefaultMemorySize, notifier.GetProperty("memorySize").GetInt32());
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.DefaultFunctionTimeout, notifier.GetProperty("functionTimeout").GetInt32());
        Assert.False(notifier.TryGetProperty("executionTimeout", out _));
        Assert.False(notifier.TryGetProperty("reservedConcurrency", out _));
    }

    [Fact]
    public void A_workflow_without_an_execution_timeout_gets_the_default_because_DurableConfig_requires_one()
    {
        var flow = Function(Manifest("""
            [DurableWorkflow]
            public partial class Flow
            {
                public Task RunAsync(Order order, IDurableContext context) => Task.CompletedTask;
            }

            """), "Flow");
        Assert.Equal(DurableGen.DurableWorkflowAttribute.DefaultExecutionTimeout, flow.GetProperty("executionTimeout").GetInt32());
        Assert.False(flow.TryGetProperty("retentionPeriodInDays", out _));
    }

    [Fact]
    public void Invoke_targets_are_found_through_helpers_interfaces_and_generated_names_but_not_through_constants()
    {
        var manifest = Manifest("""
            public interface IApprover { Task AskAsync(ApprovalRequest request); }

            public sealed class LambdaApprover : IApprover
            {
                public Task AskAsync(ApprovalRequest request) => Client.Send(new DurableGen.Client.InvokeDurableExecutionRequest
                {
                    FunctionName = Approver.FunctionName,
                    InvocationType = DurableGen.Client.DurableInvocationType.Event,
                });
            }

            public static class Client
            {
                public static Task Send(DurableGen.Client.InvokeDurableExecutionRequest request) => Task.CompletedTask;
            }

            public static class Names
            {
                public const string Pricing = "pricing";
            }

            [DurableWorkflow(FunctionName = "flow")]
            public partial class Flow(IApprover approver)
            {
                public static Flow CreateWorkflow() => new(new LambdaApprover());

                public async Task<int> RunAsync(Order order, IDurableContext context)
                {
                    await Approval.WaitAsync(context, (id, ct) => approver.AskAsync(new ApprovalRequest(id, order)));
                    return await context.InvokeAsync<Order, int>(Names.Pricing, order);
                }
            }

            [LambdaFunction(FunctionName = "approver")]
            public partial class Approver
            {
                public Task HandleAsync(ApprovalRequest request, ILambdaContext context, CancellationToken cancellationToken) =>
                    Approval.Complete(Callbacks.Client, request.CallbackId).SucceedAsync(new Decision(true), cancellationToken);
            }

            public static class Callbacks
            {
                public static IDurableCallbackClient Client { get; set; } = null!;
            }

            [LambdaFunction(FunctionName = "reporter")]
            public partial class Reporter
            {
                // Naming another function's constants runs none of its code: no permission follows.
                public Task<string> HandleAsync(Order order, ILambdaContext context) => Task.FromResult(Approver.FunctionName + Names.Pricing);
            }

            """);

        var flow = Function(manifest, "flow");
        Assert.Equal(["approver", "pricing"], Strings(flow, "invokes"));
        Assert.Empty(Strings(flow, "completesCallbacksOf"));
        var approver = Function(manifest, "approver");
        Assert.Empty(Strings(approver, "invokes"));
        Assert.Equal(["flow"], Strings(approver, "completesCallbacksOf"));
        var reporter = Function(manifest, "reporter");
        Assert.Empty(Strings(reporter, "invokes"));
        Assert.Empty(Strings(reporter, "completesCallbacksOf"));
    }

    [Fact]
    public void A_computed_target_is_DG1014_until_the_function_declares_its_targets()
    {
        const string Flow = """
            [DurableWorkflow(FunctionName = "flow"DECLARE)]
            public partial class Flow
            {
                public Task<int> RunAsync(Order order, IDurableContext context) =>
                    context.InvokeAsync<Order, int>(order.Amount > 10 ? "big" : "small", order);
            }

            """;
        var line = Models.Split('\n').Length - 1 + 5;
        Manifest(Flow.Replace("DECLARE", ""), $"DG1014@{line}");
        var declared = Function(Manifest(Flow.Replace("DECLARE", ", Invokes = new[] { \"big\", \"small\" }")), "flow");
        Assert.Equal(["big", "small"], Strings(declared, "invokes"));
    }

    [Fact]
    public void A_completion_without_a_contract_is_DG1015_until_the_function_says_whose_callbacks_it_completes()
    {
        const string Approver = """
            [LambdaFunction(FunctionName = "approver"DECLARE)]
            public partial class Approver
            {
                public static IDurableCallbackClient Client { get; set; } = null!;

                public Task HandleAsync(ApprovalRequest request, ILambdaContext context) =>
                    Client.SendCallbackSuccessAsync(request.CallbackId, "{}");
            }

            """;
        var line = Models.Split('\n').Length - 1 + 7;
        Manifest(Approver.Replace("DECLARE", ""), $"DG1015@{line}");
        var declared = Function(Manifest(Approver.Replace("DECLARE", ", CompletesCallbacksOf = new[] { \"flow\" }")), "approver");
        Assert.Equal(["flow"], Strings(declared, "completesCallbacksOf"));
    }

    [Fact]
    public void An_ordinary_build_skips_the_analysis_and_lists_only_the_declared_targets()
    {
        const string Flow = """
            [DurableWorkflow(FunctionName = "flow", Invokes = new[] { "audit" })]
            public partial class Flow
            {
                public async Task<int> RunAsync(Order order, IDurableContext context) =>
                    await context.InvokeAsync<Order, int>("pricing", order) + await context.InvokeAsync<Order, int>(order.Id, order);
            }

            """;

        // No DurableGenDeploymentAnalysis: nothing is bound, no DG1014 for the computed target, only "audit".
        var ordinary = Manifest(Flow, analysis: false);
        Assert.False(ordinary.GetProperty("analyzed").GetBoolean());
        Assert.Equal(["audit"], Strings(Function(ordinary, "flow"), "invokes"));

        var analyzed = Manifest(Flow, analysis: true);
        Assert.True(analyzed.GetProperty("analyzed").GetBoolean());
        Assert.Equal(["audit", "pricing"], Strings(Function(analyzed, "flow"), "invokes"));
    }

    [Fact]
    public void The_generator_defaults_are_the_runtime_attribute_defaults()
    {
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.DefaultFunctionTimeout, Symbols.DefaultFunctionTimeout);
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.MaxFunctionTimeout, Symbols.MaxFunctionTimeout);
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.DefaultMemorySize, Symbols.DefaultMemorySize);
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.MinMemorySize, Symbols.MinMemorySize);
        Assert.Equal(DurableGen.LambdaDeploymentAttribute.MaxMemorySize, Symbols.MaxMemorySize);
        Assert.Equal(DurableGen.DurableWorkflowAttribute.DefaultExecutionTimeout, Symbols.DefaultExecutionTimeout);
        Assert.Equal(DurableGen.DurableWorkflowAttribute.MaxExecutionTimeout, Symbols.MaxExecutionTimeout);
        Assert.Equal((int)DurableGen.LambdaArchitecture.Arm64, 1);
    }
}
