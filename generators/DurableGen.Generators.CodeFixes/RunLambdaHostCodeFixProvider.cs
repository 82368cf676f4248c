using System.Collections.Immutable;
using System.Composition;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace DurableGen.Generators.CodeFixes;

/// <summary>
/// DG1018 on top-level statements: runs the Lambda host first when Lambda started the process, so the rest of the
/// program stays what it was for local runs (ending in <c>return 0;</c> when it returned nothing). A <c>static Main</c> is left to the developer (its signature may not allow
/// an await or an int), and so are top-level statements with a plain <c>return;</c>, which cannot sit next to
/// <c>return await …</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(RunLambdaHostCodeFixProvider)), Shared]
public sealed class RunLambdaHostCodeFixProvider : CodeFixProvider
{
    private const string Guard = """
        if (DurableLambdaHost.IsLambdaEnvironment)
        {
            return await DurableWorkflows.RunLambdaAsync();
        }
        """;

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("DG1018");

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root is not CompilationUnitSyntax unit)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var first = unit.Members.OfType<GlobalStatementSyntax>().FirstOrDefault();
            if (first is null || !first.Span.Contains(diagnostic.Location.SourceSpan) || HasPlainReturn(unit))
            {
                continue;
            }

            context.RegisterCodeFix(CodeAction.Create(
                "Run the Lambda host when Lambda starts the program",
                ct => AddGuardAsync(context.Document, unit, first, ct),
                equivalenceKey: "DG1018"), diagnostic);
        }
    }

    private static Task<Document> AddGuardAsync(Document document, CompilationUnitSyntax unit, GlobalStatementSyntax first,
        CancellationToken cancellationToken)
    {
        // A blank line between the guard and the program's own first statement, in the file's line endings.
        var eol = unit.ToFullString().Contains("\r\n") ? "\r\n" : "\n";
        var guard = SyntaxFactory.GlobalStatement(SyntaxFactory.ParseStatement(Guard.Replace("\r\n", "\n").TrimEnd()))
            .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol), SyntaxFactory.EndOfLine(eol))
            .WithAdditionalAnnotations(Formatter.Annotation);
        var updated = unit;

        // Once one path returns the host's exit code, every path must return one (CS0161): the program's own end
        // returns 0, as it did implicitly.
        if (!Returns(unit).Any(r => r.Expression is not null))
        {
            var last = unit.Members.OfType<GlobalStatementSyntax>().Last();
            var end = SyntaxFactory.GlobalStatement(SyntaxFactory.ParseStatement("return 0;"))
                .WithTrailingTrivia(SyntaxFactory.EndOfLine(eol))
                .WithAdditionalAnnotations(Formatter.Annotation);
            updated = updated.InsertNodesAfter(last, [end]);
            first = updated.Members.OfType<GlobalStatementSyntax>().First();
        }

        updated = updated.InsertNodesBefore(first, [guard]);
        foreach (var name in new[] { "DurableGen", "DurableGen.Generated" })
        {
            if (!updated.Usings.Any(u => u.Alias is null && u.StaticKeyword.IsKind(SyntaxKind.None) && u.Name?.ToString() == name))
            {
                updated = updated.AddUsings(SyntaxFactory.UsingDirective(SyntaxFactory.ParseName(name))
                    .WithAdditionalAnnotations(Formatter.Annotation));
            }
        }

        cancellationToken.ThrowIfCancellationRequested();
        return Task.FromResult(document.WithSyntaxRoot(updated));
    }

    /// <summary>Whether the top-level statements themselves (not a lambda or local function in them) have a <c>return;</c>.</summary>
    private static bool HasPlainReturn(CompilationUnitSyntax unit) => Returns(unit).Any(r => r.Expression is null);

    /// <summary>The return statements of the top-level statements themselves.</summary>
    private static System.Collections.Generic.IEnumerable<ReturnStatementSyntax> Returns(CompilationUnitSyntax unit) =>
        unit.Members.OfType<GlobalStatementSyntax>()
            .SelectMany(s => s.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            .OfType<ReturnStatementSyntax>();
}
