using System;
using System.IO;

namespace DurableGen.TestSupport;

/// <summary>
/// The checkout the tests run from, found by walking up from the test output to <c>DurableGen.sln</c>.
/// </summary>
/// <remarks>
/// Not <c>[CallerFilePath]</c>: CI builds set <c>ContinuousIntegrationBuild</c>, which maps source paths to <c>/_/</c>.
/// </remarks>
internal static class RepositoryRoot
{
    private static readonly Lazy<string> s_path = new(Find);

    /// <summary>The absolute path of the repository root.</summary>
    public static string Path => s_path.Value;

    /// <summary>An absolute path under the repository root.</summary>
    public static string Combine(params string[] parts) =>
        System.IO.Path.Combine(Path, System.IO.Path.Combine(parts));

    private static string Find()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(dir.FullName, "DurableGen.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("DurableGen.sln not found above " + AppContext.BaseDirectory);
    }
}
