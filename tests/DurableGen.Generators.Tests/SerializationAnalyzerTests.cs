using Microsoft.CodeAnalysis;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Generators.CodeFixes;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Testing;
using Xunit;
using static DurableGen.Generators.Tests.GeneratorHarness;

namespace DurableGen.Generators.Tests;

/// <summary>DG1009 (type missing from the context, with its code fix) and DG1010 (no context under AOT/trimming).</summary>
public sealed class SerializationAnalyzerTests
{
    private static readonly ReferenceAssemblies Net100 = new("net10.0");

    private const string Models = """
        public sealed record Order(string Id, Address Ship);
        public sealed record Address(string City);
        public sealed record Receipt(string Id);
        public sealed record Decision(bool Approved);

        """;

    private static async Task VerifyAsync(string source, string? globalConfig, params DiagnosticResult[] expected)
    {
        var test = new CSharpAnalyzerTest<SerializableTypesAnalyzer, DefaultVerifier> { ReferenceAssemblies = Net100 };
        test.TestState.Sources.Add(("/0/Test0.cs", Usings + source));
        test.TestState.AdditionalReferences.AddRange(References);
        if (globalConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\n" + globalConfig));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }

    private static DiagnosticResult Missing(int markup) =>
        CSharpAnalyzerVerifier<SerializableTypesAnalyzer, DefaultVerifier>.Diagnostic("DG1009").WithLocation(markup);

    [Fact]
    public Task Everything_in_the_context_reports_nothing() => VerifyAsync(Models + """
        [DurableWorkflow]
        public partial class Flow
        {
            public async Task<Receipt> RunAsync(Order order, IDurableContext context)
            {
                var city = await context.StepAsync((_, _) => Task.FromResult(order.Ship.City), "city");
                var decision = await context.WaitForCallbackAsync<Decision>((id, _, _) => Task.CompletedTask, "approve");
                await context.StepAsync((_, _) => Task.CompletedTask, "void step");
                return new Receipt(city);
            }
        }

        """ + StubContext("AppJson", "Order", "Receipt", "Decision"), null);

    [Fact]
    public Task Missing_step_callback_invoke_map_and_condition_types_are_reported() => VerifyAsync(Models + """
        [DurableWorkflow]
        public partial class Flow
        {
            public async Task<Receipt> RunAsync(Order order, IDurableContext context)
            {
                var n = await context.{|#0:StepAsync|}((_, _) => Task.FromResult(42), "n");
                var d = await context.{|#1:WaitForCallbackAsync<Decision>|}((id, _, _) => Task.CompletedTask, "approve");
                var r = await context.{|#2:InvokeAsync<Address, long>|}("other", order.Ship);
                var m = await context.{|#3:MapAsync|}(new[] { 1.5 }, (c, item, i, all, ct) => Task.FromResult(item), "map");
                var s = await context.{|#4:WaitForConditionAsync|}((state, _, _) => Task.FromResult(state),
                    new WaitForConditionConfig<System.Guid> { InitialState = default, WaitStrategy = WaitStrategy.Fixed<System.Guid>(TimeSpan.FromSeconds(1)) });
                return new Receipt(order.Id);
            }
        }

        """ + StubContext("AppJson", "Order", "Receipt"), null,
        Missing(0).WithArguments("int", "step result", "AppJson"),
        Missing(1).WithArguments("Decision", "callback result", "AppJson"),
        Missing(2).WithArguments("long", "invoke result", "AppJson"),
        Missing(3).WithArguments("double", "map item", "AppJson"),
        Missing(3).WithArguments("double", "map result", "AppJson"),
        Missing(4).WithArguments("Guid", "condition state", "AppJson"));

    [Fact]
    public Task Missing_workflow_input_output_and_callback_result_are_reported() => VerifyAsync(Models + """
        [DurableWorkflow]
        public partial class Flow
        {
            public Task<Receipt> {|#1:RunAsync|}(Order {|#0:order|}, IDurableContext context) => throw null!;
        }

        [{|#2:Callback("approve", typeof(Decision))|}]
        public static partial class Approve;

        """ + StubContext("AppJson", "string"), null,
        Missing(0).WithArguments("Order", "workflow input", "AppJson"),
        Missing(1).WithArguments("Receipt", "workflow result", "AppJson"),
        Missing(2).WithArguments("Decision", "callback result", "AppJson"));

    [Fact]
    public Task Missing_plain_function_event_and_result_are_reported() => VerifyAsync(Models + """
        [LambdaFunction]
        public partial class Notifier
        {
            public Task<Receipt> {|#1:HandleAsync|}(Order {|#0:order|}, ILambdaContext context, CancellationToken cancellationToken) => throw null!;
        }

        """ + StubContext("AppJson", "string"), null,
        Missing(0).WithArguments("Order", "function input", "AppJson"),
        Missing(1).WithArguments("Receipt", "function result", "AppJson"));

    [Fact]
    public Task Explicit_context_on_the_workflow_is_the_one_checked() => VerifyAsync(Models + """
        [DurableWorkflow(JsonContext = typeof(TwoJson))]
        public partial class Flow
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.{|#0:StepAsync|}((_, _) => Task.FromResult(1), "n");
            }
        }

        """ + StubContext("OneJson", "int") + StubContext("TwoJson", "string"), null,
        Missing(0).WithArguments("int", "step result", "TwoJson"));

    [Fact]
    public Task No_context_is_silent_for_a_regular_build() => VerifyAsync("""
        [DurableWorkflow]
        public partial class Flow
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, null);

    [Theory]
    [InlineData("build_property.PublishAot = true")]
    [InlineData("build_property.EnableTrimAnalyzer = true")]
    [InlineData("build_property.EnableAotAnalyzer = true")]
    public Task DG1010_no_context_when_publishing_aot_or_trimmed(string config) => VerifyAsync("""
        [DurableWorkflow]
        public partial class {|#0:Flow|}
        {
            public Task RunAsync(int input, IDurableContext context) => Task.CompletedTask;
        }
        """, config,
        CSharpAnalyzerVerifier<SerializableTypesAnalyzer, DefaultVerifier>.Diagnostic("DG1010").WithLocation(0).WithArguments("Flow"));

    [Fact]
    public async Task Code_fix_adds_the_missing_JsonSerializable_entry()
    {
        const string before = """
            public sealed record Decision(bool Approved);

            [DurableWorkflow]
            public partial class Flow
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.{|#0:StepAsync|}((_, _) => Task.FromResult(new Decision(true)), "decide");
                }
            }

            [JsonSerializable(typeof(string))]
            public partial class AppJson : JsonSerializerContext
            {
                public AppJson() : base(null) { }
                public static AppJson Default { get; } = new();
                protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override JsonTypeInfo? GetTypeInfo(Type type) => null;
            }
            """;
        const string after = """
            public sealed record Decision(bool Approved);

            [DurableWorkflow]
            public partial class Flow
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.StepAsync((_, _) => Task.FromResult(new Decision(true)), "decide");
                }
            }

            [JsonSerializable(typeof(string))]
            [JsonSerializable(typeof(Decision))]
            public partial class AppJson : JsonSerializerContext
            {
                public AppJson() : base(null) { }
                public static AppJson Default { get; } = new();
                protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
                public override JsonTypeInfo? GetTypeInfo(Type type) => null;
            }
            """;
        var test = new CSharpCodeFixTest<SerializableTypesAnalyzer, AddJsonSerializableCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = Net100,
            TestCode = Usings + before,
            FixedCode = Usings + after,
        };
        test.TestState.AdditionalReferences.AddRange(References);
        test.FixedState.AdditionalReferences.AddRange(References);
        test.ExpectedDiagnostics.Add(Missing(0).WithArguments("Decision", "step result", "AppJson"));
        test.CodeFixTestBehaviors |= CodeFixTestBehaviors.SkipFixAllCheck;
        await test.RunAsync(CancellationToken.None);
    }

    private const string Context = """
        public partial class AppJson : JsonSerializerContext
        {
            public AppJson() : base(null) { }
            public static AppJson Default { get; } = new();
            protected override JsonSerializerOptions? GeneratedSerializerOptions => null;
            public override JsonTypeInfo? GetTypeInfo(Type type) => null;
        }
        """;

    /// <summary>
    /// Fix All in every scope: three missing types from two documents land on the one context class in a third, in one
    /// pass (the batch fixer would drop all but one of these same-class edits as conflicts).
    /// </summary>
    [Fact]
    public async Task Fix_all_adds_every_missing_type_to_the_one_context()
    {
        const string first = """
            public sealed record Decision(bool Approved);

            [DurableWorkflow]
            public partial class Flow
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.{|#0:StepAsync|}((_, _) => Task.FromResult(new Decision(true)), "decide");
                    await context.{|#1:StepAsync|}((_, _) => Task.FromResult(42), "n");
                }
            }
            """;
        const string second = """
            [DurableWorkflow]
            public partial class Other
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.{|#2:StepAsync|}((_, _) => Task.FromResult(4.2), "d");
                }
            }
            """;
        // The testing library silently skips its Fix All passes for a provider without one, so ask first.
        var provider = new AddJsonSerializableCodeFixProvider().GetFixAllProvider();
        Assert.NotNull(provider);
        Assert.Equal([FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution], provider.GetSupportedFixAllScopes());
        var test = new CSharpCodeFixTest<SerializableTypesAnalyzer, AddJsonSerializableCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = Net100,
            NumberOfFixAllIterations = 1,
            NumberOfFixAllInDocumentIterations = 2,
            NumberOfFixAllInProjectIterations = 1,
            NumberOfIncrementalIterations = 3,
        };
        test.TestState.Sources.Add(("/0/A.cs", Usings + first));
        test.TestState.Sources.Add(("/0/B.cs", Usings + second));
        test.TestState.Sources.Add(("/0/Json.cs", Usings + "[JsonSerializable(typeof(string))]\n" + Context));
        test.FixedState.Sources.Add(("/0/A.cs", Usings + first.Replace("{|#0:", "").Replace("{|#1:", "").Replace("|}", "")));
        test.FixedState.Sources.Add(("/0/B.cs", Usings + second.Replace("{|#2:", "").Replace("|}", "")));
        test.FixedState.Sources.Add(("/0/Json.cs", Usings + """
            [JsonSerializable(typeof(string))]
            [JsonSerializable(typeof(Decision))]
            [JsonSerializable(typeof(int))]
            [JsonSerializable(typeof(double))]

            """ + Context));
        test.TestState.AdditionalReferences.AddRange(References);
        test.FixedState.AdditionalReferences.AddRange(References);
        test.ExpectedDiagnostics.Add(Missing(0).WithArguments("Decision", "step result", "AppJson"));
        test.ExpectedDiagnostics.Add(Missing(1).WithArguments("int", "step result", "AppJson"));
        test.ExpectedDiagnostics.Add(Missing(2).WithArguments("double", "step result", "AppJson"));
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>DG1009 is a warning for a JIT build and DG1019, an error, when the project publishes Native AOT.</summary>
    [Theory]
    [InlineData(null, "DG1009")]
    [InlineData("build_property.PublishAot = false", "DG1009")]
    [InlineData("build_property.PublishAot = true", "DG1019")]
    [InlineData("build_property.PublishAot = True", "DG1019")]
    public Task Missing_type_is_an_error_under_PublishAot(string? config, string id) => VerifyAsync(Models + """
        [DurableWorkflow]
        public partial class Flow
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.{|#0:StepAsync|}((_, _) => Task.FromResult(1), "n");
            }
        }

        """ + StubContext("AppJson", "string"), config,
        CSharpAnalyzerVerifier<SerializableTypesAnalyzer, DefaultVerifier>.Diagnostic(id)
            .WithSeverity(id == "DG1019" ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning)
            .WithLocation(0).WithArguments("int", "step result", "AppJson"));

    [Fact]
    public async Task Code_fix_adds_the_missing_entry_under_PublishAot()
    {
        const string before = """
            [DurableWorkflow]
            public partial class Flow
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.{|#0:StepAsync|}((_, _) => Task.FromResult(1), "n");
                }
            }

            """;
        var test = new CSharpCodeFixTest<SerializableTypesAnalyzer, AddJsonSerializableCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = Net100,
            TestCode = Usings + before + StubContext("AppJson", "string"),
            FixedCode = Usings + before.Replace("{|#0:", "").Replace("|}", "") + StubContext("AppJson", "string", "int"),
        };
        test.TestState.AnalyzerConfigFiles.Add(("/.globalconfig", "is_global = true\nbuild_property.PublishAot = true\n"));
        test.TestState.AdditionalReferences.AddRange(References);
        test.FixedState.AdditionalReferences.AddRange(References);
        test.ExpectedDiagnostics.Add(CSharpAnalyzerVerifier<SerializableTypesAnalyzer, DefaultVerifier>.Diagnostic("DG1019")
            .WithLocation(0).WithArguments("int", "step result", "AppJson"));
        await test.RunAsync(CancellationToken.None);
    }

    /// <summary>
    /// Handles are not data: DG1020 names why and says what to return instead, even when the type was already put in the
    /// context; DG1009 (and so its add-to-context fix) is not reported for them.
    /// </summary>
    [Fact]
    public Task Handles_are_reported_as_not_data() => VerifyAsync(Models + """
        [DurableWorkflow]
        public partial class Flow(System.Net.Http.HttpClient http)
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                var r = await context.{|#0:StepAsync|}((_, ct) => http.GetAsync(input, ct), "get");
                var s = await context.{|#1:StepAsync|}((_, ct) => http.GetStreamAsync(input, ct), "stream");
                var t = await context.{|#2:StepAsync|}((_, ct) => Task.FromResult(ct), "token");
                var c = await context.{|#3:StepAsync|}((_, _) => Task.FromResult(new System.Net.Http.StringContent(input)), "content");
                var d = await context.{|#4:StepAsync|}((_, _) => Task.FromResult(new System.Threading.Timer(_ => { })), "timer");
                var ok = await context.StepAsync(async (_, ct) => (int)(await http.GetAsync(input, ct)).StatusCode, "status");
            }
        }

        """ + StubContext("AppJson", "string", "int", "System.Net.Http.HttpResponseMessage"), null,
        NotData(0, "HttpResponseMessage", "an HTTP message holds a connection and an unread content stream"),
        NotData(1, "Stream", "a stream is a handle to bytes, not the bytes"),
        NotData(2, "CancellationToken", "a cancellation token belongs to the invocation that created it"),
        NotData(3, "StringContent", "an HTTP message holds a connection and an unread content stream"),
        NotData(4, "Timer", "it holds a resource to dispose (IDisposable), which does not survive serialization"));

    [Fact]
    public void Not_data_has_no_add_to_context_fix() =>
        Assert.DoesNotContain("DG1020", new AddJsonSerializableCodeFixProvider().FixableDiagnosticIds);

    private static DiagnosticResult NotData(int markup, string type, string reason) =>
        CSharpAnalyzerVerifier<SerializableTypesAnalyzer, DefaultVerifier>.Diagnostic("DG1020").WithLocation(markup)
            .WithArguments(type, "step result", reason);
}
