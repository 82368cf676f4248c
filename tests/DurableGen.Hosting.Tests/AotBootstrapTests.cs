using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using DurableGen.Protocol;
using OrderApproval;
using DurableGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Hosting.Tests;

/// <summary>The sample's x86_64 Native AOT bootstrap (from <c>durablegen package</c>), as a real process, against the
/// fake Runtime API.</summary>
[Collection(DotnetCliCollection.Name)]
public sealed class AotBootstrapTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_published_bootstrap_serves_one_real_invocation()
    {
        var (envelope, expected) = await SampleExecution.RunToEndAsync("order-approval", new Order("o-aot", "ada", 420m));
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Start((await PackagedSample.GetAsync()).Bootstrap("x86_64"), api, replayOnly: true);
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
        using var process = Start((await PackagedSample.GetAsync()).Bootstrap("x86_64"), api, replayOnly: false);
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
        using var process = Start((await PackagedSample.GetAsync()).Bootstrap("x86_64"), api, replayOnly: false,
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

    internal static Process Start(string bootstrap, FakeRuntimeApi api, bool replayOnly, params (string Name, string Value)[] environment) =>
        Start(PackagedSample.Command(bootstrap), api, replayOnly, environment);

    internal static Process Start(ProcessStartInfo start, FakeRuntimeApi api, bool replayOnly, params (string Name, string Value)[] environment)
    {
        start.UseShellExecute = false;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
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

    internal static void Stop(Process process)
    {
        if (!process.HasExited)
        {
            process.Kill();
            process.WaitForExit(10_000);
        }
    }
}
