using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Xunit;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// Runs the analyzers over every project folder once for all tests of <see cref="RepositorySweepTests"/>: the sweep
/// is the expensive part, the tests only read its results.
/// </summary>
public sealed class RepositorySweep : IAsyncLifetime
{
    private readonly Dictionary<string, ProjectSweepResult> _results = new(StringComparer.Ordinal);

    internal IReadOnlyDictionary<string, ProjectSweepResult> Results => _results;

    /// <summary>Wall time of the whole sweep.</summary>
    public TimeSpan Elapsed { get; private set; }

    /// <inheritdoc />
    public async Task InitializeAsync()
    {
        var watch = Stopwatch.StartNew();
        var compilations = new Dictionary<string, Compilation>(StringComparer.Ordinal);
        // One project at a time, referenced projects first: each analysis already runs concurrently.
        foreach (var project in RepositoryProjects.InBuildOrder())
        {
            var references = project.ProjectReferences.Where(compilations.ContainsKey).Select(f => compilations[f]);
            (_results[project.Folder], compilations[project.Folder]) =
                await ProjectSweep.RunAsync(project, references, CancellationToken.None);
        }

        Elapsed = watch.Elapsed;
    }

    /// <inheritdoc />
    public Task DisposeAsync() => Task.CompletedTask;

    internal ProjectSweepResult this[string folder] => _results[folder];

    internal IEnumerable<ProjectSweepResult> All => _results.Values.OrderBy(r => r.Project.Folder, StringComparer.Ordinal);
}
