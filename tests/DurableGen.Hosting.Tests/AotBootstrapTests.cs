using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using OrderApproval;
using DurableGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// The sample published with Native AOT, once per test run: <c>DURABLEGEN_AOT_BOOTSTRAP</c> may name a bootstrap that
/// is already published; otherwise the tests publish one (about a minute on 2 cores) and fail on any IL warning.
/// </summary>
internal static class PublishedBootstrap
{
    public const string Variable = "DURABLEGEN_AOT_BOOTSTRAP";

    private static readonly Lazy<Task<string>> Path = new(PublishAsync);

    public static Task<string> GetAsync() => Path.Value;

    private static async Task<string> PublishAsync()
    {
        if (Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } given && File.Exists(given))
        {
            return given;
        }

        var root = RepositoryRoot.Path;

        var output = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "durablegen-aot-" + Guid.NewGuid().ToString("N"));
        var start = new ProcessStartInfo("dotnet",
            $"publish samples/OrderApproval -c Release -r linux-x64 -o \"{output}\" -nodeReuse:false")
        {
            WorkingDirectory = root,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var log = await stdout + await stderr;
        Assert.True(process.ExitCode == 0, "dotnet publish -p:PublishAot failed:\n" + log);
        Assert.DoesNotMatch(@"warning IL\d+", log);
        var bootstrap = System.IO.Path.Combine(output, "bootstrap");
        Assert.True(File.Exists(bootstrap), "no bootstrap in " + output);
        return bootstrap;
    }
}

/// <summary>The sample's Native AOT bootstrap, as a real process, against the fake Runtime API.</summary>
[Collection(DotnetCliCollection.Name)]
public sealed class AotBootstrapTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_published_bootstrap_serves_one_real_invocation()
    {
        var (envelope, expected) = await SampleExecution.RunToEndAsync("order-approval", new Order("o-aot", "ada", 420m));
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Start(await PublishedBootstrap.GetAsync(), api, replayOnly: true);
        try
        {
            var watch = Stopwatch.StartNew();
            api.Enqueue(new NextAnswer("req-aot", envelope, DeadlineMs: DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds(),
                TraceId: "Root=1-00000000-000000000000000000000001"));

            var posted = await api.NextPostedAsync(TimeSpan.FromSeconds(60));
            output.WriteLine($"bootstrap answered {posted.Kind} in {watch.ElapsedMilliseconds} ms (process start included): {posted.Body}");

            Assert.Equal(("response", "req-aot"), (posted.Kind, posted.RequestId));
            var result = Envelopes.Output(posted.Body);
            Assert.Equal(InvocationStatus.Succeeded, result.Status);
            Assert.Equal(expected, result.Result);

            api.Enqueue(new NextAnswer("", "container broken", Status: 500));
            Assert.True(process.WaitForExit(30_000), "the bootstrap did not exit after a 500 from next");
            Assert.Equal(1, process.ExitCode);
        }
        finally
        {
            Stop(process);
        }
    }

    [Fact]
    public async Task The_published_bootstrap_reports_an_init_error_when_the_lambda_client_has_no_region_or_endpoint()
    {
        // The default service client is the Lambda HTTP one; with neither AWS_REGION nor an endpoint it cannot exist.
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Start(await PublishedBootstrap.GetAsync(), api, replayOnly: false);
        try
        {
            var posted = await api.NextPostedAsync(TimeSpan.FromSeconds(60));

            Assert.Equal("init-error", posted.Kind);
            Assert.Contains("No durable execution service client is configured and the Lambda one cannot be created", posted.Body);
            Assert.Contains("AWS_REGION", posted.Body);
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(1, process.ExitCode);
        }
        finally
        {
            Stop(process);
        }
    }

    [Fact]
    public async Task The_published_bootstrap_uses_the_lambda_client_from_the_environment_by_default()
    {
        // AWS_ENDPOINT_URL_LAMBDA configures the default client (no init error); an envelope that already holds every
        // record needs no checkpoint, so the unreachable endpoint is never called and the invocation succeeds.
        var (envelope, expected) = await SampleExecution.RunToEndAsync("order-approval", new Order("o-aot-env", "ada", 420m));
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Start(await PublishedBootstrap.GetAsync(), api, replayOnly: false,
            ("AWS_ENDPOINT_URL_LAMBDA", "http://127.0.0.1:9"), ("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"));
        try
        {
            api.Enqueue(new NextAnswer("req-env", envelope));
            var posted = await api.NextPostedAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(("response", "req-env"), (posted.Kind, posted.RequestId));
            var result = Envelopes.Output(posted.Body);
            Assert.Equal(InvocationStatus.Succeeded, result.Status);
            Assert.Equal(expected, result.Result);
        }
        finally
        {
            Stop(process);
        }
    }

    private static readonly string[] AwsVariables =
    [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DURABLEGEN_SERVICE_CLIENT",
    ];

    private static Process Start(string bootstrap, FakeRuntimeApi api, bool replayOnly, params (string Name, string Value)[] environment)
    {
        var start = new ProcessStartInfo(bootstrap)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        start.Environment["_HANDLER"] = "order-approval";
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "order-approval";
        foreach (var name in AwsVariables)
        {
            start.Environment.Remove(name);
        }

        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }

        if (replayOnly)
        {
            start.Environment["DURABLEGEN_SERVICE_CLIENT"] = "replay-only";
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }
}
