using System;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.TestSupport;

/// <summary>
/// A folder of Node scripts with its package.json: installs its node_modules once per test run when a package the
/// scripts import is missing, and runs a script. A missing node or npm fails the test with the command that installs
/// it (these tests never skip).
/// </summary>
internal sealed class NodeProject(string directory, params string[] requiredPackages)
{
    private readonly SemaphoreSlim _installLock = new(1, 1);
    private bool _installed;

    /// <summary>The folder.</summary>
    public string Directory { get; } = directory;

    /// <summary><c>npm ci</c> (or <c>npm install</c> without a lock file), once per run, when node_modules lacks a
    /// required package.</summary>
    public async Task EnsureInstalledAsync()
    {
        await _installLock.WaitAsync();
        try
        {
            if (_installed)
            {
                return;
            }

            var modules = Path.Combine(Directory, "node_modules");
            if (requiredPackages.Any(p => !File.Exists(Path.Combine(modules, p, "package.json"))))
            {
                var verb = File.Exists(Path.Combine(Directory, "package-lock.json")) ? "ci" : "install";
                var (code, stdout, stderr) = await TestProcess.RunAsync("npm", [verb, "--no-audit", "--no-fund"], 300,
                    "npm is missing: install Node.js 20 with npm (Debian: `apt-get install -y nodejs npm`).", Directory);
                Assert.True(code == 0, $"`npm {verb}` in {Directory} failed ({code}):\n{stdout}\n{stderr}");
            }

            _installed = true;
        }
        finally
        {
            _installLock.Release();
        }
    }

    /// <summary>Runs <c>node script args…</c> in the folder; returns the exit code and both streams.</summary>
    public async Task<(int Code, string Stdout, string Stderr)> NodeAsync(string script, int timeoutSeconds, params string[] args)
    {
        await EnsureInstalledAsync();
        return await TestProcess.RunAsync("node", [script, .. args], timeoutSeconds,
            "node is missing: install Node.js 20 with npm (Debian: `apt-get install -y nodejs npm`).", Directory);
    }

    /// <summary>Runs a script that prints one JSON document on stdout and exits 0.</summary>
    public async Task<JsonElement> NodeJsonAsync(string script, int timeoutSeconds, params string[] args)
    {
        var (code, stdout, stderr) = await NodeAsync(script, timeoutSeconds, args);
        Assert.True(code == 0, $"node {script} exited {code}:\n{stdout}\n{stderr}");
        return ParseJson(script, stdout, stderr);
    }

    /// <summary>The JSON document a script printed.</summary>
    public static JsonElement ParseJson(string script, string stdout, string stderr)
    {
        try
        {
            return JsonDocument.Parse(stdout).RootElement.Clone();
        }
        catch (JsonException e)
        {
            throw new Xunit.Sdk.XunitException($"node {script} printed no JSON ({e.Message}):\n{stdout}\n{stderr}");
        }
    }
}
