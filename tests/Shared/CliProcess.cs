using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.TestSupport;

/// <summary>
/// The <c>durablegen</c> CLI as its own process (the <c>DurableGen.Cli.dll</c> the test project's <c>CliAssembly</c>
/// metadata names, built alongside it, run from the repository root),
/// in its own process group as a shell starts a job, so a signal can go to it alone or to the whole group (what
/// Ctrl+C in a terminal, <c>timeout</c> or a container stop do). Its output is collected line by line, with no
/// terminal and <c>NO_COLOR</c> set.
/// </summary>
internal sealed partial class CliProcess : IAsyncDisposable
{
    public const int SigInt = 2;
    public const int SigKill = 9;
    public const int SigTerm = 15;

    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly SemaphoreSlim _changed = new(0);

    private CliProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    /// <summary>The built CLI this test project runs.</summary>
    public static string Cli { get; } = System.IO.Path.GetFullPath(typeof(CliProcess).Assembly
        .GetCustomAttributes<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "CliAssembly").Value!);

    /// <summary>The configuration this test project (and so the projects it runs) was built in.</summary>
    public static string Configuration { get; } =
        typeof(CliProcess).Assembly.GetCustomAttribute<System.Reflection.AssemblyConfigurationAttribute>()!.Configuration;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything it wrote so far, standard output and error interleaved as they came.</summary>
    public string Output
    {
        get
        {
            lock (_lines)
            {
                return string.Join("\n", _lines);
            }
        }
    }

    /// <summary>Starts <c>durablegen <paramref name="arguments"/></c> (via <c>setsid</c>: its own process group).</summary>
    public static CliProcess Start(params string[] arguments) => Start(arguments, noColor: true);

    /// <summary><see cref="Start(string[])"/>, with <c>NO_COLOR</c> unset and <c>TERM</c> naming a colour terminal when
    /// <paramref name="noColor"/> is false: what a redirected run in a user's shell gets.</summary>
    public static CliProcess Start(string[] arguments, bool noColor)
    {
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = RepositoryRoot.Path,
        };
        if (noColor)
        {
            info.Environment["NO_COLOR"] = "1";
        }
        else
        {
            info.Environment.Remove("NO_COLOR");
            info.Environment["TERM"] = "xterm-256color";
        }

        info.ArgumentList.Add("dotnet");
        info.ArgumentList.Add(Cli);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var cli = new CliProcess(process);
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (cli._lines)
                {
                    cli._lines.Add(e.Data);
                }

                cli._changed.Release();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Exited += (_, _) => cli._changed.Release();
        process.Start();
        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return cli;
    }

    /// <summary>Runs <c>durablegen <paramref name="arguments"/></c> to its end.</summary>
    public static async Task<(int Code, string Output)> RunAsync(int timeoutSeconds, params string[] arguments)
    {
        await using var cli = Start(arguments);
        var code = await cli.WaitForExitAsync(timeoutSeconds);
        return (code, cli.Output);
    }

    /// <summary>Waits until a line matches <paramref name="pattern"/> and returns the match; fails the test when the
    /// process exits first or <paramref name="seconds"/> pass.</summary>
    public async Task<Match> WaitForLineAsync(Regex pattern, int seconds)
    {
        var deadline = DateTime.UtcNow.AddSeconds(seconds);
        while (true)
        {
            var exited = _process.HasExited;
            if (exited)
            {
                await _process.WaitForExitAsync(); // and for the last of its output
            }

            lock (_lines)
            {
                if (_lines.Select(l => pattern.Match(l)).FirstOrDefault(m => m.Success) is { } match)
                {
                    return match;
                }
            }

            Assert.False(exited, $"durablegen exited with code {(exited ? _process.ExitCode : 0)} before printing a line like {pattern}:\n{Output}");
            var left = deadline - DateTime.UtcNow;
            Assert.True(left > TimeSpan.Zero, $"durablegen printed no line like {pattern} in {seconds} s:\n{Output}");
            await _changed.WaitAsync(left < TimeSpan.FromSeconds(1) ? left : TimeSpan.FromSeconds(1));
        }
    }

    /// <summary>The ids of the function processes it said it started (<c>[name] started process N</c>).</summary>
    public IReadOnlyList<int> FunctionProcessIds()
    {
        lock (_lines)
        {
            return _lines.Select(l => Started().Match(l)).Where(m => m.Success).Select(m => int.Parse(m.Groups[1].Value)).ToList();
        }
    }

    /// <summary>Sends <paramref name="signal"/> to the CLI, or to its whole process group.</summary>
    public void Signal(int signal, bool group = false) => Send(group ? -_process.Id : _process.Id, signal);

    /// <summary><c>kill -<paramref name="signal"/> <paramref name="pid"/></c> (a negative pid: that process group).</summary>
    public static void Send(int pid, int signal) => Assert.Equal(0, Kill(pid, signal));

    /// <summary>Waits for the exit and returns the exit code; fails the test after <paramref name="seconds"/>.</summary>
    public async Task<int> WaitForExitAsync(int seconds)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(seconds));
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"durablegen did not exit in {seconds} s:\n{Output}");
        }

        return _process.ExitCode;
    }

    /// <summary>Whether a process with this id is alive (a zombie is not).</summary>
    public static bool IsAlive(int pid)
    {
        var status = $"/proc/{pid}/status";
        try
        {
            return File.Exists(status) && !File.ReadLines(status).Any(l => l.StartsWith("State:", StringComparison.Ordinal) && l.Contains("zombie"));
        }
        catch (IOException)
        {
            return false; // gone while reading
        }
    }

    /// <summary>Shows <see cref="Output"/> in the test's output (call it in a finally block).</summary>
    public void WriteOutputTo(ITestOutputHelper output) => output.WriteLine(Output);

    public async ValueTask DisposeAsync()
    {
        // The whole group, even after the CLI exited: any function process it left behind goes too.
        Kill(-_process.Id, SigKill);
        await _process.WaitForExitAsync();

        _process.Dispose();
        _changed.Dispose();
    }

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    [GeneratedRegex(@"\] started process (\d+)$")]
    private static partial Regex Started();
}
