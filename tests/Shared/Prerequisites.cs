using System;
using System.Collections.Concurrent;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.TestSupport;

/// <summary>
/// What some tests need from Debian's packages (chromium, the arm64 cross toolchain and qemu-user, the toolchain that
/// builds AWS's Node.js runtime interface client), installed by
/// <c>tests/prerequisites.sh</c> the first time a test asks, so the README's test command passes on a fresh machine
/// with nothing installed by hand. The script is idempotent and serialises installs across test processes.
/// </summary>
internal static class Prerequisites
{
    private static readonly ConcurrentDictionary<string, Lazy<Task>> Groups = new();

    /// <summary>Debian's chromium, for the headless-browser tests.</summary>
    public static Task EnsureChromiumAsync() => EnsureAsync("chromium");

    /// <summary>AWS's Node.js runtime interface client and the JS durable execution SDK, built once per machine and
    /// linked into tests/DurableGen.LocalService.Tests/ric.</summary>
    public static Task EnsureRuntimeInterfaceClientAsync() => EnsureAsync("ric");

    /// <summary>clang, the aarch64 binutils and C library, qemu-user and the arm64 OpenSSL.</summary>
    public static Task EnsureArm64Async() => EnsureAsync("arm64");

    private static Task EnsureAsync(string group) => Groups.GetOrAdd(group, g => new Lazy<Task>(() => InstallAsync(g))).Value;

    private static async Task InstallAsync(string group)
    {
        var script = RepositoryRoot.Combine("tests", "prerequisites.sh");
        // Building the runtime interface client compiles curl and a C++ library: minutes once per machine, more when
        // the machine is busy.
        var (code, stdout, stderr) = await TestProcess.RunAsync("bash", [script, group], group == "ric" ? 3600 : 900,
            "bash is missing.", RepositoryRoot.Path);
        Assert.True(code == 0, $"tests/prerequisites.sh {group} failed ({code}):\n{stdout}\n{stderr}");
    }
}
