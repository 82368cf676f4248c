using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace DurableGen.Architecture.Tests;

/// <summary>An assembly compiled in memory from C# text, to plant a violation the checker must find.</summary>
internal static class PlantedAssembly
{
    private static readonly IReadOnlyList<MetadataReference> s_framework =
        ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System.", StringComparison.Ordinal)
                        || Path.GetFileName(p) is "netstandard.dll" or "mscorlib.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .ToList();

    /// <summary>Compiles <paramref name="source"/> as <paramref name="name"/> against the framework and
    /// <paramref name="references"/>; returns its image.</summary>
    public static byte[] Compile(string name, string source, params byte[][] references)
    {
        var compilation = CSharpCompilation.Create(name, [CSharpSyntaxTree.ParseText(source)],
            s_framework.Concat(references.Select(r => MetadataReference.CreateFromImage(r))),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        if (!result.Success)
        {
            throw new InvalidOperationException(string.Join(Environment.NewLine, result.Diagnostics));
        }

        return image.ToArray();
    }

    public static AssemblyFacts Facts(byte[] image) => AssemblyFacts.Read(new MemoryStream(image));
}
