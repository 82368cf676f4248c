using System;
using System.IO;
using System.Threading.Tasks;
using DurableGen.TestSupport;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// A function project as a user writes one before the package exists: in a temporary folder outside this repository
/// (so none of its Directory.Build files apply), an executable named <c>bootstrap</c> whose only reference is
/// src/DurableGen, which brings the generator, the analyzers and the code fixes. Deleted on dispose.
/// </summary>
internal sealed class OutsideProject : IDisposable
{
    private OutsideProject(string directory) => Directory = directory;

    /// <summary>The project's folder; <c>Function.csproj</c> is in it.</summary>
    public string Directory { get; }

    /// <summary>Creates the project with one source file and, optionally, more items inside its ItemGroup
    /// (<c>{repo}</c> stands for the repository root).</summary>
    public static OutsideProject Create(string prefix, string sourceName, string source, string extraItems = "")
    {
        var root = RepositoryRoot.Path;
        var directory = Path.Combine(Path.GetTempPath(), $"durablegen-{prefix}-{Guid.NewGuid():N}");
        System.IO.Directory.CreateDirectory(directory);
        System.IO.File.WriteAllText(Path.Combine(directory, "Function.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <AssemblyName>bootstrap</AssemblyName>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <ProjectReference Include="{root}/src/DurableGen/DurableGen.csproj" />
                {extraItems.Replace("{repo}", root, StringComparison.Ordinal)}
              </ItemGroup>
            </Project>
            """);
        System.IO.File.WriteAllText(Path.Combine(directory, sourceName), source);
        return new OutsideProject(directory);
    }

    /// <summary>The path of a file in the project's folder.</summary>
    public string PathOf(string name) => Path.Combine(Directory, name);

    /// <summary>Runs <c>dotnet</c> with the given arguments in the project's folder.</summary>
    public Task<(int Code, string Stdout, string Stderr)> DotnetAsync(params string[] arguments) =>
        TestProcess.RunAsync("dotnet", arguments, 600, "dotnet is missing: install the .NET SDK global.json names.", Directory);

    /// <inheritdoc />
    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}
