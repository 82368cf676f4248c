using System;
using System.IO;
using System.IO.Compression;
using System.Runtime.InteropServices;
using DurableGen.Cli.CommandLine;

namespace DurableGen.Cli.Local;

/// <summary>
/// <c>--bootstrap</c>: a published native executable (the Native AOT <c>bootstrap</c> that <c>durablegen package</c>
/// zips, or any program that speaks the Lambda Runtime API) run as every function of the template, in place of
/// <c>dotnet &lt;TargetPath&gt;</c>. It is given as the file, the folder that holds <c>bootstrap</c>, or the deployment
/// zip (unpacked under <c>obj/durablegen/bootstrap/</c>, with its file modes, so the zip that deploys is the one run).
/// </summary>
internal static class NativeBootstrap
{
    private const ushort ElfX64 = 0x3E;
    private const ushort ElfArm64 = 0xB7;

    /// <summary>The full path of the executable <paramref name="path"/> names; <paramref name="projectDirectory"/> holds
    /// an unpacked zip.</summary>
    public static string Resolve(string path, string projectDirectory)
    {
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full))
        {
            full = Path.Combine(full, "bootstrap");
        }
        else if (full.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) && File.Exists(full))
        {
            full = Unzip(full, Path.Combine(projectDirectory, "obj", "durablegen", "bootstrap",
                Path.GetFileNameWithoutExtension(full)));
        }

        if (!File.Exists(full))
        {
            throw new CliException($"No bootstrap at {full}: give the published executable, its folder or its deployment zip " +
                                   "(durablegen package writes bin/lambda/bootstrap-<arch>.zip).");
        }

        if (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(full) & UnixFileMode.UserExecute) == 0)
        {
            throw new CliException($"{full} is not executable: chmod +x it.");
        }

        var machine = ElfMachine(full);
        var here = RuntimeInformation.OSArchitecture switch
        {
            Architecture.X64 => ElfX64,
            Architecture.Arm64 => ElfArm64,
            _ => (ushort)0,
        };
        if (machine is ElfX64 or ElfArm64 && here != 0 && machine != here)
        {
            throw new CliException(
                $"{full} is an {(machine == ElfArm64 ? "arm64" : "x86_64")} executable and this machine is " +
                $"{(here == ElfArm64 ? "arm64" : "x86_64")}: run the bootstrap of this machine's architecture " +
                $"(durablegen package --arch {(here == ElfArm64 ? "arm64" : "x86_64")}), or a script that starts it under qemu-user.");
        }

        return full;
    }

    private static string Unzip(string zip, string target)
    {
        var bootstrap = Path.Combine(target, "bootstrap");
        if (!File.Exists(bootstrap) || File.GetLastWriteTimeUtc(zip) > File.GetLastWriteTimeUtc(target))
        {
            if (Directory.Exists(target))
            {
                Directory.Delete(target, recursive: true);
            }

            try
            {
                ZipFile.ExtractToDirectory(zip, target); // applies the entries' Unix modes
            }
            catch (InvalidDataException ex)
            {
                throw new CliException($"{zip} is not a zip: {ex.Message}");
            }
        }

        return bootstrap;
    }

    /// <summary>The <c>e_machine</c> of an ELF file (0 when it is not one, e.g. a script).</summary>
    private static ushort ElfMachine(string path)
    {
        Span<byte> header = stackalloc byte[20];
        using var file = File.OpenRead(path);
        return file.ReadAtLeast(header, header.Length, throwOnEndOfStream: false) == header.Length
               && header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F'
            ? BitConverter.ToUInt16(header[18..])
            : (ushort)0;
    }
}
