using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Generators.CodeFixes;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static DurableGen.Generators.Tests.GeneratorHarness;

namespace DurableGen.Generators.Tests;

/// <summary>DG1018: an executable's own entry point that never runs the Lambda host (the dotnet new console trap).</summary>
public sealed class EntryPointAnalyzerTests
{
    private static readonly ReferenceAssemblies Net100 = new("net10.0");

    private const string Greeter = Usings + """
        [DurableWorkflow(FunctionName = "greeter")]
        public sealed partial class Greeter
        {
            public Task<string> RunAsync(string name, IDurableContext context) => Task.FromResult("Hello, " + name);
        }

        """;

    private const string Approver = """
        [LambdaFunction]
        public sealed partial class Approver
        {
            public Task HandleAsync(string request, ILambdaContext context) => Task.CompletedTask;
        }

        """;

    /// <summary>What the generator emits for the host, written by hand: the analyzer tests run without the generator.</summary>
    private const string GeneratedHost = """
        namespace DurableGen.Generated
        {
            internal static class DurableWorkflows
            {
                public static System.Threading.Tasks.Task<int> RunLambdaAsync() => System.Threading.Tasks.Task.FromResult(0);
            }
        }

        """;

    private static DiagnosticResult HostNeverRun(int markup) =>
        CSharpAnalyzerVerifier<EntryPointAnalyzer, DefaultVerifier>.Diagnostic("DG1018").WithLocation(markup);

    private static async Task VerifyAsync(string program, string functions, OutputKind kind, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<EntryPointAnalyzer, DefaultVerifier> { ReferenceAssemblies = Net100 };
        test.TestState.Sources.Add(("/0/Program.cs", program));
        test.TestState.Sources.Add(("/0/Functions.cs", functions));
        test.TestState.Sources.Add(("/0/Host.g.cs", GeneratedHost));
        test.TestState.OutputKind = kind;
        test.TestState.AdditionalReferences.AddRange(References);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public Task The_dotnet_new_console_program_is_reported() => VerifyAsync("""
        // See https://aka.ms/new-console-template for more information
        {|#0:System.Console.WriteLine("Hello, World!");|}

        """, Greeter, OutputKind.ConsoleApplication,
        HostNeverRun(0).WithArguments("its top-level statements", "the function 'Greeter'"));

    [Fact]
    public Task A_static_Main_is_reported_with_every_function_it_leaves_unserved() => VerifyAsync("""
        public static class Program
        {
            public static int {|#0:Main|}(string[] args) => 0;
        }

        """, Greeter + Approver, OutputKind.ConsoleApplication,
        HostNeverRun(0).WithArguments("Program.Main", "the functions 'Approver', 'Greeter'"));

    [Fact]
    public Task DurableLambdaEntryPoint_false_does_not_excuse_a_Main_that_never_runs_the_host() => VerifyAsync("""
        [assembly: DurableGen.DurableLambdaEntryPoint(false)]

        public static class Program
        {
            public static void {|#0:Main|}() { }
        }

        """, Greeter, OutputKind.ConsoleApplication,
        HostNeverRun(0).WithArguments("Program.Main", "the function 'Greeter'"));

    [Fact]
    public Task Top_level_statements_that_run_the_generated_host_are_fine() => VerifyAsync("""
        using DurableGen;

        if (DurableLambdaHost.IsLambdaEnvironment)
        {
            return await DurableGen.Generated.DurableWorkflows.RunLambdaAsync();
        }

        System.Console.WriteLine("local run");
        return 0;

        """, Greeter, OutputKind.ConsoleApplication);

    [Fact]
    public Task A_Main_that_runs_the_host_through_a_helper_is_fine() => VerifyAsync("""
        public static class Program
        {
            public static System.Threading.Tasks.Task<int> Main() => Startup.HostAsync();
        }

        internal static class Startup
        {
            // DurableLambdaHost.RunAsync directly, as a method group.
            public static System.Threading.Tasks.Task<int> HostAsync() =>
                Run(DurableGen.DurableLambdaHost.RunAsync);

            private static System.Threading.Tasks.Task<int> Run(
                System.Func<System.Collections.Generic.IReadOnlyList<DurableGen.DurableWorkflowRegistration>,
                    System.Collections.Generic.IReadOnlyList<DurableGen.LambdaFunctionRegistration>,
                    DurableGen.DurableLambdaHostOptions?, System.Threading.CancellationToken,
                    System.Threading.Tasks.Task<int>> host) =>
                host([], [], null, default);
        }

        """, Greeter, OutputKind.ConsoleApplication);

    [Fact]
    public Task A_library_and_an_executable_without_functions_are_not_reported() => Task.WhenAll(
        VerifyAsync("""
            public static class Program
            {
                public static void Main() { }
            }

            """, Greeter, OutputKind.DynamicallyLinkedLibrary),
        VerifyAsync("""
            System.Console.WriteLine("Hello, World!");

            """, Usings + "public sealed class NotAFunction;\n", OutputKind.ConsoleApplication));

    [Fact]
    public Task The_test_SDK_generated_program_is_not_the_users() => VerifyAsync("""
        // <auto-generated> This file has been auto generated. </auto-generated>
        class AutoGeneratedProgram { static void Main(string[] args) { } }

        """, Greeter, OutputKind.ConsoleApplication);

    [Fact]
    public Task The_entry_point_the_generator_writes_is_not_reported()
    {
        // A project without Main: the generator's DurableLambdaEntryPoint.Main is the entry point and runs the host.
        var run = Run("""
            [DurableWorkflow]
            public partial class Flow
            {
                public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
            }
            """, OutputKind.ConsoleApplication);
        Assert.NotNull(run.Output.GetEntryPoint(CancellationToken.None));
        return AssertNoDiagnosticsAsync(run.Output);
    }

    [Fact]
    public async Task The_generator_and_the_analyzer_agree_on_a_user_Main()
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
        var diagnostics = await run.Output.WithAnalyzers([new EntryPointAnalyzer()])
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Equal("DG1018", Assert.Single(diagnostics).Id);
    }

    [Fact]
    public async Task The_code_fix_runs_the_host_first_in_top_level_statements()
    {
        var test = new CSharpCodeFixTest<EntryPointAnalyzer, RunLambdaHostCodeFixProvider, DefaultVerifier> { ReferenceAssemblies = Net100 };
        test.TestState.Sources.Add(("/0/Program.cs", """
            // See https://aka.ms/new-console-template for more information
            {|#0:System.Console.WriteLine("Hello, World!");|}

            """));
        test.FixedState.Sources.Add(("/0/Program.cs", """
            using DurableGen;
            using DurableGen.Generated;

            if (DurableLambdaHost.IsLambdaEnvironment)
            {
                return await DurableWorkflows.RunLambdaAsync();
            }

            // See https://aka.ms/new-console-template for more information
            System.Console.WriteLine("Hello, World!");
            return 0;

            """));
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.Sources.Add(("/0/Functions.cs", Greeter));
            state.Sources.Add(("/0/Host.g.cs", GeneratedHost));
            state.OutputKind = OutputKind.ConsoleApplication;
            state.AdditionalReferences.AddRange(References);
        }

        test.ExpectedDiagnostics.Add(HostNeverRun(0).WithArguments("its top-level statements", "the function 'Greeter'"));

        // DG1018 is a compilation-end diagnostic (whether the host runs is known once all code is seen), so the IDE
        // offers the fix where the diagnostic was computed already: after a build, or with full solution analysis.
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllCheck | CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task Fix_all_in_solution_runs_the_host_in_every_project()
    {
        // The testing library silently skips its Fix All passes for a provider without one, so ask first.
        var provider = new RunLambdaHostCodeFixProvider().GetFixAllProvider();
        Assert.NotNull(provider);
        Assert.Subset(provider.GetSupportedFixAllScopes().ToHashSet(),
            new[] { FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution }.ToHashSet());

        const string before = """
            {|#0:System.Console.WriteLine("Hello, World!");|}

            """;
        const string after = """
            using DurableGen;
            using DurableGen.Generated;

            if (DurableLambdaHost.IsLambdaEnvironment)
            {
                return await DurableWorkflows.RunLambdaAsync();
            }

            System.Console.WriteLine("Hello, World!");
            return 0;

            """;
        var test = new CSharpCodeFixTest<EntryPointAnalyzer, RunLambdaHostCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = Net100,
            // Solution scope fixes both projects in one pass; document and project scope need one pass per project.
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInProjectIterations = 2,
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfIncrementalIterations = 2,
        };
        foreach (var (state, program) in new[] { (test.TestState, before), (test.FixedState, after) })
        {
            state.Sources.Add(("/0/Program.cs", program));
            state.Sources.Add(("/0/Functions.cs", Greeter));
            state.Sources.Add(("/0/Host.g.cs", GeneratedHost));
            state.OutputKind = OutputKind.ConsoleApplication;
            state.AdditionalReferences.AddRange(References);
            var second = state.AdditionalProjects["Second"];
            second.Sources.Add(("/Second/Program.cs", program.Replace("#0", "#1", System.StringComparison.Ordinal)));
            second.Sources.Add(("/Second/Functions.cs", Greeter));
            second.Sources.Add(("/Second/Host.g.cs", GeneratedHost));
            second.OutputKind = OutputKind.ConsoleApplication;
            second.AdditionalReferences.AddRange(References);
        }

        test.ExpectedDiagnostics.Add(HostNeverRun(0).WithArguments("its top-level statements", "the function 'Greeter'"));
        test.ExpectedDiagnostics.Add(HostNeverRun(1).WithArguments("its top-level statements", "the function 'Greeter'"));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        await test.RunAsync(CancellationToken.None);
    }

    [Fact]
    public async Task No_code_fix_where_a_plain_return_would_clash_with_the_hosts_return_value()
    {
        const string program = """
            {|#0:if (args.Length == 0)
            {
                return;
            }|}

            System.Console.WriteLine(args[0]);

            """;
        var test = new CSharpCodeFixTest<EntryPointAnalyzer, RunLambdaHostCodeFixProvider, DefaultVerifier> { ReferenceAssemblies = Net100 };
        foreach (var state in new[] { test.TestState, test.FixedState })
        {
            state.Sources.Add(("/0/Program.cs", program));
            state.Sources.Add(("/0/Functions.cs", Greeter));
            state.Sources.Add(("/0/Host.g.cs", GeneratedHost));
            state.OutputKind = OutputKind.ConsoleApplication;
            state.AdditionalReferences.AddRange(References);
            state.ExpectedDiagnostics.Add(HostNeverRun(0).WithArguments("its top-level statements", "the function 'Greeter'"));
        }

        test.FixedState.InheritanceMode = StateInheritanceMode.Explicit;
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipLocalDiagnosticCheck;
        test.FixedState.MarkupHandling = MarkupMode.Allow;
        await test.RunAsync(CancellationToken.None);
    }

    private static async Task AssertNoDiagnosticsAsync(Compilation compilation)
    {
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new EntryPointAnalyzer()))
            .GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Empty(diagnostics);
    }
}
