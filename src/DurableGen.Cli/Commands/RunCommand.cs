using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Formatting;
using DurableGen.Cli.Local;
using DurableGen.Client;
using DurableGen.LocalService;
using DurableGen.Protocol;
using Spectre.Console;

namespace DurableGen.Cli.Commands;

/// <summary>
/// <c>durablegen run</c>: builds a project, starts a private service with each function of its template as its own
/// process, starts one execution and streams its history until it closes. When the execution can only go on once a
/// callback is answered, it says how to answer it (the service's endpoint is printed for that) and waits.
/// </summary>
internal sealed class RunCommand : Command
{
    /// <summary>How long a run may last without <c>--timeout</c>, not counting time spent waiting for a callback.</summary>
    private const int DefaultTimeoutSeconds = 120;

    private readonly CliContext _cli;
    private readonly Argument<string> _project = CliOptions.Project("The project to build and run");
    private readonly Option<string?> _input = CliOptions.JsonText("--input",
        "The execution's input (default: \"start\".\"input\" of durablegen.json, else {}).");
    private readonly Option<string?> _function = new("--function")
    {
        Description = "The durable function to start (default: \"start\".\"function\" of durablegen.json, else the template's first).",
        HelpName = "name",
    };

    private readonly Option<int> _port = CliOptions.Port(0, "The private service's port on 127.0.0.1 (0: any free port; the endpoint is printed).");
    private readonly Option<string?> _db = CliOptions.Database("Keep executions in this SQLite database (default: in memory).");
    private readonly Option<bool> _fsync = CliOptions.Fsync();
    private readonly Option<bool> _json = CliOptions.Json("the execution and its history");
    private readonly Option<bool> _keep = new("--keep")
    {
        Description = "Keep the service and its dashboard up after the execution closes, until Ctrl+C or SIGTERM.",
    };

    private readonly Option<int?> _timeout = new("--timeout")
    {
        Description = $"Fail when the execution is still running after this many seconds (0: never). Default: {DefaultTimeoutSeconds}, " +
                      "not counting time spent waiting for a callback.",
        HelpName = "seconds",
        CustomParser = result => CliOptions.Integer(result, "--timeout", 0, int.MaxValue),
    };

    private readonly ProjectOptions _functions = new();

    public RunCommand(CliContext cli)
        : base("run", "Build a project, run each function of its template as its own process on a private local service, " +
                      "start one execution and stream its history until it closes (exit code 0 when it succeeded). " +
                      "An execution waiting for a callback gets the command that completes it.")
    {
        _cli = cli;
        Add(_project);
        Add(_input);
        Add(_function);
        Add(_port);
        Add(_db);
        Add(_fsync);
        Add(_json);
        Add(_keep);
        Add(_timeout);
        _functions.AddTo(this);
        Validators.Add(result =>
        {
            if (result.GetValue(_fsync) && result.GetValue(_db) is null)
            {
                result.AddError("--fsync syncs the commits of --db; without --db the executions are kept in memory.");
            }
        });
        SetAction((parse, _) => ExecuteAsync(parse, cli.Shutdown.Token));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var terminal = _cli.Terminal;
        var json = parse.GetValue(_json);
        var projectPath = parse.GetValue(_project)!;
        var file = ProjectFunctions.ProjectFile(projectPath);
        var project = await terminal.StatusAsync($"building {Path.GetRelativePath(Environment.CurrentDirectory, file)} ...", json,
            () => ProjectFunctions.BuildAsync(projectPath, _functions.Build(parse), parse.GetValue(_functions.Template),
                parse.GetValue(_functions.Bootstrap), cancellationToken));
        var names = string.Join(", ", project.Functions.Select(f => f.Name));
        var function = parse.GetValue(_function) ?? project.StartFunction
            ?? throw new CliException($"The template has no durable function to start (it has: {names}); a local run starts a durable execution.");
        if (!project.Functions.Any(f => f.Name == function && f.IsDurable))
        {
            throw new CliException($"{function} is not a durable function of the project (it has: {names}).");
        }

        var input = parse.GetValue(_input) ?? project.StartInput ?? "{}";
        SandboxStop? stopped = null;
        var options = new LocalServiceOptions
        {
            Port = parse.GetValue(_port),
            CollectTraces = !parse.GetValue(_functions.NoTraces),
            DatabasePath = parse.GetValue(_db),
            CommitDurability = CliOptions.Durability(parse.GetValue(_fsync)),
            FunctionOutput = (name, line) =>
            {
                if (!json)
                {
                    terminal.Error.MarkupLineInterpolated($"  [blue][[{name}]][/] {line}");
                }
            },
            Log = line =>
            {
                if (!json)
                {
                    terminal.Notice("  " + line);
                }
            },
            SandboxStopped = stop => Interlocked.CompareExchange(ref stopped, stop, null),
        };
        project.AddTo(options, parse.GetValue(_functions.Concurrency));
        await using var service = new LocalDurableService(options);
        await service.StartAsync(cancellationToken);
        var endpoint = service.BaseAddress.ToString().TrimEnd('/');
        if (!json)
        {
            terminal.Out.MarkupLineInterpolated(
                $"local service on [bold]{endpoint}[/] with {string.Join(", ", project.Functions.Select(f => f.Name + (f.IsDurable ? "" : " (plain)")))}");
            terminal.Out.WriteLine($"functions from {Path.GetRelativePath(Environment.CurrentDirectory, project.TemplatePath)}" +
                                   (project.Bootstrap is { } bootstrap ? $", each run as {bootstrap}" : ""));
        }

        using var client = ServiceClient.For(service.BaseAddress);
        var started = await client.InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = function,
            Payload = input,
            InvocationType = DurableInvocationType.Event,
        }, cancellationToken);
        var arn = started.DurableExecutionArn ?? throw new CliException($"Invoke of {function} answered no execution ARN.");
        if (!json)
        {
            terminal.Out.WriteLine($"started {arn}");
            terminal.Out.WriteLine($"input   {input}");
            terminal.Out.WriteLine();
        }

        var limit = parse.GetValue(_timeout);
        var timeout = TimeSpan.FromSeconds(limit ?? DefaultTimeoutSeconds);
        var counted = TimeSpan.Zero; // the whole run with --timeout; without, the time not spent waiting for a callback
        var clock = Stopwatch.StartNew();
        var announced = new HashSet<string>(StringComparer.Ordinal);
        var printed = 0;
        GetDurableExecutionResponse execution;
        while (true)
        {
            execution = await client.GetDurableExecutionAsync(arn, cancellationToken);
            var events = await client.ReadHistoryAsync(arn, cancellationToken);
            for (; printed < events.Count; printed++)
            {
                if (!json)
                {
                    terminal.Out.Write(Output.EventLine(events[printed]));
                    terminal.Out.WriteLine();
                }
            }

            if (execution.Status != ExecutionStatus.Running)
            {
                break;
            }

            if (Volatile.Read(ref stopped) is { } stop)
            {
                return Stopped(stop);
            }

            var callbacks = PendingCallbacks.Blocking(service.Engine, arn);
            foreach (var callback in callbacks.Where(c => announced.Add(c.Id)))
            {
                Announce(callback, endpoint, json);
            }

            var elapsed = clock.Elapsed;
            clock.Restart();
            if (limit is not null || callbacks.Count == 0)
            {
                counted += elapsed;
            }

            if (limit is not 0 && counted > timeout)
            {
                throw new CliException($"The execution is still RUNNING after {timeout.TotalSeconds:0} s (--timeout); its history is above.");
            }

            await Task.Delay(200, cancellationToken);
        }

        var final = Output.Name(execution.Status);
        if (json)
        {
            Output.ExecutionJson(execution, await client.ReadHistoryAsync(arn, cancellationToken));
        }
        else
        {
            var outcome = execution.Result
                          ?? (execution.Error is { } error ? JsonSerializer.Serialize(error, ProtocolJson.Rest.ErrorObject) : "");
            terminal.Out.WriteLine();
            terminal.Out.Write(Output.Status(final));
            terminal.Out.WriteLine($": {outcome}");
            terminal.Out.WriteLine($"history: durablegen history '{arn}' (while a service runs on this database)");
        }

        var code = final == "SUCCEEDED" ? 0 : 1;
        if (parse.GetValue(_keep))
        {
            terminal.Notice($"dashboard at {service.BaseAddress} — Ctrl+C or SIGTERM stops the service.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // the normal end of --keep: the run's outcome is the execution's
            }
        }

        return code;
    }

    /// <summary>Tells how to complete a callback the execution waits for, with the commands to run (on lines that are
    /// never broken, so they copy from a terminal whole).</summary>
    private void Announce(PendingCallback callback, string endpoint, bool json)
    {
        var console = json ? _cli.Terminal.Error : _cli.Terminal.Out;
        var id = ShellWord(callback.Id);
        console.WriteLine();
        console.MarkupLineInterpolated(
            $"[yellow]waiting for callback {callback.Name ?? "(unnamed)"}[/]: nothing else can happen until it is answered. Answer it with:");
        console.WriteLine($"  durablegen callback succeed {id} --result '<json>' --endpoint {endpoint}");
        console.WriteLine($"  durablegen callback fail {id} --error '<message>' --endpoint {endpoint}");
        console.WriteLine();
    }

    /// <summary>Ends the run when a function process cannot be restarted: the run cannot go on without it.</summary>
    private int Stopped(SandboxStop stop)
    {
        if (stop.Signal is { } signal)
        {
            // The process group is being stopped (Ctrl+C, kill); this process got, or is about to get, the same signal.
            _cli.Terminal.Notice(stop.Message);
            return 128 + signal;
        }

        _cli.Terminal.Fail(stop.Message);
        return 1;
    }

    /// <summary><paramref name="text"/> as one word for a POSIX shell.</summary>
    private static string ShellWord(string text) =>
        text.Length > 0 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '=' or ':' or '/' or '+')
            ? text
            : "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
