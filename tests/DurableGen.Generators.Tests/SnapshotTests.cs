using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static DurableGen.Generators.Tests.GeneratorHarness;

namespace DurableGen.Generators.Tests;

/// <summary>Generated code compared with hand-checked files under Snapshots/, and compiled warning-free.</summary>
public sealed class SnapshotTests
{
    [Fact]
    public void Workflow_with_result_and_deployment_options()
    {
        var generated = RunClean("""
            namespace Shop;

            public sealed record Order(string Id, decimal Amount);
            public sealed record Receipt(string Id, string Status);

            [DurableWorkflow(FunctionName = "order-flow", ExecutionTimeout = 86400, RetentionPeriodInDays = 7, JsonContext = typeof(ShopJson))]
            public sealed partial class OrderWorkflow
            {
                public async Task<Receipt> RunAsync(Order order, IDurableContext context)
                {
                    var id = await context.StepAsync((_, _) => Task.FromResult(order.Id), "charge");
                    return new Receipt(id, "DONE");
                }
            }

            """ + StubContext("ShopJson", "Order", "Receipt", "string"));

        Assert.Equal(["DurableDeployment.g.cs", "DurableWorkflows.g.cs", "Shop.OrderWorkflow.DurableWorkflow.g.cs"], generated.Keys.Order().ToArray());
        MatchSnapshot("WorkflowWithResult.DurableWorkflow.g.cs", generated["Shop.OrderWorkflow.DurableWorkflow.g.cs"]);
        MatchSnapshot("WorkflowWithResult.DurableWorkflows.g.cs", generated["DurableWorkflows.g.cs"]);
    }

    [Fact]
    public void Plain_functions_next_to_a_workflow_are_registered_for_handler_dispatch()
    {
        var generated = RunClean("""
            namespace Shop;

            public sealed record Order(string Id, decimal Amount);
            public sealed record Quote(decimal Price);

            [DurableWorkflow(FunctionName = "order-flow")]
            public sealed partial class OrderWorkflow
            {
                public Task RunAsync(Order order, IDurableContext context) => Task.CompletedTask;
            }

            [LambdaFunction(FunctionName = "pricer", FunctionTimeout = 10)]
            public sealed partial class Pricer
            {
                public Task<Quote> HandleAsync(Order order, ILambdaContext context, CancellationToken cancellationToken) =>
                    Task.FromResult(new Quote(order.Amount * 1.2m));
            }

            [LambdaFunction(FunctionName = "notifier")]
            public static partial class Notifier
            {
                public static Task NotifyAsync(Order order, ILambdaContext context) => Task.CompletedTask;
            }

            """ + StubContext("ShopJson", "Order", "Quote"), OutputKind.ConsoleApplication);

        Assert.Equal(["DurableDeployment.g.cs", "DurableWorkflows.g.cs", "Shop.Notifier.LambdaFunction.g.cs",
            "Shop.OrderWorkflow.DurableWorkflow.g.cs", "Shop.Pricer.LambdaFunction.g.cs"], generated.Keys.Order().ToArray());
        MatchSnapshot("PlainFunction.LambdaFunction.g.cs", generated["Shop.Pricer.LambdaFunction.g.cs"]);
        MatchSnapshot("PlainStaticVoidFunction.LambdaFunction.g.cs", generated["Shop.Notifier.LambdaFunction.g.cs"]);
        MatchSnapshot("PlainFunctions.DurableWorkflows.g.cs", generated["DurableWorkflows.g.cs"]);
    }

    [Fact]
    public void Void_static_workflow_in_an_executable_gets_the_entry_point()
    {
        var generated = RunClean("""
            public sealed record Ping(string Text);

            [DurableWorkflow]
            public static partial class Pinger
            {
                public static Task RunAsync(Ping ping, IDurableContext context) => context.WaitAsync(TimeSpan.FromSeconds(5));
            }

            """ + StubContext("AppJson", "Ping"), OutputKind.ConsoleApplication);

        MatchSnapshot("VoidStaticWorkflow.DurableWorkflow.g.cs", generated["Pinger.DurableWorkflow.g.cs"]);
        MatchSnapshot("VoidStaticWorkflow.DurableWorkflows.g.cs", generated["DurableWorkflows.g.cs"]);
    }

    [Fact]
    public void Nested_workflow_with_a_factory_and_no_context_uses_reflection()
    {
        var generated = RunClean("""
            namespace Deep.Space;

            public sealed record Probe(int Id);

            public static partial class Outer
            {
                [DurableWorkflow(FunctionName = "probe")]
                internal partial record ProbeWorkflow(string Station)
                {
                    public static ProbeWorkflow CreateWorkflow() => new("mars");

                    public Task<int?> RunAsync(Probe? probe, IDurableContext context) => Task.FromResult<int?>(probe?.Id);
                }
            }
            """);

        MatchSnapshot("NestedFactoryReflection.DurableWorkflow.g.cs", generated["Deep.Space.Outer.ProbeWorkflow.DurableWorkflow.g.cs"]);
    }

    [Fact]
    public void Several_workflows_are_registered_for_handler_dispatch()
    {
        var generated = RunClean("""
            namespace Multi;

            [DurableWorkflow(FunctionName = "alpha", JsonContext = typeof(MultiJson))]
            public partial class Alpha
            {
                public Task<string> RunAsync(string input, IDurableContext context) => Task.FromResult(input);
            }

            [DurableWorkflow(FunctionName = "beta", JsonContext = typeof(MultiJson))]
            public partial class Beta
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
                private Task HelperAsync(int input, IDurableContext context) => Task.CompletedTask;
            }

            [DurableWorkflow(JsonContext = typeof(MultiJson), Method = nameof(Go))]
            public partial class Gamma
            {
                public Task Go(int input, IDurableContext context) => Task.CompletedTask;
                public Task Other(int input, IDurableContext context) => Task.CompletedTask;
            }

            """ + StubContext("MultiJson", "string", "int") + StubContext("OtherJson", "long"), OutputKind.ConsoleApplication);

        MatchSnapshot("SeveralWorkflows.DurableWorkflows.g.cs", generated["DurableWorkflows.g.cs"]);
    }

    [Fact]
    public void Callback_contract_generates_both_sides()
    {
        var generated = RunClean("""
            namespace Approvals;

            public sealed record Decision(bool Approved, string By);

            [Callback("manager-approval", typeof(Decision), TimeoutSeconds = 259200, HeartbeatTimeoutSeconds = 43200)]
            public static partial class ManagerApproval;

            public static class Use
            {
                public static async Task<bool> WorkflowAsync(IDurableContext context)
                {
                    var decision = await ManagerApproval.WaitAsync(context, (callbackId, ct) => Task.CompletedTask);
                    var callback = await ManagerApproval.CreateAsync(context);
                    return decision.Approved && callback.CallbackId.Length > 0;
                }

                public static async Task ApproverAsync(IDurableCallbackClient client, string callbackId)
                {
                    var completion = ManagerApproval.Complete(client, callbackId);
                    await completion.HeartbeatAsync();
                    await completion.SucceedAsync(new Decision(true, "kim"));
                    await completion.FailAsync("Rejected", "no budget");
                    await completion.FailAsync(new InvalidOperationException("boom"));
                }
            }

            """ + StubContext("ApprovalJson", "Decision"));

        MatchSnapshot("CallbackContract.Callback.g.cs", generated["Approvals.ManagerApproval.Callback.g.cs"]);
    }

    [Fact]
    public void Registration_carries_the_input_and_result_types_and_the_serializer()
    {
        // User code that relies on the typed registration compiles: a host can take the types and the serializer from it.
        var generated = RunClean("""
            namespace Shop;

            public sealed record Order(string Id);
            public sealed record Receipt(string Id);

            [DurableWorkflow(ExecutionTimeout = 3 * 24 * 3600, JsonContext = typeof(ShopJson))]
            public sealed partial class OrderWorkflow
            {
                public Task<Receipt> RunAsync(Order order, IDurableContext context) => Task.FromResult(new Receipt(order.Id));
            }

            public static class Usage
            {
                public static DurableWorkflowRegistration<Order, Receipt> Typed => OrderWorkflow.Registration;
                public static IDurableSerializer Serializer => OrderWorkflow.Registration.Serializer;
                public static DurableWorkflowRegistration Untyped => OrderWorkflow.Registration;
            }

            """ + StubContext("ShopJson", "Order", "Receipt"));

        Assert.Contains("public static global::DurableGen.DurableWorkflowRegistration<global::Shop.Order, global::Shop.Receipt> Registration",
            generated["Shop.OrderWorkflow.DurableWorkflow.g.cs"], System.StringComparison.Ordinal);
        Assert.Contains("HandleAsync, s_durableSerializer, global::System.TimeSpan.FromSeconds(259200), null);",
            generated["Shop.OrderWorkflow.DurableWorkflow.g.cs"], System.StringComparison.Ordinal);
    }

    [Fact]
    public void Public_workflow_with_an_internal_input_type_gets_an_internal_registration()
    {
        // A public Registration typed DurableWorkflowRegistration<Order, ...> would not compile (CS0053) when Order is
        // internal; the run method itself may be internal, so the workflow is valid.
        var generated = RunClean("""
            namespace Shop;

            internal sealed record Order(string Id);

            [DurableWorkflow(JsonContext = typeof(ShopJson))]
            public sealed partial class OrderWorkflow
            {
                internal Task<string> RunAsync(Order order, IDurableContext context) => Task.FromResult(order.Id);
            }

            """ + StubContext("ShopJson", "Order", "string"));

        Assert.Contains("internal static global::DurableGen.DurableWorkflowRegistration<global::Shop.Order, string> Registration",
            generated["Shop.OrderWorkflow.DurableWorkflow.g.cs"], System.StringComparison.Ordinal);
    }

    [Fact]
    public void Pipeline_models_are_cached_across_unrelated_edits()
    {
        const string source = """
            public sealed record Ping(string Text);

            [DurableWorkflow(JsonContext = typeof(AppJson))]
            public partial class Pinger
            {
                public Task RunAsync(Ping ping, IDurableContext context) => Task.CompletedTask;
            }
            """;
        var run = Run(source + StubContext("AppJson", "Ping"));
        var edited = run.Input.AddSyntaxTrees(Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(
            "public static class Unrelated { public static int X => 1; }",
            new Microsoft.CodeAnalysis.CSharp.CSharpParseOptions(Microsoft.CodeAnalysis.CSharp.LanguageVersion.CSharp12)));
        var second = run.Driver.RunGenerators(edited).GetRunResult().Results[0];
        var outputs = second.TrackedOutputSteps.SelectMany(s => s.Value).SelectMany(s => s.Outputs).ToList();
        Assert.NotEmpty(outputs);
        Assert.All(outputs, o => Assert.True(o.Reason is IncrementalStepRunReason.Cached or IncrementalStepRunReason.Unchanged,
            $"an output step re-ran: {o.Reason}"));
    }
}
