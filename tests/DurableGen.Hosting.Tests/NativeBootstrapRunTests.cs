using System;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Runtime.InteropServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// <c>durablegen run --bootstrap</c>: the published Native AOT bootstrap (the zip that deploys, from the one shared
/// <c>durablegen package</c> of the sample) runs as the sample's functions on the local service, and completes the
/// order-approval execution with its approver answering the callback.
/// </summary>
public sealed class NativeBootstrapRunTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Run_runs_the_published_native_bootstrap_zip_as_every_function()
    {
        var architecture = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "x86_64";
        var package = await PackagedSample.GetAsync();

        await using var run = CliProcess.Start("run", "samples/OrderApproval", "-c", CliProcess.Configuration, "--no-build",
            "--bootstrap", package.Zip(architecture), "--keep");
        try
        {
            var endpoint = (await run.WaitForLineAsync(new Regex(@"^local service on (http://\S+) with "), 120)).Groups[1].Value;
            await run.WaitForLineAsync(new Regex("^SUCCEEDED: .*APPROVED"), 120);

            // --keep: the service and its sandboxes stay up; each sandbox's process is the unzipped native bootstrap.
            var unzipped = Path.Combine(RepositoryRoot.Path, "samples", "OrderApproval", "obj", "durablegen", "bootstrap",
                $"bootstrap-{architecture}", "bootstrap");
            using var http = new HttpClient();
            var functions = JsonDocument.Parse(await http.GetStringAsync(endpoint + "/local/functions")).RootElement;
            var processes = functions.EnumerateArray().SelectMany(f => f.GetProperty("Sandboxes").EnumerateArray())
                .Where(s => s.TryGetProperty("ProcessId", out _)).Select(s => s.GetProperty("ProcessId").GetInt32()).ToList();
            Assert.Equal(3, processes.Count); // order-approval, order-approval-handoff, order-approver
            foreach (var process in processes)
            {
                Assert.Equal(unzipped, new FileInfo($"/proc/{process}/exe").ResolveLinkTarget(returnFinalTarget: true)?.FullName);
            }

            run.Signal(CliProcess.SigTerm);
            Assert.Equal(0, await run.WaitForExitAsync(30)); // --keep ends on the signal with the execution's outcome
        }
        finally
        {
            run.WriteOutputTo(output);
        }
    }
}
