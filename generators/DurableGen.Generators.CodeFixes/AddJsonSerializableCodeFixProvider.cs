using System.Collections.Immutable;
using System.Composition;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DurableGen.Generators.CodeFixes;

/// <summary>
/// DG1009 (DG1019 under PublishAot): adds <c>[JsonSerializable(typeof(T))]</c> for the missing type to the JsonSerializerContext. Fix All goes
/// through <see cref="AddJsonSerializableFixAllProvider"/>: every fix edits the same context class, which the batch
/// fixer would see as conflicting edits and drop. DG1020 (not data) has no fix on purpose: adding such a type to the
/// context silences the analyzer but checkpoints nothing useful.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AddJsonSerializableCodeFixProvider)), Shared]
public sealed class AddJsonSerializableCodeFixProvider : CodeFixProvider
{
    /// <summary>One key for every type, so Fix All on one DG1009 fixes them all.</summary>
    internal const string EquivalenceKey = "DG1009";

    /// <inheritdoc />
    public override ImmutableArray<string> FixableDiagnosticIds { get; } = ImmutableArray.Create("DG1009", "DG1019");

    /// <inheritdoc />
    public override FixAllProvider? GetFixAllProvider() => AddJsonSerializableFixAllProvider.Instance;

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

            var project = context.Document.Project;
            var found = await JsonSerializableEntries.FindAsync(project, contextName, context.CancellationToken).ConfigureAwait(false);
            if (found is null)
            {
                continue;
            }

            var shortType = typeName.Replace("global::", "");
            context.RegisterCodeFix(CodeAction.Create(
                $"Add [JsonSerializable(typeof({shortType}))] to {found.Value.Declaration.Identifier.ValueText}",
                ct => JsonSerializableEntries.AddAsync(project, contextName, [typeName], ct),
                equivalenceKey: EquivalenceKey), diagnostic);
        }
    }
}
