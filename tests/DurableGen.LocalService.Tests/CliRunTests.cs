using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.TestSupport;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// <c>durablegen run</c> on the test functions, through the real CLI process: a workflow found by its class name, a
/// human-in-the-loop workflow completed with the command the run prints, and a function program that never asks for
/// work, which is reported instead of restarted forever.
/// </summary>
public sealed class CliRunTests(ITestOutputHelper output)
{
    private static string[] Run(params string[] arguments) =>
        ["run", "tests/DurableGen.TestFunctions", "-c", Artifacts.Configuration, "--no-build", .. arguments];

    [Fact]
    public async Task A_workflow_without_a_FunctionName_is_found_by_its_class_name_and_runs()
    {
        var (code, text) = await CliProcess.RunAsync(120, Run("--function", "Greeting", "--input", "\"ada\""));
        output.WriteLine(text);

        Assert.Equal(0, code);
        Assert.Contains("SUCCEEDED: \"hello, ada\"", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_run_waiting_for_a_callback_prints_the_command_that_completes_it_and_waits_for_it()
    {
        await using var run = CliProcess.Start(Run("--function", "awaits-approval", "--input", "\"o-7\""));
        try
        {
            var command = (await run.WaitForLineAsync(new Regex(@"^\s+(durablegen callback succeed (\S+) --result '<json>' --endpoint http://127\.0\.0\.1:\d+)$"), 60));
            var callbackId = command.Groups[2].Value;
            Assert.Contains("waiting for callback approval-callback: nothing else can happen until it is answered", run.Output,
                StringComparison.Ordinal);
            Assert.Contains($"callback {callbackId}", run.Output, StringComparison.Ordinal); // the CallbackStarted event's id
            Assert.False(run.HasExited);

            // What a person does: copy the command, put the answer in, run it (durablegen is this build of the CLI).
            var line = command.Groups[1].Value.Replace("'<json>'", "'{\"Approved\":true,\"By\":\"kim\"}'", StringComparison.Ordinal);
            var (code, answered, error) = await TestProcess.RunAsync("/bin/sh",
                ["-c", $"durablegen() {{ dotnet '{Artifacts.Cli}' \"$@\"; }}; {line}"], 60, "sh is missing");
            Assert.True(code == 0, answered + error);
            Assert.Contains("callback succeed: sent", answered, StringComparison.Ordinal);

            Assert.Equal(0, await run.WaitForExitAsync(60));
            Assert.Contains("SUCCEEDED: \"o-7 approved by kim\"", run.Output, StringComparison.Ordinal);
        }
        finally
        {
            run.WriteOutputTo(output);
        }
    }

    [Fact]
    public async Task A_function_program_that_exits_0_without_asking_for_work_is_reported_not_restarted()
    {
        // A program that is not a Lambda runtime: what a project's own Main that never calls the generated host is.
        var folder = Directory.CreateTempSubdirectory("durablegen-not-a-runtime-").FullName;
        var program = Path.Combine(folder, "bootstrap");
        await File.WriteAllTextAsync(program, "#!/bin/sh\necho 'Hello, World!'\nexit 0\n");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(program, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        var clock = Stopwatch.StartNew();
        int code;
        string text;
        try
        {
            (code, text) = await CliProcess.RunAsync(60, Run("--function", "Greeting", "--input", "\"ada\"", "--bootstrap", program));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        output.WriteLine(text);

        Assert.Equal(1, code);
        Assert.InRange(clock.Elapsed.TotalSeconds, 0, 30);
        Assert.Contains("exited with code 0 without asking for an invocation", text, StringComparison.Ordinal);
        Assert.Contains("DG1018", text, StringComparison.Ordinal);
        Assert.DoesNotContain("restarting", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_binary_run_by_hand_says_what_it_is_and_how_to_run_it()
    {
        var info = new ProcessStartInfo("dotnet", [Artifacts.TestFunctions])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("AWS_LAMBDA_RUNTIME_API");
        using var process = Process.Start(info)!;
        var stderr = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();

        Assert.NotEqual(0, process.ExitCode);
        Assert.Contains("is an AWS Lambda function", stderr, StringComparison.Ordinal);
        Assert.Contains("five-steps", stderr, StringComparison.Ordinal);
        Assert.Contains("durablegen run <project>", stderr, StringComparison.Ordinal);
        Assert.Contains("durablegen package <project>", stderr, StringComparison.Ordinal);
    }
}
