using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// <c>durablegen package samples/OrderApproval</c>, run once per test run as a user would run it (the CLI as a process),
/// into a temporary folder: template.yaml and one zip per architecture, each unzipped to run its bootstrap. Every Native
/// AOT test shares this one publish per architecture (about a minute each on 2 cores).
/// <c>DURABLEGEN_PACKAGE_DIR</c> may name the output folder of an earlier run to reuse it.
/// </summary>
internal sealed class PackagedSample
{
    public const string Variable = "DURABLEGEN_PACKAGE_DIR";

    private static readonly Lazy<Task<PackagedSample>> Instance = new(PackageAsync);

    private PackagedSample(string directory, string log)
    {
        Directory = directory;
        Log = log;
    }

    /// <summary>The output folder: template.yaml, bootstrap-x86_64.zip, bootstrap-arm64.zip, and the unzipped binaries.</summary>
    public string Directory { get; }

    /// <summary>What <c>durablegen package</c> printed.</summary>
    public string Log { get; }

    public string TemplatePath => Path.Combine(Directory, "template.yaml");

    public string Zip(string architecture) => Path.Combine(Directory, $"bootstrap-{architecture}.zip");

    /// <summary>The bootstrap of <paramref name="architecture"/>, unzipped (with the mode the zip gives it).</summary>
    public string Bootstrap(string architecture) => Path.Combine(Directory, "unzipped-" + architecture, "bootstrap");

    public static Task<PackagedSample> GetAsync() => Instance.Value;

    /// <summary>How to start <paramref name="bootstrap"/> here: directly, or under qemu-user when it is another
    /// architecture's (with that architecture's C library from Debian's cross packages).</summary>
    public static ProcessStartInfo Command(string bootstrap)
    {
        var machine = ElfMachine(bootstrap);
        var host = System.Runtime.InteropServices.RuntimeInformation.OSArchitecture;
        if (machine == (host == System.Runtime.InteropServices.Architecture.Arm64 ? ElfArm64 : ElfX64))
        {
            return new ProcessStartInfo(bootstrap);
        }

        // The bootstrap loads the C library and, for hashing, OpenSSL (provided.al2023 has both): Debian's arm64 packages
        // installed side by side (multiarch) give qemu-user the same.
        const string Qemu = "/usr/bin/qemu-aarch64-static";
        Assert.True(machine == ElfArm64 && File.Exists(Qemu) && File.Exists("/usr/lib/aarch64-linux-gnu/libssl.so.3"),
            $"{bootstrap} is for ELF machine {machine:x}; running an arm64 bootstrap here needs Debian's qemu-user-static and the " +
            "arm64 C and OpenSSL libraries, which tests/prerequisites.sh arm64 installs.");
        var start = new ProcessStartInfo(Qemu);
        start.ArgumentList.Add(bootstrap);
        return start;
    }

    public const ushort ElfX64 = 0x3E;
    public const ushort ElfArm64 = 0xB7;

    /// <summary>The <c>e_machine</c> of an ELF file (0 when it is not one).</summary>
    public static ushort ElfMachine(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        return header[0] == 0x7F && header[1] == (byte)'E' && header[2] == (byte)'L' && header[3] == (byte)'F'
            ? BitConverter.ToUInt16(header, 18)
            : (ushort)0;
    }

    private static async Task<PackagedSample> PackageAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given && File.Exists(Path.Combine(given, "template.yaml")))
        {
            return Unzipped(new PackagedSample(given, ""));
        }

        // The arm64 bootstrap is cross-linked with clang and Debian's aarch64 binutils, and run under qemu-user.
        await Prerequisites.EnsureArm64Async();
        var cli = Path.GetFullPath(typeof(PackagedSample).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .Single(a => a.Key == "CliAssembly").Value!);
        var output = System.IO.Directory.CreateTempSubdirectory("durablegen-package-").FullName;
        // Two bootstraps and their zips (about 28 MB): gone when the test process ends.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => System.IO.Directory.Delete(output, recursive: true);
        var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet", [cli, "package", "samples/OrderApproval", "--output", output],
            900, "dotnet is missing", RepositoryRoot.Path);
        var log = stdout + stderr;
        Assert.True(code == 0, $"durablegen package failed ({code}):\n{log}");
        return Unzipped(new PackagedSample(output, log));
    }

    private static PackagedSample Unzipped(PackagedSample package)
    {
        foreach (var architecture in new[] { "x86_64", "arm64" })
        {
            var target = Path.GetDirectoryName(package.Bootstrap(architecture))!;
            if (!File.Exists(package.Bootstrap(architecture)))
            {
                ZipFile.ExtractToDirectory(package.Zip(architecture), target); // applies the entries' Unix modes
            }
        }

        return package;
    }
}
