using System.Linq;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DurableGen.Analyzers.CodeFixes;

internal static class FixHelpers
{
    /// <summary>The durable context reachable from <paramref name="node"/>, and whether the innermost function around it is async.</summary>
    public static (string? Context, bool InnermostAsync) FindContext(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        var contextType = model.Compilation.GetTypeByMetadataName("DurableGen.IDurableContext");
        bool? innermostAsync = null;
        foreach (var ancestor in node.Ancestors())
        {
            IMethodSymbol? function;
            bool isAsync;
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda:
                    function = model.GetSymbolInfo(lambda, cancellationToken).Symbol as IMethodSymbol;
                    isAsync = lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword);
                    break;
                case LocalFunctionStatementSyntax local:
                    function = model.GetDeclaredSymbol(local, cancellationToken) as IMethodSymbol;
                    isAsync = local.Modifiers.Any(SyntaxKind.AsyncKeyword);
                    break;
                case MethodDeclarationSyntax method:
                    function = model.GetDeclaredSymbol(method, cancellationToken);
                    isAsync = method.Modifiers.Any(SyntaxKind.AsyncKeyword);
                    break;
                default:
                    continue;
            }

            innermostAsync ??= isAsync;
            var parameter = function?.Parameters.FirstOrDefault(p => IsDurableContext(p.Type, contextType));
            if (parameter is not null)
            {
                return (parameter.Name, innermostAsync.Value);
            }
        }

        return (null, innermostAsync ?? false);
    }

    private static bool IsDurableContext(ITypeSymbol type, INamedTypeSymbol? contextType) =>
        contextType is not null && (SymbolEqualityComparer.Default.Equals(type, contextType)
                                    || type.AllInterfaces.Any(i => SymbolEqualityComparer.Default.Equals(i, contextType)));

    /// <summary>A step name from the member an expression calls: <c>DateTime.UtcNow</c> → <c>utc-now</c>.</summary>
    public static string StepName(ExpressionSyntax expression)
    {
        var name = expression switch
        {
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax m } => m.Name.Identifier.ValueText,
            InvocationExpressionSyntax { Expression: SimpleNameSyntax s } => s.Identifier.ValueText,
            InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax b } => b.Name.Identifier.ValueText,
            MemberAccessExpressionSyntax m => m.Name.Identifier.ValueText,
            ObjectCreationExpressionSyntax { Type: var t } => t.ToString(),
            SimpleNameSyntax s => s.Identifier.ValueText,
            _ => "step",
        };
        if (name.EndsWith("Async", System.StringComparison.Ordinal) && name.Length > 5)
        {
            name = name.Substring(0, name.Length - 5);
        }

        var builder = new StringBuilder();
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            if (char.IsLetterOrDigit(c))
            {
                builder.Append(char.ToLowerInvariant(c));
            }
        }

        return builder.Length == 0 ? "step" : builder.ToString();
    }

    /// <summary>
    /// <paramref name="name"/> when it binds to <c>namespace.name</c> at <paramref name="position"/>, else the
    /// global-qualified name (the simplifier does not reliably shorten names inside lambdas under overload resolution).
    /// </summary>
    public static string TypeName(SemanticModel model, int position, string ns, string name)
    {
        foreach (var symbol in model.LookupNamespacesAndTypes(position, name: name))
        {
            if (symbol is INamedTypeSymbol type && type.ContainingNamespace?.ToDisplayString() == ns)
            {
                return name;
            }
        }

        return "global::" + ns + "." + name;
    }

    public static bool IsTaskType(ITypeSymbol? type) =>
        type is INamedTypeSymbol { Name: "Task", ContainingNamespace: { } ns } && ns.ToDisplayString() == "System.Threading.Tasks";

    public static T Annotate<T>(T node)
        where T : SyntaxNode => node.WithAdditionalAnnotations(Simplifier.Annotation, Formatter.Annotation);

    /// <summary>
    /// Moves <paramref name="expression"/> into <c>context.StepAsync</c>: an awaited task becomes the step's task, a
    /// void call becomes a statement step, a value becomes <c>Task.FromResult</c>. Null when no context or await is possible.
    /// </summary>
    public static async Task<Document?> WrapInStepAsync(Document document, ExpressionSyntax expression, string stepName,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        if (root is null || model is null)
        {
            return null;
        }

        var (context, innermostAsync) = FindContext(expression, model, cancellationToken);
        if (context is null)
        {
            return null;
        }

        var type = model.GetTypeInfo(expression, cancellationToken).Type;
        var task = TypeName(model, expression.SpanStart, "System.Threading.Tasks", "Task");
        var name = SyntaxFactory.Literal(stepName).ToString();
        var body = expression.WithoutTrivia().ToString();
        SyntaxNode target;
        SyntaxNode replacement;
        if (expression.Parent is AwaitExpressionSyntax awaited)
        {
            if (!innermostAsync)
            {
                return null;
            }

            target = awaited;
            var lambda = IsTaskType(type) ? $"(_, _) => {body}" : $"async (_, _) => await {body}";
            replacement = Parenthesize(awaited, SyntaxFactory.ParseExpression($"await {context}.StepAsync({lambda}, {name})"));
        }
        else if (expression.Parent is ExpressionStatementSyntax statement && type?.SpecialType == SpecialType.System_Void)
        {
            if (!innermostAsync)
            {
                return null;
            }

            target = statement;
            replacement = SyntaxFactory.ParseStatement(
                    $"await {context}.StepAsync((_, _) => {{ {body}; return {task}.CompletedTask; }}, {name});")
                .WithTriviaFrom(statement);
        }
        else if (IsTaskType(type))
        {
            target = expression;
            replacement = Parenthesize(expression, SyntaxFactory.ParseExpression($"{context}.StepAsync((_, _) => {body}, {name})"));
        }
        else
        {
            if (!innermostAsync || type is null || type.SpecialType == SpecialType.System_Void)
            {
                return null;
            }

            target = expression;
            replacement = Parenthesize(expression, SyntaxFactory.ParseExpression(
                $"await {context}.StepAsync((_, _) => {task}.FromResult({body}), {name})"));
        }

        var newRoot = root.ReplaceNode(target, Annotate(replacement.WithTriviaFrom(target)));
        return document.WithSyntaxRoot(newRoot);
    }

    private static ExpressionSyntax Parenthesize(ExpressionSyntax original, ExpressionSyntax replacement) =>
        original.Parent is ExpressionSyntax parent
        && parent is not (ParenthesizedExpressionSyntax or AssignmentExpressionSyntax or LambdaExpressionSyntax or
            AwaitExpressionSyntax)
            ? SyntaxFactory.ParenthesizedExpression(replacement)
            : replacement;
}
