using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;

namespace DurableGen.Architecture.Tests;

/// <summary>A C# file of a project: its path relative to the project folder ('/'-separated) and its text.</summary>
internal sealed record SourceFile(string Path, string Text)
{
    /// <summary>The project's C# files, minus build output.</summary>
    public static IReadOnlyList<SourceFile> Read(string projectDirectory) =>
        Directory.EnumerateFiles(projectDirectory, "*.cs", SearchOption.AllDirectories)
            .Select(f => System.IO.Path.GetRelativePath(projectDirectory, f).Replace('\\', '/'))
            .Where(f => !f.StartsWith("bin/", StringComparison.Ordinal) && !f.StartsWith("obj/", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(f => new SourceFile(f, File.ReadAllText(System.IO.Path.Combine(projectDirectory, f))))
            .ToList();
}

/// <summary>
/// Folder = namespace (docs/architecture.md): every file of a folder declares one namespace. A folder whose types are
/// the project's API — for the runtime, what a workflow author writes against — uses the API namespace
/// (<c>DurableGen</c> for the runtime, the official SDK's shape: the whole user API in one namespace); every other
/// folder's namespace is the root namespace plus its folder path. Files at the project root use the root namespace.
/// Exceptions: a polyfill of a BCL type keeps its <c>System.*</c> namespace; a file of top-level statements (a
/// <c>Program.cs</c> at the root) and a file that declares no type (assembly attributes) have none. A folder listed in
/// <c>partialFolders</c> only splits one type's partial declarations by topic (the engine's rules per operation kind),
/// and a partial type has one namespace: it takes its parent folder's.
/// </summary>
internal sealed partial class FolderNamespaceRule(string project, string rootNamespace,
    IReadOnlyCollection<string>? apiFolders = null, string? apiNamespace = null,
    IReadOnlyCollection<string>? partialFolders = null)
{
    public const string Name = "folder = namespace";

    /// <summary>The project's folder, relative to the repository root ('/'-separated).</summary>
    public string Project { get; } = project;

    public string ExpectedNamespace(string relativePath)
    {
        var folders = relativePath.Split('/')[..^1];
        if (folders.Length == 0)
        {
            return rootNamespace;
        }

        if (apiFolders is not null && apiFolders.Contains(folders[0]))
        {
            return apiNamespace ?? rootNamespace;
        }

        if (partialFolders is not null && partialFolders.Contains(string.Join('/', folders)))
        {
            folders = folders[..^1];
        }

        return folders.Length == 0 ? rootNamespace : rootNamespace + "." + string.Join('.', folders);
    }

    public IEnumerable<Violation> Check(IEnumerable<SourceFile> files)
    {
        foreach (var file in files)
        {
            var declared = NamespaceDeclaration().Matches(file.Text).Select(m => m.Groups[1].Value).ToList();
            var where = $"{Project}/{file.Path}";
            if (declared.Count == 0)
            {
                if (file.Path != "Program.cs" && TypeDeclaration().IsMatch(file.Text))
                {
                    yield return new Violation(Name, where, $"no namespace, expected {ExpectedNamespace(file.Path)}");
                }

                continue;
            }

            var expected = ExpectedNamespace(file.Path);
            foreach (var ns in declared.Where(n => n != expected && !n.StartsWith("System", StringComparison.Ordinal)))
            {
                yield return new Violation(Name, where, $"namespace {ns}, expected {expected}");
            }
        }
    }

    [GeneratedRegex(@"^\s*namespace\s+([\w.]+)", RegexOptions.Multiline)]
    private static partial Regex NamespaceDeclaration();

    [GeneratedRegex(@"^\s*(?:(?:public|internal|private|protected|file|sealed|static|abstract|partial|readonly|ref|unsafe)\s+)*(?:class|struct|interface|enum|record|delegate)\s", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();
}
