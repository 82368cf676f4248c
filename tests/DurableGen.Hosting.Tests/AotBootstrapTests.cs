using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using OrderApproval;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Hosting.Tests;

/// <summary>Runs only when DURABLEGEN_AOT_BOOTSTRAP names a published bootstrap (.ci/run publishes one and sets it).</summary>
public sealed class AotBootstrapFactAttribute : FactAttribute
{
    public const string Variable = "DURABLEGEN_AOT_BOOTSTRAP";

    public AotBootstrapFactAttribute()
    {
        if (!File.Exists(Environment.GetEnvironmentVariable(Variable)))
        {
            Skip = $"Set {Variable} to a Native AOT bootstrap from `dotnet publish samples/OrderApproval -c Release -r linux-x64` (.ci/run does).";
        }
    }
}

/// <summary>The sample's Native AOT bootstrap, as a real process, against the fake Runtime API.</summary>
public sealed class AotBootstrapTests(ITestOutputHelper output)
{
    private static string Bootstrap => Environment.GetEnvironmentVariable(AotBootstrapFactAttribute.Variable)!;

    [AotBootstrapFact]
    public async Task The_published_bootstrap_serves_one_real_invocation()
    {
        var (envelope, expected) = await SampleExecution.RunToEndAsync("order-approval", new Order("o-aot", "ada", 420m));
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Start(api, replayOnly: true);
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

    [AotBootstrapFact]
    public async Task The_published_bootstrap_reports_an_init_error_without_a_service_client()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        using var process = Start(api, replayOnly: false);
        try
        {
            var posted = await api.NextPostedAsync(TimeSpan.FromSeconds(60));

            Assert.Equal("init-error", posted.Kind);
            Assert.Contains("No durable execution service client is configured", posted.Body);
            Assert.True(process.WaitForExit(30_000));
            Assert.Equal(1, process.ExitCode);
        }
        finally
        {
            Stop(process);
        }
    }

    private static Process Start(FakeRuntimeApi api, bool replayOnly)
    {
        var start = new ProcessStartInfo(Bootstrap)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["AWS_LAMBDA_RUNTIME_API"] = api.Address;
        start.Environment["_HANDLER"] = "order-approval";
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = "order-approval";
        start.Environment.Remove("DURABLEGEN_SERVICE_CLIENT");
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
