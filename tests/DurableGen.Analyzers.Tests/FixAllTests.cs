using System.Threading.Tasks;
using DurableGen.Analyzers.CodeFixes;
using Xunit;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// Fix All (document, project, solution) for every analyzer code fix: what <c>dotnet format analyzers</c> and the IDE's
/// "Fix all occurrences" run. Two occurrences in one document and one in another.
/// </summary>
public class FixAllTests
{
    [Fact]
    public Task Wrap_in_step_fixes_every_occurrence() =>
        FixAllVerifier<DeterminismAnalyzer, WrapInStepCodeFixProvider>.VerifyAsync(
        [
            """
            class W
            {
                public async Task<string> RunAsync(string input, IDurableContext context)
                {
                    var id = {|DG2002:Guid.NewGuid()|};
                    var now = {|DG2001:DateTime.UtcNow|};
                    return id.ToString() + now;
                }
            }
            """,
            """
            class V
            {
                public async Task<int> RunAsync(string input, IDurableContext context)
                {
                    return {|DG2001:DateTime.UtcNow|}.Hour;
                }
            }
            """,
        ],
        [
            """
            class W
            {
                public async Task<string> RunAsync(string input, IDurableContext context)
                {
                    var id = await context.StepAsync((_, _) => Task.FromResult(Guid.NewGuid()), "new-guid");
                    var now = await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now");
                    return id.ToString() + now;
                }
            }
            """,
            """
            class V
            {
                public async Task<int> RunAsync(string input, IDurableContext context)
                {
                    return (await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now")).Hour;
                }
            }
            """,
        ]);

    [Fact]
    public Task Delay_to_wait_fixes_every_occurrence() =>
        FixAllVerifier<DeterminismAnalyzer, DelayToWaitAsyncCodeFixProvider>.VerifyAsync(
        [
            """
            class W
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await {|DG2005:Task.Delay(TimeSpan.FromSeconds(1))|};
                    await {|DG2005:Task.Delay(500)|};
                }
            }
            """,
            """
            class V
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    {|DG2005:Thread.Sleep(100)|};
                }
            }
            """,
        ],
        [
            """
            class W
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    await context.WaitAsync(TimeSpan.FromMilliseconds(500));
                }
            }
            """,
            """
            class V
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromMilliseconds(100));
                }
            }
            """,
        ]);

    [Fact]
    public Task WhenAll_to_parallel_fixes_every_occurrence() =>
        FixAllVerifier<DurableStructureAnalyzer, WhenAllToParallelCodeFixProvider>.VerifyAsync(
        [
            """
            class W
            {
                public async Task<int> RunAsync(string input, IDurableContext context)
                {
                    await {|DG2012:Task.WhenAll(context.StepAsync((s, ct) => Task.FromResult(1), "a"), context.StepAsync((s, ct) => Task.FromResult(2), "b"))|};
                    var results = await {|DG2012:Task.WhenAll(context.StepAsync((s, ct) => Task.FromResult(3), "c"), context.StepAsync((s, ct) => Task.FromResult(4), "d"))|};
                    return results.Sum();
                }
            }
            """,
            """
            class V
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await {|DG2012:Task.WhenAll(context.StepAsync((s, ct) => Task.FromResult("x"), "x"), context.StepAsync((s, ct) => Task.FromResult("y"), "y"))|};
                }
            }
            """,
        ],
        [
            """
            class W
            {
                public async Task<int> RunAsync(string input, IDurableContext context)
                {
                    (await context.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<int>>[] { (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(1), "a"), (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(2), "b") })).ThrowIfError();
                    var results = (await context.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<int>>[] { (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(3), "c"), (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(4), "d") })).GetResults();
                    return results.Sum();
                }
            }
            """,
            """
            class V
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    (await context.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<string>>[] { (branch, _) => branch.StepAsync((s, ct) => Task.FromResult("x"), "x"), (branch, _) => branch.StepAsync((s, ct) => Task.FromResult("y"), "y") })).ThrowIfError();
                }
            }
            """,
        ]);

    [Fact]
    public Task Callback_hand_off_fixes_every_occurrence() =>
        FixAllVerifier<CallbackAnalyzer, CallbackHandOffCodeFixProvider>.VerifyAsync(
        [
            """
            public interface IApprover { Task AskAsync(string callbackId, string order); }

            class W(IApprover approver)
            {
                public async Task<bool> RunAsync(string order, IDurableContext context)
                {
                    var first = await context.CreateCallbackAsync<bool>("first", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                    await {|DG2020:approver.AskAsync(first.CallbackId, order)|};
                    var second = await context.CreateCallbackAsync<bool>("second", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                    await {|DG2020:approver.AskAsync(second.CallbackId, order)|};
                    return await first.GetResultAsync() && await second.GetResultAsync();
                }
            }
            """,
            """
            class V(IApprover approver)
            {
                public async Task<bool> RunAsync(string order, IDurableContext context)
                {
                    var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                    await {|DG2020:approver.AskAsync(callback.CallbackId, order)|};
                    return await callback.GetResultAsync();
                }
            }
            """,
        ],
        [
            """
            public interface IApprover { Task AskAsync(string callbackId, string order); }

            class W(IApprover approver)
            {
                public async Task<bool> RunAsync(string order, IDurableContext context)
                {
                    var first = await context.CreateCallbackAsync<bool>("first", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                    await context.StepAsync((_, _) => approver.AskAsync(first.CallbackId, order), "ask");
                    var second = await context.CreateCallbackAsync<bool>("second", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                    await context.StepAsync((_, _) => approver.AskAsync(second.CallbackId, order), "ask");
                    return await first.GetResultAsync() && await second.GetResultAsync();
                }
            }
            """,
            """
            class V(IApprover approver)
            {
                public async Task<bool> RunAsync(string order, IDurableContext context)
                {
                    var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                    await context.StepAsync((_, _) => approver.AskAsync(callback.CallbackId, order), "ask");
                    return await callback.GetResultAsync();
                }
            }
            """,
        ]);
}

/// <summary>
/// The DG2001/DG2002 wrap makes a step returning Guid/DateTime; the fix lists that type in the JsonSerializerContext so
/// the fixed code does not trade the determinism diagnostic for DG1009.
/// </summary>
public class WrapInStepSerializationTests
{
    private const string Context = """

        [System.Text.Json.Serialization.JsonSerializable(typeof(string))]
        public partial class AppJson : System.Text.Json.Serialization.JsonSerializerContext
        {
            public AppJson() : base(null) { }
            protected override System.Text.Json.JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override System.Text.Json.Serialization.Metadata.JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    private const string Before = """
        [DurableWorkflow]
        public partial class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                var id = {|DG2002:Guid.NewGuid()|};
                return id.ToString();
            }
        }
        """;

    private const string After = """
        [DurableWorkflow]
        public partial class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                var id = await context.StepAsync((_, _) => Task.FromResult(Guid.NewGuid()), "new-guid");
                return id.ToString();
            }
        }
        """;

    [Fact]
    public async Task Wrap_adds_the_step_result_to_the_context()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpCodeFixTest<DeterminismAnalyzer, WrapInStepCodeFixProvider, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            ReferenceAssemblies = TestReferences.Net100,
            NumberOfFixAllIterations = 1,
        };
        test.TestState.Sources.Add(("/0/Test0.cs", TestReferences.Usings + Before));
        test.TestState.Sources.Add(("/0/Json.cs", TestReferences.Usings + Context));
        test.FixedState.Sources.Add(("/0/Test0.cs", TestReferences.Usings + After));
        test.FixedState.Sources.Add(("/0/Json.cs", TestReferences.Usings + Context.Replace(
            "[System.Text.Json.Serialization.JsonSerializable(typeof(string))]\n",
            "[System.Text.Json.Serialization.JsonSerializable(typeof(string))]\n[System.Text.Json.Serialization.JsonSerializable(typeof(Guid))]\n")));
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.FixedState.AdditionalReferences.AddRange(TestReferences.All);
        await test.RunAsync(System.Threading.CancellationToken.None);
    }

    [Fact]
    public async Task Fixed_code_has_no_DG1009()
    {
        var fixedContext = Context.Replace("(typeof(string))]\n", "(typeof(string))]\n[System.Text.Json.Serialization.JsonSerializable(typeof(Guid))]\n");
        Xunit.Assert.NotEqual(Context, fixedContext);
        var before = await SerializationDiagnostics(After, Context);
        var after = await SerializationDiagnostics(After, fixedContext);
        // The unfixed context does raise DG1009, so its absence after the fix means something.
        Xunit.Assert.Contains(before, d => d.Id == "DG1009");
        Xunit.Assert.DoesNotContain(after, d => d.Id.StartsWith("DG10", System.StringComparison.Ordinal));
    }

    private static async Task<System.Collections.Immutable.ImmutableArray<Microsoft.CodeAnalysis.Diagnostic>> SerializationDiagnostics(string workflow, string context)
    {
        var compilation = Microsoft.CodeAnalysis.CSharp.CSharpCompilation.Create("User",
            [Microsoft.CodeAnalysis.CSharp.CSharpSyntaxTree.ParseText(TestReferences.Usings + workflow + context)],
            TestReferences.All,
            new Microsoft.CodeAnalysis.CSharp.CSharpCompilationOptions(Microsoft.CodeAnalysis.OutputKind.DynamicallyLinkedLibrary));
        return await Microsoft.CodeAnalysis.Diagnostics.DiagnosticAnalyzerExtensions.WithAnalyzers(compilation,
            [new DurableGen.Generators.SerializableTypesAnalyzer()]).GetAnalyzerDiagnosticsAsync();
    }
}
