using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;

namespace DurableGen.Deployment;

/// <summary>
/// What <c>dotnet publish -p:PublishAot=true</c> needs to link for an architecture other than the machine's: clang with
/// the target triple, the target's binutils (<c>objcopy</c>, <c>ld.bfd</c>) and its C library, which Debian ships as
/// <c>clang</c> and <c>gcc-&lt;triple&gt;</c> (binutils, libc6-dev and libgcc cross packages come with it).
/// </summary>
public static class CrossToolchain
{
    /// <summary>The runtime identifier of an architecture.</summary>
    public static string RuntimeIdentifier(string architecture) => architecture switch
    {
        "x86_64" => "linux-x64",
        "arm64" => "linux-arm64",
        _ => throw new ArgumentException($"Unknown Lambda architecture '{architecture}' (x86_64 or arm64).", nameof(architecture)),
    };

    /// <summary>The machine's architecture in Lambda's spelling.</summary>
    public static string HostArchitecture => RuntimeInformation.OSArchitecture switch
    {
        Architecture.X64 => "x86_64",
        Architecture.Arm64 => "arm64",
        var other => other.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// The MSBuild properties that make the ILCompiler link for <paramref name="architecture"/> on this machine: none for
    /// the machine's own architecture, clang and the target's objcopy otherwise.
    /// </summary>
    /// <exception cref="InvalidOperationException">The cross toolchain is missing; the message says what to install.</exception>
    public static IReadOnlyList<string> PublishProperties(string architecture, Func<string, bool>? fileExists = null)
    {
        if (!OperatingSystem.IsLinux())
        {
            throw new InvalidOperationException(
                "Native AOT builds for Lambda (linux-x64, linux-arm64) must run on Linux: Native AOT does not cross-compile between operating systems. Run durablegen package on Linux (or in a Linux container or CI job).");
        }

        if (architecture == HostArchitecture)
        {
            return Array.Empty<string>();
        }

        fileExists ??= File.Exists;
        var triple = architecture == "arm64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
        var clang = Clang(fileExists);
        var objcopy = $"/usr/bin/{triple}-objcopy";
        var missing = new List<string>();
        if (clang is null)
        {
            missing.Add("clang");
        }

        if (!fileExists(objcopy) || !fileExists($"/usr/bin/{triple}-ld.bfd"))
        {
            missing.Add($"binutils for {triple}");
        }

        if (!fileExists($"/usr/{triple}/lib/libc.so"))
        {
            missing.Add($"the C library for {triple}");
        }

        if (missing.Count > 0)
        {
            throw new InvalidOperationException(
                $"Building the {architecture} bootstrap on this {HostArchitecture} machine needs a cross toolchain ({string.Join(", ", missing)} missing). " +
                $"On Debian or Ubuntu: sudo apt-get install clang gcc-{triple}. Or package only this machine's architecture with --arch {HostArchitecture}.");
        }

        return [$"-p:CppCompilerAndLinker={clang}", $"-p:ObjCopyName={objcopy}"];
    }

    private static string? Clang(Func<string, bool> fileExists)
    {
        foreach (var name in new[] { "clang" }.Concat(Enumerable.Range(14, 10).Reverse().Select(v => $"clang-{v}")))
        {
            foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "/usr/bin").Split(Path.PathSeparator))
            {
                if (dir.Length > 0 && fileExists(Path.Combine(dir, name)))
                {
                    return name;
                }
            }
        }

        return null;
    }
}
