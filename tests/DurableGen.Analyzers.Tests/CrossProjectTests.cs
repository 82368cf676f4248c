using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Xunit;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// Helpers in another project of the solution. The IDE references a project as a compilation, so its methods have
/// syntax in trees the workflow's compilation cannot bind (asking for their semantic model threw, AD0001: the
/// repository sweep found it); the command-line build references it as metadata. Both must see the helper as opaque
/// and report the same, including the false positive of a helper that does run the lambda in a step.
/// </summary>
public class CrossProjectTests
{
    [Fact]
    public Task A_lambda_given_to_a_helper_of_another_project_is_workflow_code() => VerifyAsync<DeterminismAnalyzer>(
        """
        public static class StepHelpers
        {
            public static Task<T> InStepAsync<T>(IDurableContext context, Func<CancellationToken, Task<T>> body) =>
                context.StepAsync((step, ct) => body(ct), "helper-step");
        }
        """,
        """
        class W
        {
            public Task<string> RunAsync(string input, IDurableContext context) =>
                StepHelpers.InStepAsync(context, ct => Task.FromResult({|#0:DateTime.UtcNow|}.ToString()));
        }
        """,
        new DiagnosticResult("DG2001", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0));

    [Fact]
    public Task A_callback_id_given_to_a_helper_of_another_project_is_handed_off() => VerifyAsync<CallbackAnalyzer>(
        """
        public static class Ids
        {
            public static string Describe(string id) => "callback " + id;
        }
        """,
        """
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                var text = {|#0:Ids.Describe(callback.CallbackId)|};
                return await callback.GetResultAsync() ? text : "";
            }
        }
        """,
        new DiagnosticResult("DG2020", Microsoft.CodeAnalysis.DiagnosticSeverity.Warning).WithLocation(0));

    private static async Task VerifyAsync<TAnalyzer>(string helperProject, string workflow, params DiagnosticResult[] expected)
        where TAnalyzer : DiagnosticAnalyzer, new()
    {
        var test = new CSharpAnalyzerTest<TAnalyzer, DefaultVerifier> { ReferenceAssemblies = TestReferences.Net100 };
        var helpers = new ProjectState("Helpers", Microsoft.CodeAnalysis.LanguageNames.CSharp, "/Helpers/Test", "cs")
        {
            ReferenceAssemblies = TestReferences.Net100,
        };
        helpers.Sources.Add(("/Helpers/Helpers.cs", TestReferences.Usings + helperProject));
        helpers.AdditionalReferences.AddRange(TestReferences.All);
        test.TestState.AdditionalProjects.Add("Helpers", helpers);
        test.TestState.AdditionalProjectReferences.Add("Helpers");
        test.TestState.Sources.Add(("/0/Test0.cs", TestReferences.Usings + workflow));
        test.TestState.AdditionalReferences.AddRange(TestReferences.All);
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync(CancellationToken.None);
    }
}
