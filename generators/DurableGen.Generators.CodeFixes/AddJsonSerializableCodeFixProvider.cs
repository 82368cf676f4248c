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
using Microsoft.CodeAnalysis.Simplification;

namespace DurableGen.Generators.CodeFixes;

/// <summary>DG1009: adds <c>[JsonSerializable(typeof(T))]</c> for the missing type to the JsonSerializerContext.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFixProvider)), Shared]
public sealed class AddJsonSerializableCodeFixProvider : CodeFixProvider
{
    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("DG1009");

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => null;

    /// <inheritdoc />
    public override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        foreach (var diagnostic in context.Diagnostics)
        {
            if (!diagnostic.Properties.TryGetValue(SerializableTypesAnalyzer.ContextProperty, out var contextName)
                || !diagnostic.Properties.TryGetValue(SerializableTypesAnalyzer.TypeProperty, out var typeName)
                || contextName is null || typeName is null)
            {
                continue;
            }

            var compilation = await context.Document.Project.GetCompilationAsync(context.CancellationToken).ConfigureAwait(false);
            var contextType = compilation?.GetTypeByMetadataName(contextName);
            var declaration = contextType?.DeclaringSyntaxReferences
                .Select(r => r.GetSyntax(context.CancellationToken))
                .OfType<ClassDeclarationSyntax>()
                .OrderByDescending(c => c.AttributeLists.Count)
                .FirstOrDefault();
            var document = declaration is null ? null : context.Document.Project.Solution.GetDocument(declaration.SyntaxTree);
            if (declaration is null || document is null)
            {
                continue;
            }

            var shortType = typeName.Replace("global::", "");
            context.RegisterCodeFix(CodeAction.Create(
                $"Add [JsonSerializable(typeof({shortType}))] to {contextType!.Name}",
                ct => AddAsync(document, declaration, typeName, ct),
                equivalenceKey: "DG1009:" + typeName), diagnostic);
        }
    }

    private static async Task<Document> AddAsync(Document document, ClassDeclarationSyntax declaration, string typeName,
        CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (root is null)
        {
            return document;
        }

        var attribute = SyntaxFactory.Attribute(
            SyntaxFactory.ParseName("global::System.Text.Json.Serialization.JsonSerializable")
                .WithAdditionalAnnotations(Simplifier.Annotation),
            SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(typeName).WithAdditionalAnnotations(Simplifier.Annotation))))));
        var list = SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute));

        ClassDeclarationSyntax updated;
        if (declaration.AttributeLists.Count == 0)
        {
            updated = declaration.WithoutLeadingTrivia()
                .WithAttributeLists(SyntaxFactory.SingletonList(list.WithLeadingTrivia(declaration.GetLeadingTrivia())));
        }
        else
        {
            var last = declaration.AttributeLists.Last();
            var indentation = last.GetLeadingTrivia().Where(t => t.IsKind(SyntaxKind.WhitespaceTrivia));
            updated = declaration.WithAttributeLists(declaration.AttributeLists.Insert(
                declaration.AttributeLists.Count, list.WithLeadingTrivia(indentation).WithTrailingTrivia(last.GetTrailingTrivia())));
        }

        return document.WithSyntaxRoot(root.ReplaceNode(declaration, updated.WithAdditionalAnnotations(Formatter.Annotation)));
    }
}
