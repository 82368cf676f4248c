using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>Runs the Node scripts of <c>tests/DurableGen.LocalService.Tests/js</c> (the official AWS JS client, and
/// playwright-core driving Debian's chromium). Installs their node_modules once per run when missing; a missing node,
/// npm or chromium fails the test with the command that installs it (these tests never skip).</summary>
internal static class NodeScripts
{
    public const string ChromiumPath = "/usr/bin/chromium";

    private static readonly SemaphoreSlim InstallLock = new(1, 1);
    private static bool _installed;

    /// <summary>The js folder of this test project.</summary>
    public static string Directory { get; } = RepositoryRoot.Combine("tests", "DurableGen.LocalService.Tests", "js");

    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing: the dashboard test drives Debian's chromium. Install it with " +
                "`apt-get update && apt-get install -y chromium` (.ci/run does this before the tests).");
        }
    }

    /// <summary><c>npm ci</c> (or <c>npm install</c> without a lock file) in the js folder, once per run, when its
    /// node_modules lacks a package the scripts import.</summary>
    public static async Task EnsureInstalledAsync()
    {
        await InstallLock.WaitAsync();
        try
        {
            if (_installed)
            {
                return;
            }

            var modules = Path.Combine(Directory, "node_modules");
            if (!File.Exists(Path.Combine(modules, "@aws-sdk", "client-lambda", "package.json")) ||
                !File.Exists(Path.Combine(modules, "playwright-core", "package.json")))
            {
                var verb = File.Exists(Path.Combine(Directory, "package-lock.json")) ? "ci" : "install";
                var (code, stdout, stderr) = await RunAsync("npm", [verb, "--no-audit", "--no-fund"], 300,
                    "npm is missing: install Node.js 20 with npm (Debian: `apt-get install -y nodejs npm`).");
                Assert.True(code == 0, $"`npm {verb}` in {Directory} failed ({code}):\n{stdout}\n{stderr}");
            }

            _installed = true;
        }
        finally
        {
            InstallLock.Release();
        }
    }

    /// <summary>Runs <c>node script args…</c> in the js folder; returns the exit code and both streams.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> NodeAsync(string script, int timeoutSeconds, params string[] args)
    {
        await EnsureInstalledAsync();
        return await RunAsync("node", [script, .. args], timeoutSeconds,
            "node is missing: install Node.js 20 with npm (Debian: `apt-get install -y nodejs npm`).");
    }

    /// <summary>Runs a script that prints one JSON document on stdout and exits 0.</summary>
    public static async Task<JsonElement> NodeJsonAsync(string script, int timeoutSeconds, params string[] args)
    {
        var (code, stdout, stderr) = await NodeAsync(script, timeoutSeconds, args);
        Assert.True(code == 0, $"node {script} exited {code}:\n{stdout}\n{stderr}");
        try
        {
            return JsonDocument.Parse(stdout).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"node {script} printed no JSON ({e.Message}):\n{stdout}\n{stderr}");
        }
    }

    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/> in the js folder; <paramref name="missing"/>
    /// is the failure when the program is not installed.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] arguments, int timeoutSeconds, string missing)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = Directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["NO_COLOR"] = "1";
        Process process;
        try
        {
            process = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            throw new Xunit.Sdk.XunitException(missing);
        }

        using (process)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(timeoutSeconds));
            try
            {
                await process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new Xunit.Sdk.XunitException($"{file} {string.Join(' ', arguments)} did not finish in {timeoutSeconds} s:\n{await stdout}\n{await stderr}");
            }

            return (process.ExitCode, await stdout, await stderr);
        }
    }
}
