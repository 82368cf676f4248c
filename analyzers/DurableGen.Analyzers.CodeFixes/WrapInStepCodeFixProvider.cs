using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace DurableGen.Analyzers.CodeFixes;

/// <summary>
/// DG2001–DG2004: moves the non-deterministic expression (or the call into the helper that reaches it) into
/// <c>StepAsync</c>. Every new step shifts the positional ids of the operations after it, so executions already in flight
/// no longer replay: applying the fix is a versioning decision, whether for one occurrence or, through Fix All (each wrap is
/// an independent edit of one expression, so the batch fixer merges them), for a whole project.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WrapInStepCodeFixProvider)), Shared]
public sealed class WrapInStepCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create("DG2001", "DG2002", "DG2003", "DG2004");

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    /// <summary>The wrap, plus the step's result type in the JsonSerializerContext when it is missing there (else DG1009 follows).</summary>
    private static async Task<Solution> WrapAsync(Document document, ExpressionSyntax expression, string stepName,
        (string Context, string Type)? missing, System.Threading.CancellationToken cancellationToken)
    {
        var wrapped = await FixHelpers.WrapInStepAsync(document, expression, stepName, cancellationToken).ConfigureAwait(false) ?? document;
        return missing is { } entry
            ? await DurableGen.Generators.CodeFixes.JsonSerializableEntries.AddAsync(wrapped.Project, entry.Context, [entry.Type], cancellationToken)
                .ConfigureAwait(false)
            : wrapped.Project.Solution;
    }

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not ExpressionSyntax expression)
        {
            return;
        }

        var stepName = FixHelpers.StepName(expression);
        var document = context.Document;
        var probe = await FixHelpers.WrapInStepAsync(document, expression, stepName, context.CancellationToken).ConfigureAwait(false);
        if (probe is null)
        {
            return;
        }

        var model = await document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        var missing = model is null ? null : StepResultContext.Missing(expression, model, context.CancellationToken);
        foreach (var diagnostic in context.Diagnostics)
        {
            context.RegisterCodeFix(CodeAction.Create(
                    $"Run '{expression}' in a step",
                    c => WrapAsync(document, expression, stepName, missing, c),
                    equivalenceKey: "WrapInStep"),
                diagnostic);
        }
    }
}
