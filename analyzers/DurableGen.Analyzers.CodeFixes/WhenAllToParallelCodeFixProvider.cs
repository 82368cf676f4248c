using System.Collections.Generic;
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

namespace DurableGen.Analyzers.CodeFixes;

/// <summary>
/// DG2012: <c>await Task.WhenAll(ctx.StepAsync(a), ctx.StepAsync(b))</c> → <c>ctx.ParallelAsync</c> with one branch
/// per operation, each running on its branch context. Offered when every argument is a durable operation on the same
/// context with the same result type. As a statement, the batch's failures are rethrown with ThrowIfError (as WhenAll
/// did); as a value, the fix yields GetResults(). Each rewrite touches one awaited WhenAll, so Fix All batches them (the
/// parallel operation changes the ids of its branches: executions in flight need a new version).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WhenAllToParallelCodeFixProvider)), Shared]
public sealed class WhenAllToParallelCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("DG2012");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation
            || model is null || invocation.Parent is not AwaitExpressionSyntax awaited)
        {
            return;
        }

        var rewrite = Build(invocation, awaited, model, context.CancellationToken);
        if (rewrite is null)
        {
            return;
        }

        var (target, replacement) = rewrite.Value;
        var document = context.Document;
        context.RegisterCodeFix(CodeAction.Create("Use ParallelAsync",
            _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(target,
                FixHelpers.Annotate(replacement.WithTriviaFrom(target))))),
            equivalenceKey: "WhenAllToParallel"), context.Diagnostics[0]);
    }

    private static (SyntaxNode Target, SyntaxNode Replacement)? Build(InvocationExpressionSyntax invocation,
        AwaitExpressionSyntax awaited, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Name: "WhenAll" })
        {
            return null;
        }

        ISymbol? contextSymbol = null;
        ITypeSymbol? resultType = null;
        var branches = new List<string>();
        foreach (var argument in invocation.ArgumentList.Arguments)
        {
            if (argument.Expression is not InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver } member,
                } operation
                || model.GetSymbolInfo(operation, cancellationToken).Symbol is not IMethodSymbol method
                || method.ContainingType.ToDisplayString() != "DurableGen.IDurableContext"
                || method.ReturnType is not INamedTypeSymbol { TypeArguments.Length: 1 } task)
            {
                return null;
            }

            var symbol = model.GetSymbolInfo(receiver, cancellationToken).Symbol;
            if (symbol is null || (contextSymbol is not null && !SymbolEqualityComparer.Default.Equals(symbol, contextSymbol))
                || (resultType is not null && !SymbolEqualityComparer.Default.Equals(task.TypeArguments[0], resultType)))
            {
                return null;
            }

            contextSymbol = symbol;
            resultType = task.TypeArguments[0];
            var onBranch = operation.ReplaceNode(receiver, SyntaxFactory.IdentifierName("branch").WithTriviaFrom(receiver));
            branches.Add($"(branch, _) => {onBranch.WithoutTrivia()}");
        }

        if (contextSymbol is null || resultType is null || branches.Count == 0)
        {
            return null;
        }

        var type = resultType.ToMinimalDisplayString(model, invocation.SpanStart);
        var at = invocation.SpanStart;
        var parallel = $"{contextSymbol.Name}.ParallelAsync(new {FixHelpers.TypeName(model, at, "System", "Func")}<" +
                       $"{FixHelpers.TypeName(model, at, "DurableGen", "IDurableContext")}, " +
                       $"{FixHelpers.TypeName(model, at, "System.Threading", "CancellationToken")}, " +
                       $"{FixHelpers.TypeName(model, at, "System.Threading.Tasks", "Task")}<{type}>>[] {{ " +
                       string.Join(", ", branches) + " })";
        if (awaited.Parent is ExpressionStatementSyntax statement)
        {
            return (statement, SyntaxFactory.ParseStatement($"(await {parallel}).ThrowIfError();"));
        }

        return (awaited, SyntaxFactory.ParseExpression($"(await {parallel}).GetResults()"));
    }
}
