using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace DurableGen.Generators.CodeFixes;

/// <summary>
/// Adds <c>[JsonSerializable(typeof(T))]</c> entries to a JsonSerializerContext in one edit, so many missing types (from
/// many documents) land on the one class without conflicting edits.
/// </summary>
internal static class JsonSerializableEntries
{
    /// <summary>The document declaring <paramref name="contextMetadataName"/> in <paramref name="project"/> (the part with the most attribute lists).</summary>
    public static async Task<(Document Document, ClassDeclarationSyntax Declaration)?> FindAsync(Project project,
        string contextMetadataName, CancellationToken cancellationToken)
    {
        var compilation = await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false);
        var declaration = compilation?.GetTypeByMetadataName(contextMetadataName)?.DeclaringSyntaxReferences
            .Select(r => r.GetSyntax(cancellationToken))
            .OfType<ClassDeclarationSyntax>()
            .OrderByDescending(c => c.AttributeLists.Count)
            .FirstOrDefault();
        var document = declaration is null ? null : project.Solution.GetDocument(declaration.SyntaxTree);
        return document is null ? null : (document, declaration!);
    }

    /// <summary>Adds one attribute list per type (in the given order, duplicates dropped) after the class's last attribute list.</summary>
    public static async Task<Solution> AddAsync(Project project, string contextMetadataName, IEnumerable<string> typeNames,
        CancellationToken cancellationToken)
    {
        var found = await FindAsync(project, contextMetadataName, cancellationToken).ConfigureAwait(false);
        var root = found is null ? null : await found.Value.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (found is not { } target || root is null)
        {
            return project.Solution;
        }

        var declaration = target.Declaration;
        var eol = root.ToFullString().Contains("\r\n") ? "\r\n" : "\n";
        var lists = declaration.AttributeLists;
        var bare = lists.Count == 0;
        var indentation = SyntaxFactory.TriviaList((bare ? declaration.GetLeadingTrivia() : lists.Last().GetLeadingTrivia())
            .Reverse().TakeWhile(t => t.IsKind(SyntaxKind.WhitespaceTrivia)).Reverse());
        var trailing = bare ? SyntaxFactory.TriviaList(SyntaxFactory.EndOfLine(eol)) : lists.Last().GetTrailingTrivia();
        foreach (var typeName in typeNames.Distinct())
        {
            var attribute = SyntaxFactory.Attribute(
                SyntaxFactory.ParseName("global::System.Text.Json.Serialization.JsonSerializable")
                    .WithAdditionalAnnotations(Simplifier.Annotation),
                SyntaxFactory.AttributeArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.AttributeArgument(
                    SyntaxFactory.TypeOfExpression(SyntaxFactory.ParseTypeName(typeName).WithAdditionalAnnotations(Simplifier.Annotation))))));
            var leading = bare && lists.Count == 0 ? declaration.GetLeadingTrivia() : indentation;
            lists = lists.Add(SyntaxFactory.AttributeList(SyntaxFactory.SingletonSeparatedList(attribute))
                .WithLeadingTrivia(leading).WithTrailingTrivia(trailing));
        }

        var updated = declaration;
        if (bare)
        {
            // The class's leading trivia (comments, indentation) moves onto the first attribute; the keyword keeps the indentation.
            updated = updated.WithoutLeadingTrivia();
            updated = updated.ReplaceToken(updated.GetFirstToken(), updated.GetFirstToken().WithLeadingTrivia(indentation));
        }

        updated = updated.WithAttributeLists(lists).WithAdditionalAnnotations(Formatter.Annotation);
        return target.Document.WithSyntaxRoot(root.ReplaceNode(declaration, updated)).Project.Solution;
    }
}
