using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// <c>durablegen serve</c> as its own process (the CLI's built <c>DurableGen.Cli.dll</c>), on a free port, with the
/// test functions as its function processes; <see cref="KillAsync"/> is <c>kill -9</c>.
/// </summary>
internal sealed partial class ServiceProcess : ServiceApi, IAsyncDisposable
{
    private readonly Process _process;

    /// <summary><see cref="ServiceApi.Output"/> is everything the service process wrote: its notices and its
    /// functions' output.</summary>
    private ServiceProcess(Process process, Uri baseAddress, List<string> output)
        : base(baseAddress, output)
    {
        _process = process;
    }

    /// <summary>Starts <c>durablegen serve --port 0 --db <paramref name="database"/> --project
    /// tests/DurableGen.TestFunctions --no-build</c> (plus <paramref name="extra"/>) and waits for the address it
    /// prints.</summary>
    public static Task<ServiceProcess> StartAsync(string database, params string[] extra) =>
        StartAsync(database, new Dictionary<string, string>(), extra);

    /// <summary>As <see cref="StartAsync(string, string[])"/>, with <paramref name="environment"/> added to the service
    /// process's environment (a test fault, say).</summary>
    public static async Task<ServiceProcess> StartAsync(string database, IReadOnlyDictionary<string, string> environment,
        params string[] extra)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = DurableGen.TestSupport.RepositoryRoot.Path,
        };
        foreach (var argument in new[]
                 {
                     Artifacts.Cli, "serve", "--port", "0", "--db", database,
                     "--project", "tests/DurableGen.TestFunctions", "-c", Artifacts.Configuration, "--no-build",
                 }.Concat(extra))
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var output = new List<string>();
        var address = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            lock (output)
            {
                output.Add(e.Data);
            }

            if (Listening().Match(e.Data) is { Success: true } match)
            {
                address.TrySetResult(new Uri(match.Groups[1].Value));
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Exited += (_, _) => address.TrySetException(new InvalidOperationException(
            $"durablegen serve exited with code {process.ExitCode}:\n{string.Join("\n", output)}"));
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        Uri uri;
        try
        {
            uri = await address.Task.WaitAsync(TimeSpan.FromSeconds(60));
        }
        catch
        {
            // A service that did not start in time would otherwise outlive the test, with its function processes.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            process.Dispose();
            throw;
        }

        return new ServiceProcess(process, uri, output);
    }

    /// <summary>The <c>durablegen serve</c> process.</summary>
    public Process Process => _process;

    /// <summary>SIGKILL, as <c>kill -9</c>: no shutdown code runs (its function processes are left behind).</summary>
    public async Task KillAsync()
    {
        _process.Kill(entireProcessTree: false);
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }

    [GeneratedRegex(@"^durable execution service on (http://\S+)")]
    private static partial Regex Listening();
}
