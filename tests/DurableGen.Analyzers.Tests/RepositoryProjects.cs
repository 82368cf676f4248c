using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using DurableGen.TestSupport;
using Microsoft.CodeAnalysis;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// The C# files of one project folder (the folder holding its .csproj), how that project compiles, and the project
/// folders it references (analyzer and generator references excluded: they are not compiled against).
/// </summary>
internal sealed record RepositoryProject(string Folder, string AssemblyName, OutputKind Kind, IReadOnlyList<string> Files,
    IReadOnlyList<string> ProjectReferences);

/// <summary>
/// Every C# file of the repository's code folders, grouped per project so that top-level statements and the types
/// several projects define alike (a <c>Program</c>, test helpers) do not collide in one compilation.
/// </summary>
internal static class RepositoryProjects
{
    public static readonly string[] CodeFolders = ["src", "samples", "tests", "generators", "analyzers"];

    // Build output and npm packages are not ours; node_modules is also big enough to slow the walk down.
    private static readonly HashSet<string> SkippedFolders = new(StringComparer.Ordinal) { "bin", "obj", "node_modules" };

    private static readonly Lazy<IReadOnlyList<RepositoryProject>> s_all = new(Find);

    public static IReadOnlyList<RepositoryProject> All => s_all.Value;

    /// <summary>Every project after the projects it references, so their compilations can be referenced.</summary>
    public static IReadOnlyList<RepositoryProject> InBuildOrder()
    {
        var byFolder = All.ToDictionary(p => p.Folder, StringComparer.Ordinal);
        var ordered = new List<RepositoryProject>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        void Visit(RepositoryProject project)
        {
            if (!seen.Add(project.Folder))
            {
                return;
            }

            foreach (var reference in project.ProjectReferences)
            {
                if (byFolder.TryGetValue(reference, out var referenced))
                {
                    Visit(referenced);
                }
            }

            ordered.Add(project);
        }

        foreach (var project in All)
        {
            Visit(project);
        }

        return ordered;
    }

    private static IReadOnlyList<RepositoryProject> Find()
    {
        var files = CodeFolders.SelectMany(folder => CSharpFiles(RepositoryRoot.Combine(folder)));
        return files
            .GroupBy(OwningFolder, StringComparer.Ordinal)
            .Select(group => Describe(group.Key, group.OrderBy(f => f, StringComparer.Ordinal).ToList()))
            .OrderBy(p => p.Folder, StringComparer.Ordinal)
            .ToList();
    }

    private static IEnumerable<string> CSharpFiles(string directory)
    {
        if (!Directory.Exists(directory))
        {
            yield break;
        }

        foreach (var file in Directory.EnumerateFiles(directory, "*.cs"))
        {
            yield return file;
        }

        foreach (var child in Directory.EnumerateDirectories(directory))
        {
            var name = Path.GetFileName(child);
            if (SkippedFolders.Contains(name) || name.StartsWith('.'))
            {
                continue;
            }

            foreach (var file in CSharpFiles(child))
            {
                yield return file;
            }
        }
    }

    /// <summary>The nearest folder above the file that holds a .csproj; a file outside any project (tests/Shared) is its own group.</summary>
    private static string OwningFolder(string file)
    {
        var root = RepositoryRoot.Path;
        var start = Path.GetDirectoryName(file)!;
        for (var dir = start; dir.Length > root.Length; dir = Path.GetDirectoryName(dir)!)
        {
            if (Directory.EnumerateFiles(dir, "*.csproj").Any())
            {
                return Relative(dir);
            }
        }

        return Relative(start);
    }

    private static RepositoryProject Describe(string folder, IReadOnlyList<string> files)
    {
        var project = Directory.EnumerateFiles(RepositoryRoot.Combine(folder), "*.csproj").FirstOrDefault();
        if (project is null)
        {
            return new RepositoryProject(folder, Path.GetFileName(folder), OutputKind.DynamicallyLinkedLibrary, files, []);
        }

        // Named as MSBuild would name it, so the InternalsVisibleTo of the referenced assemblies apply.
        var text = File.ReadAllText(project);
        var assemblyName = Regex.Match(text, "<AssemblyName>([^<]+)</AssemblyName>") is { Success: true } name
            ? name.Groups[1].Value
            : Path.GetFileNameWithoutExtension(project);
        var kind = text.Contains("<OutputType>Exe</OutputType>", StringComparison.Ordinal)
            ? OutputKind.ConsoleApplication
            : OutputKind.DynamicallyLinkedLibrary;
        var references = Regex.Matches(text, "<ProjectReference\\s+Include=\"([^\"]+)\"([^>]*)>")
            .Where(m => !m.Groups[2].Value.Contains("OutputItemType=\"Analyzer\"", StringComparison.Ordinal))
            .Select(m => Relative(Path.GetDirectoryName(Path.GetFullPath(
                Path.Combine(Path.GetDirectoryName(project)!, m.Groups[1].Value.Replace('\\', '/'))))!))
            .ToList();
        return new RepositoryProject(folder, assemblyName, kind, files, references);
    }

    private static string Relative(string path) => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/');
}
