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
/// DG2020: (1) run the hand-off in a step, so replays return its checkpoint instead of handing the id out again;
/// (2) when the callback is created, handed off and awaited in three consecutive statements, fold them into
/// <c>WaitForCallbackAsync</c>, whose submitter is that step. Fix All applies the chosen fix to every hand-off: each is an
/// independent edit of its own statements (both add or reshape operations, so in-flight executions need a new version).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CallbackHandOffCodeFixProvider)), Shared]
public sealed class CallbackHandOffCodeFixProvider : CodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("DG2020");

    public override FixAllProvider? GetFixAllProvider() => WellKnownFixAllProviders.BatchFixer;

    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var root = await context.Document.GetSyntaxRootAsync(context.CancellationToken).ConfigureAwait(false);
        var model = await context.Document.GetSemanticModelAsync(context.CancellationToken).ConfigureAwait(false);
        if (root?.FindNode(context.Span, getInnermostNodeForTie: true) is not InvocationExpressionSyntax invocation || model is null)
        {
            return;
        }

        var document = context.Document;
        var diagnostic = context.Diagnostics[0];
        var stepName = FixHelpers.StepName(invocation);
        if (await FixHelpers.WrapInStepAsync(document, invocation, stepName, context.CancellationToken).ConfigureAwait(false) is not null)
        {
            context.RegisterCodeFix(CodeAction.Create("Hand the callback id out inside a step",
                async c => await FixHelpers.WrapInStepAsync(document, invocation, stepName, c).ConfigureAwait(false) ?? document,
                equivalenceKey: "HandOffInStep"), diagnostic);
        }

        if (ToWaitForCallback(root, invocation, model, context.CancellationToken) is { } converted)
        {
            context.RegisterCodeFix(CodeAction.Create("Use WaitForCallbackAsync",
                _ => Task.FromResult(document.WithSyntaxRoot(converted)),
                equivalenceKey: "ToWaitForCallback"), diagnostic);
        }
    }

    /// <summary>
    /// <c>var cb = await ctx.CreateCallbackAsync&lt;T&gt;(args); [await] HandOff(cb.CallbackId); var r = await cb.GetResultAsync();</c>
    /// → <c>var r = await ctx.WaitForCallbackAsync&lt;T&gt;(async (callbackId, _, _) => await HandOff(callbackId), args);</c>
    /// </summary>
    private static SyntaxNode? ToWaitForCallback(SyntaxNode root, InvocationExpressionSyntax invocation, SemanticModel model,
        CancellationToken cancellationToken)
    {
        if (invocation.FirstAncestorOrSelf<ExpressionStatementSyntax>() is not { Parent: BlockSyntax block } handOff
            || (handOff.Expression != invocation
                && !(handOff.Expression is AwaitExpressionSyntax awaitedHandOff && awaitedHandOff.Expression == invocation)))
        {
            return null;
        }

        var index = block.Statements.IndexOf(handOff);
        if (index < 1 || index + 1 >= block.Statements.Count
            || block.Statements[index - 1] is not LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables }
            || variables[0] is not { } declarator
            || declarator.Initializer?.Value is not AwaitExpressionSyntax
            {
                Expression: InvocationExpressionSyntax
                {
                    Expression: MemberAccessExpressionSyntax
                    {
                        Name: GenericNameSyntax { Identifier.ValueText: "CreateCallbackAsync" } createName,
                    } createAccess,
                } create,
            })
        {
            return null;
        }

        var callback = model.GetDeclaredSymbol(declarator, cancellationToken);
        var result = block.Statements[index + 1];
        var resultAwait = result.DescendantNodes().OfType<AwaitExpressionSyntax>().FirstOrDefault(a =>
            a.Expression is InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax id, Name.Identifier.ValueText: "GetResultAsync" },
            } && id.Identifier.ValueText == declarator.Identifier.ValueText);
        if (callback is null || resultAwait is null)
        {
            return null;
        }

        // The callback must be used only for its id in the hand-off and for its result right after.
        var uses = block.DescendantNodes().OfType<IdentifierNameSyntax>()
            .Where(n => n.Identifier.ValueText == declarator.Identifier.ValueText
                        && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(n, cancellationToken).Symbol, callback))
            .ToList();
        var idUses = uses.Where(n => n.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CallbackId" } m
                                     && m.Expression == n && handOff.Span.Contains(n.Span)).ToList();
        if (idUses.Count == 0 || uses.Count != idUses.Count + 1)
        {
            return null;
        }

        // Arguments: CreateCallbackAsync(name, config, token) line up with WaitForCallbackAsync(submitter, name, config, token).
        var arguments = create.ArgumentList.Arguments.Select(a => ConvertConfig(a, model, cancellationToken)).ToList();
        if (arguments.Any(a => a is null))
        {
            return null;
        }

        var submitterBody = handOff.Expression.ReplaceNodes(idUses.Select(n => (MemberAccessExpressionSyntax)n.Parent!),
            (_, _) => SyntaxFactory.IdentifierName("callbackId"));
        var submitter = submitterBody is AwaitExpressionSyntax
            ? $"async (callbackId, _, _) => {submitterBody.WithoutTrivia()}"
            : $"(callbackId, _, _) => {{ {submitterBody.WithoutTrivia()}; return {FixHelpers.TypeName(model, invocation.SpanStart, "System.Threading.Tasks", "Task")}.CompletedTask; }}";
        var call = $"await {createAccess.Expression.WithoutTrivia()}.WaitForCallbackAsync{createName.TypeArgumentList}(" +
                   string.Join(", ", new[] { submitter }.Concat(arguments.Select(a => a!.ToString()))) + ")";
        var newResult = result.ReplaceNode(resultAwait, FixHelpers.Annotate(SyntaxFactory.ParseExpression(call).WithTriviaFrom(resultAwait)));
        var newBlock = block.WithStatements(block.Statements
            .Replace(result, newResult.WithLeadingTrivia(block.Statements[index - 1].GetLeadingTrivia()))
            .RemoveAt(index)
            .RemoveAt(index - 1));
        return root.ReplaceNode(block, newBlock);
    }

    /// <summary>A CallbackConfig argument becomes a WaitForCallbackConfig: an object creation is retyped; anything else of the base type stops the fix.</summary>
    private static ArgumentSyntax? ConvertConfig(ArgumentSyntax argument, SemanticModel model, CancellationToken cancellationToken)
    {
        var type = model.GetTypeInfo(argument.Expression, cancellationToken).Type;
        if (type?.ToDisplayString() != "DurableGen.CallbackConfig")
        {
            return argument;
        }

        return argument.Expression is ObjectCreationExpressionSyntax creation
            ? argument.WithExpression(creation.WithType(SyntaxFactory.ParseTypeName(FixHelpers.TypeName(model, creation.SpanStart, "DurableGen", "WaitForCallbackConfig")).WithTriviaFrom(creation.Type)))
            : null;
    }
}
