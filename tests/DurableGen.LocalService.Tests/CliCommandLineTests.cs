using System;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// <c>durablegen</c>'s command line as a user types it, through the real CLI process: what it does not understand is
/// an error before anything is sent, and its help lists every option.
/// </summary>
public sealed class CliCommandLineTests
{
    [Fact]
    public async Task An_unknown_option_is_an_error_and_nothing_is_invoked()
    {
        await using var test = await TestService.StartAsync();

        // `--port` belongs to serve and run; invoke used to drop it and invoke whatever --endpoint (or the default) named.
        var (code, output) = await CliProcess.RunAsync(60, "invoke", "order-flow", "--endpoint", test.Service.BaseAddress.ToString(),
            "--port", "5077");

        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument '--port'", output, StringComparison.Ordinal);
        Assert.Empty(test.Service.Engine.ListExecutions("order-flow"));
    }

    [Fact]
    public async Task Output_that_is_not_a_terminal_has_no_escape_codes()
    {
        await using var test = await TestService.StartAsync();
        await test.StartExecutionAsync(name: "plain-text");

        // A colour terminal by TERM, NO_COLOR unset, but standard output and error are pipes: a table and a coloured
        // status, written as plain text.
        await using var cli = CliProcess.Start(["executions", "order-flow", "--endpoint", test.Service.BaseAddress.ToString()], noColor: false);
        Assert.Equal(0, await cli.WaitForExitAsync(60));

        Assert.Matches(@"(?m)^NAME\s+STATUS\s+STARTED\s+ENDED\s+ARN\s*$", cli.Output);
        Assert.Matches(@"(?m)^plain-text\s+RUNNING\s", cli.Output);
        Assert.DoesNotContain('\u001b', cli.Output);
    }

    [Fact]
    public async Task An_unexpected_argument_is_an_error()
    {
        var (code, output) = await CliProcess.RunAsync(60, "history", "arn-1", "arn-2");

        Assert.Equal(2, code);
        Assert.Contains("Unrecognized command or argument 'arn-2'", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--port must be a whole number, not 'abc'", "serve", "--port", "abc")]
    [InlineData("--port must be 0-65535, not 70000", "serve", "--port", "70000")]
    [InlineData("--concurrency must be 1-64, not 0", "run", "tests/DurableGen.TestFunctions", "--concurrency", "0")]
    [InlineData("--timeout must be 0 or more, not -1", "run", "tests/DurableGen.TestFunctions", "--timeout", "-1")]
    [InlineData("--fsync syncs the commits of --db; without --db the executions are kept in memory.", "run", "tests/DurableGen.TestFunctions", "--fsync")]
    [InlineData("--arch takes x86_64 and arm64, not 'arm'", "package", "samples/OrderApproval", "--arch", "x86_64,arm")]
    public async Task A_value_out_of_its_range_is_an_error_before_anything_runs(string error, params string[] arguments)
    {
        var (code, output) = await CliProcess.RunAsync(60, arguments);

        Assert.Equal(2, code);
        Assert.Contains("error: " + error, output, StringComparison.Ordinal);
        Assert.DoesNotContain("building", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_help_lists_every_option_timeout_included()
    {
        var (code, output) = await CliProcess.RunAsync(60, "run", "--help");

        Assert.Equal(0, code);
        foreach (var option in new[] { "--timeout <seconds>", "--input <json>", "--function", "--port", "--db", "--fsync", "--json", "--keep",
                     "--template", "-c, --configuration", "--no-build", "--concurrency", "--bootstrap" })
        {
            Assert.Contains(option, output, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("run", "--no-traces", "OTEL_EXPORTER_OTLP_ENDPOINT")] // leave the functions' trace export off
    [InlineData("serve", "--no-traces", "OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("run", "--fsync", "survives a power cut")] // sync every commit to the disk
    [InlineData("serve", "--fsync", "survives a power cut")]
    public async Task Run_and_serve_share_their_local_service_options(string command, string option, string helpSays)
    {
        var (code, output) = await CliProcess.RunAsync(60, command, "--help");

        Assert.Equal(0, code);
        Assert.Contains(option, output, StringComparison.Ordinal);
        Assert.Contains(helpSays, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--result", "callback", "succeed", "cb-1", "--result", "approved")]
    [InlineData("--input", "invoke", "order-flow", "--input", "{\"OrderId\":")]
    public async Task A_value_that_must_be_json_and_is_not_is_an_error_before_anything_is_sent(string option, params string[] arguments)
    {
        // A socket that counts who connects: the service the command would have sent to.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var connections = 0;
        using var stop = new CancellationTokenSource();
        var accepting = Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(stop.Token);
                Interlocked.Increment(ref connections);
            }
        });
        var endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";

        var (code, output) = await CliProcess.RunAsync(60, [.. arguments, "--endpoint", endpoint]);

        Assert.Equal(2, code);
        Assert.Contains($"{option} must be JSON", output, StringComparison.Ordinal);
        Assert.Equal(0, Volatile.Read(ref connections));

        // The same command with JSON does reach the socket (which hangs up on it).
        var json = (string[])arguments.Clone();
        json[^1] = "\"approved\"";
        await CliProcess.RunAsync(60, [.. json, "--endpoint", endpoint]);
        Assert.Equal(1, Volatile.Read(ref connections));
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => accepting);
    }
}
