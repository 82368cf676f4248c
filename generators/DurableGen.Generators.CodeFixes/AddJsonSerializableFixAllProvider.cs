using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace DurableGen.Generators.CodeFixes;

/// <summary>
/// Fix All for DG1009: collects every missing type per (project, context) across the scope and adds them to each
/// context class in one edit, in source order of the diagnostics.
/// </summary>
internal sealed class AddJsonSerializableFixAllProvider : FixAllProvider
{
    public static readonly AddJsonSerializableFixAllProvider Instance = new();

    public override IEnumerable<FixAllScope> GetSupportedFixAllScopes() =>
        [FixAllScope.Document, FixAllScope.Project, FixAllScope.Solution];

    public override async Task<CodeAction?> GetFixAsync(FixAllContext fixAllContext)
    {
        var projects = fixAllContext.Scope == FixAllScope.Solution
            ? fixAllContext.Solution.Projects.ToList()
            : [fixAllContext.Project];
        var found = new List<(ProjectId Project, string Context, string Type, string Path, int Start)>();
        foreach (var project in projects)
        {
            var diagnostics = fixAllContext.Scope == FixAllScope.Document && fixAllContext.Document is { } document
                ? await fixAllContext.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false)
                : await fixAllContext.GetAllDiagnosticsAsync(project).ConfigureAwait(false);
            foreach (var diagnostic in diagnostics)
            {
                if (diagnostic.Properties.TryGetValue(SerializableTypesAnalyzer.ContextProperty, out var context)
                    && diagnostic.Properties.TryGetValue(SerializableTypesAnalyzer.TypeProperty, out var type)
                    && context is not null && type is not null)
                {
                    found.Add((project.Id, context, type, diagnostic.Location.SourceTree?.FilePath ?? "",
                        diagnostic.Location.SourceSpan.Start));
                }
            }
        }

        if (found.Count == 0)
        {
            return null;
        }

        return CodeAction.Create("Add every missing [JsonSerializable] entry",
            ct => ApplyAsync(fixAllContext.Solution, found, ct), AddJsonSerializableCodeFixProvider.EquivalenceKey);
    }

    private static async Task<Solution> ApplyAsync(Solution solution,
        List<(ProjectId Project, string Context, string Type, string Path, int Start)> found, CancellationToken cancellationToken)
    {
        var groups = found
            .OrderBy(f => f.Path, System.StringComparer.Ordinal).ThenBy(f => f.Start)
            .GroupBy(f => (f.Project, f.Context))
            .ToList();
        foreach (var group in groups)
        {
            // Each edit yields a new solution; the next context is looked up again in it.
            var project = solution.GetProject(group.Key.Project);
            if (project is not null)
            {
                solution = await JsonSerializableEntries.AddAsync(project, group.Key.Context, group.Select(f => f.Type), cancellationToken)
                    .ConfigureAwait(false);
            }
        }

        return solution;
    }
}
