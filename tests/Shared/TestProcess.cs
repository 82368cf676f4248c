using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.TestSupport;

/// <summary>Runs a program the way a user's shell would and collects what it prints; a program that is not installed
/// or does not finish in time fails the test with a message that says so.</summary>
internal static class TestProcess
{
    /// <summary>Runs <paramref name="file"/> with <paramref name="arguments"/>; <paramref name="missing"/> is the failure
    /// when the program is not installed.</summary>
    public static async Task<(int Code, string Stdout, string Stderr)> RunAsync(string file, string[] arguments, int timeoutSeconds,
        string missing, string? workingDirectory = null)
    {
        var info = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
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
