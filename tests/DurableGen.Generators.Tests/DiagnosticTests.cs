using System.Linq;
using Microsoft.CodeAnalysis;
using Xunit;
using static DurableGen.Generators.Tests.GeneratorHarness;

namespace DurableGen.Generators.Tests;

/// <summary>One or more cases per generator diagnostic; lines are 1-based within the test source.</summary>
public sealed class DiagnosticTests
{
    private static void Expect(string source, params string[] expected) => Expect(source, OutputKind.DynamicallyLinkedLibrary, expected);

    private static void Expect(string source, OutputKind kind, params string[] expected)
    {
        var run = Run(source, kind);
        Assert.Equal(expected, run.Ids);
    }

    [Fact]
    public void DG1001_class_not_partial() => Expect("""
        [DurableWorkflow]
        public class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1001@2");

    [Fact]
    public void DG1001_container_not_partial() => Expect("""
        public static class Holder
        {
            [Callback("approve", typeof(string))]
            public partial class Approve;
        }
        """, "DG1001@4");

    [Fact]
    public void DG1002_wrong_parameters() => Expect("""
        [DurableWorkflow]
        public partial class Flow
        {
            public Task RunAsync(IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1002@4");

    [Fact]
    public void DG1002_wrong_return_type() => Expect("""
        [DurableWorkflow]
        public partial class Flow
        {
            public ValueTask<int> RunAsync(int input, IDurableContext context) => default;
        }
        """, "DG1002@4");

    [Fact]
    public void DG1002_named_method_has_the_wrong_shape() => Expect("""
        [DurableWorkflow(Method = "Go")]
        public partial class Flow
        {
            public Task<int> Go<T>(int input, IDurableContext context) => Task.FromResult(input);
        }
        """, "DG1002@4");

    [Fact]
    public void DG1003_no_workflow_method() => Expect("""
        [DurableWorkflow]
        public partial class Flow
        {
            public int Add(int a, int b) => a + b;
        }
        """, "DG1003@2");

    [Fact]
    public void DG1003_named_method_missing() => Expect("""
        [DurableWorkflow(Method = "Missing")]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1003@2");

    [Fact]
    public void DG1004_several_candidates() => Expect("""
        [DurableWorkflow]
        public partial class Flow
        {
            public Task StartAsync(int input, IDurableContext context) => Task.CompletedTask;
            public Task ResumeAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1004@2");

    [Fact]
    public void DG1005_generic_class() => Expect("""
        [DurableWorkflow]
        public partial class Flow<T>
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1005@2");

    [Fact]
    public void DG1005_nested_in_generic_class() => Expect("""
        public partial class Holder<T>
        {
            [DurableWorkflow]
            public partial class Flow
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
            }
        }
        """, "DG1005@4");

    [Fact]
    public void DG1005_private_nested_class() => Expect("""
        public partial class Holder
        {
            [DurableWorkflow]
            private partial class Flow
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
            }
        }
        """, "DG1005@4");

    [Fact]
    public void DG1006_duplicate_function_names() => Expect("""
        [DurableWorkflow(FunctionName = "same")]
        public partial class A
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }

        [DurableWorkflow(FunctionName = "same")]
        public partial class B
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1006@7");

    [Theory]
    [InlineData("ExecutionTimeout = 31622401")]
    [InlineData("ExecutionTimeout = -1")]
    [InlineData("RetentionPeriodInDays = 91")]
    [InlineData("FunctionName = \"has space\"")]
    [InlineData("FunctionName = \"\"")]
    public void DG1007_workflow_settings_out_of_range(string setting) => Expect($$"""
        [DurableWorkflow({{setting}})]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1007@1");

    [Fact]
    public void DG1007_workflow_settings_at_the_bounds_are_accepted() => Expect("""
        [DurableWorkflow(ExecutionTimeout = 31622400, RetentionPeriodInDays = 90)]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        [DurableWorkflow(ExecutionTimeout = 1, RetentionPeriodInDays = 1, FunctionName = "f")]
        public partial class Flow2
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """);

    [Theory]
    [InlineData("TimeoutSeconds = -5")]
    [InlineData("HeartbeatTimeoutSeconds = 31622401")]
    public void DG1007_callback_timeouts_out_of_range(string setting) => Expect($$"""
        [Callback("approve", typeof(string), {{setting}})]
        public partial class Approve;
        """, "DG1007@1");

    [Fact]
    public void DG1007_empty_callback_name() => Expect("""
        [Callback("", typeof(string))]
        public partial class Approve;
        """, "DG1007@1");

    [Fact]
    public void DG1008_second_main_when_the_entry_point_is_requested() => Expect("""
        [assembly: DurableLambdaEntryPoint]

        [DurableWorkflow]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }

        public static class Program
        {
            public static void Main() { }
        }
        """, OutputKind.ConsoleApplication, "DG1008@3");

    [Fact]
    public void No_entry_point_and_no_diagnostic_when_the_project_has_its_own_main()
    {
        var run = Run("""
            [DurableWorkflow]
            public partial class Flow
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
            }

            public static class Program
            {
                public static void Main() { }
            }
            """, OutputKind.ConsoleApplication);
        Assert.Empty(run.Ids);
        Assert.DoesNotContain("DurableLambdaEntryPoint", run.Generated["DurableWorkflows.g.cs"]);
    }

    [Fact]
    public void Entry_point_can_be_turned_off()
    {
        var run = Run("""
            [assembly: DurableLambdaEntryPoint(false)]

            [DurableWorkflow]
            public partial class Flow
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
            }
            """, OutputKind.ConsoleApplication);
        Assert.Empty(run.Ids);
        Assert.DoesNotContain("DurableLambdaEntryPoint", run.Generated["DurableWorkflows.g.cs"]);
    }

    [Theory]
    [InlineData("Func<int>", "int")]
    [InlineData("int", "Task<int>")]
    [InlineData("IDisposable", "int")]
    [InlineData("int", "Span<int>")]
    [InlineData("IDurableContext[]", "int")]
    public void DG1011_unsupported_workflow_types(string input, string output) => Expect($$"""
        [DurableWorkflow]
        public partial class Flow
        {
            public Task<{{output}}> RunAsync({{input}} input, IDurableContext context) => throw null!;
        }
        """, "DG1011@4");

    [Fact]
    public void DG1011_unsupported_callback_result() => Expect("""
        [Callback("approve", typeof(Action))]
        public partial class Approve;
        """, "DG1011@1");

    [Fact]
    public void DG1012_several_contexts_and_none_chosen() => Expect("""
        [DurableWorkflow]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }

        """ + StubContext("OneJson", "int") + StubContext("TwoJson", "int"), "DG1012@1");

    [Fact]
    public void DG1012_json_context_is_not_a_context() => Expect("""
        [DurableWorkflow(JsonContext = typeof(string))]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, "DG1012@1");

    [Fact]
    public void DG1013_no_way_to_create_the_workflow() => Expect("""
        [DurableWorkflow]
        public partial class Flow(string dependency)
        {
            public Task RunAsync(int input, IDurableContext context) => Task.FromResult(dependency);
        }
        """, "DG1013@2");

    [Fact]
    public void DG1006_a_plain_function_and_a_workflow_share_a_name() => Expect("""
        [DurableWorkflow(FunctionName = "orders")]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }

        [LambdaFunction(FunctionName = "orders")]
        public partial class Notifier
        {
            public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
        }
        """, "DG1006@7");

    [Fact]
    public void DG1007_deployment_settings_out_of_range() => Expect("""
        [LambdaFunction(FunctionTimeout = 901, MemorySize = 64, ReservedConcurrency = -1,
            Environment = new[] { "AWS_REGION=eu-west-1", "TABLE=a", "TABLE=b", "no-equals" }, Invokes = new[] { "not a name" })]
        public partial class Notifier
        {
            public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
        }
        """, "DG1007@1", "DG1007@1", "DG1007@1", "DG1007@1", "DG1007@1", "DG1007@1", "DG1007@1");

    [Fact]
    public void DG1007_a_description_longer_than_lambda_takes() => Expect($$"""
        [LambdaFunction(Description = "{{new string('x', 257)}}")]
        public partial class Notifier
        {
            public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
        }
        """, "DG1007@1");

    [Fact]
    public void DG1013_plain_function_without_a_way_to_create_it() => Expect("""
        [LambdaFunction]
        public partial class Notifier(string topic)
        {
            public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
        }
        """, "DG1013@2");

    [Fact]
    public void DG1016_no_handler() => Expect("""
        [LambdaFunction]
        public partial class Notifier
        {
            public void Handle(int input) { }
        }
        """, "DG1016@2");

    [Fact]
    public void DG1016_handler_with_the_wrong_shape() => Expect("""
        [LambdaFunction]
        public partial class Notifier
        {
            public Task HandleAsync(int input, ILambdaContext context, string extra) => Task.CompletedTask;
        }
        """, "DG1016@4");

    [Fact]
    public void DG1016_several_handlers() => Expect("""
        [LambdaFunction]
        public partial class Notifier
        {
            public Task OneAsync(int input, ILambdaContext context) => Task.CompletedTask;
            public Task TwoAsync(int input, ILambdaContext context) => Task.CompletedTask;
        }
        """, "DG1016@2");

    [Fact]
    public void DG1017_a_class_with_both_attributes_is_one_error_not_clashing_generated_members()
    {
        var run = Run("""
            [DurableWorkflow(FunctionName = "wf")]
            [LambdaFunction(FunctionName = "fn")]
            public partial class Both
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
                public Task HandleAsync(int input, ILambdaContext context) => Task.CompletedTask;
            }
            """);

        Assert.Equal(["DG1017@2"], run.Ids);
        Assert.Empty(run.Output.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
    }
}
