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
/// DG2005: <c>Task.Delay(d)</c> → <c>context.WaitAsync(d)</c>, <c>Thread.Sleep(d);</c> → <c>await context.WaitAsync(d);</c>.
/// A millisecond count becomes <c>TimeSpan.FromMilliseconds</c>; a cancellation token is passed on. Each replacement is an
/// independent edit of one call, so Fix All batches them (a durable wait adds an operation: later positional ids shift,
/// so executions already in flight need a new version either way).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(DelayToWaitAsyncCodeFixProvider)), Shared]
public sealed class DelayToWaitAsyncCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("DG2005");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var diagnostic = context.Diagnostics[0];
        if (diagnostic.Properties.ContainsKey("Transitive"))
        {
            return;
        }

        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation || model is null)
        {
            return;
        }

        var replacement = Build(invocation, model, context.CancellationToken);
        if (replacement is null)
        {
            return;
        }

        var document = context.Document;
        context.RegisterCodeFix(CodeAction.Create("Use a durable WaitAsync",
            _ => Task.FromResult(document.WithSyntaxRoot(root.ReplaceNode(invocation,
                FixHelpers.Annotate(replacement.WithTriviaFrom(invocation))))),
            equivalenceKey: "DelayToWaitAsync"), diagnostic);
    }

    private static ExpressionSyntax? Build(InvocationExpressionSyntax invocation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        var (contextName, innermostAsync) = FixHelpers.FindContext(invocation, model, cancellationToken);
        if (contextName is null)
        {
            return null;
        }

        var isSleep = method.Name == "Sleep";
        if (isSleep && (!innermostAsync || invocation.Parent is not ExpressionStatementSyntax))
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count == 0)
        {
            return null;
        }

        var durationArgument = arguments[0].Expression;
        var duration = model.GetTypeInfo(durationArgument, cancellationToken).Type?.Name == "TimeSpan"
            ? durationArgument.WithoutTrivia().ToString()
            : $"{FixHelpers.TypeName(model, invocation.SpanStart, "System", "TimeSpan")}.FromMilliseconds({durationArgument.WithoutTrivia()})";
        var token = arguments.Skip(1).FirstOrDefault(a =>
            model.GetTypeInfo(a.Expression, cancellationToken).Type?.Name == "CancellationToken");
        var call = token is null
            ? $"{contextName}.WaitAsync({duration})"
            : $"{contextName}.WaitAsync({duration}, cancellationToken: {token.Expression.WithoutTrivia()})";
        return SyntaxFactory.ParseExpression(isSleep ? "await " + call : call);
    }
}
