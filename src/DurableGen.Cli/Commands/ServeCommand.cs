using System;
using System.CommandLine;
using System.IO;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Local;
using DurableGen.Emulator.Store;
using DurableGen.LocalService;
using Spectre.Console;

namespace DurableGen.Cli.Commands;

/// <summary><c>durablegen serve</c>: the local durable execution service until SIGINT or SIGTERM, optionally with a
/// project's functions as its processes.</summary>
internal sealed class ServeCommand : Command
{
    private const int DefaultPort = 5055;
    private readonly CliContext _cli;
    private readonly Option<int> _port = CliOptions.Port(DefaultPort, "The port on 127.0.0.1 (0: any free port).");
    private readonly Option<string?> _db = CliOptions.Database("The SQLite database of executions (default .durablegen/executions.db).");
    private readonly Option<bool> _fsync = CliOptions.Fsync();
    private readonly Option<string?> _project = new("--project")
    {
        Description = "Build this project (a folder or a .csproj) and run each function of its template as its own process.",
        HelpName = "project",
    };

    private readonly ProjectOptions _functions = new();

    public ServeCommand(CliContext cli)
        : base("serve", "Run the local durable execution service (the durable APIs, Invoke, a Runtime API per function and " +
                        "a dashboard on 127.0.0.1) until Ctrl+C or SIGTERM, which stop its function processes, close the " +
                        "database and exit 0.")
    {
        _cli = cli;
        Add(_port);
        Add(_db);
        Add(_fsync);
        Add(_project);
        _functions.AddTo(this);
        SetAction((parse, _) => ExecuteAsync(parse, cli.Shutdown.Token));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var terminal = _cli.Terminal;
        var options = new LocalServiceOptions
        {
            Port = parse.GetValue(_port),
            CollectTraces = !parse.GetValue(_functions.NoTraces),
            DatabasePath = parse.GetValue(_db) ?? Path.Combine(".durablegen", "executions.db"),
            CommitDurability = CliOptions.Durability(parse.GetValue(_fsync)),
            Log = terminal.Notice,
            FunctionOutput = (name, line) => terminal.Error.MarkupLineInterpolated($"[blue][[{name}]][/] {line}"),
            SandboxStopped = stop => terminal.Fail(stop.Message),
        };
        var concurrency = parse.GetValue(_functions.Concurrency);
        if (parse.GetValue(_project) is { } project)
        {
            var file = ProjectFunctions.ProjectFile(project);
            var functions = await terminal.StatusAsync($"building {Path.GetRelativePath(Environment.CurrentDirectory, file)} ...",
                quiet: false, () => ProjectFunctions.BuildAsync(project, _functions.Build(parse), parse.GetValue(_functions.Template),
                    parse.GetValue(_functions.Bootstrap), cancellationToken));
            functions.AddTo(options, concurrency);
            terminal.Notice($"functions from {Path.GetRelativePath(Environment.CurrentDirectory, functions.TemplatePath)}" +
                            (functions.Bootstrap is { } bootstrap ? $", each run as {bootstrap}" : ""));
        }
        else if (concurrency is not null || parse.GetResult(_functions.Template) is not null
                                         || parse.GetResult(_functions.Bootstrap) is not null)
        {
            throw new CliException("--template, --concurrency and --bootstrap apply to the functions of --project; give one.");
        }

        await using (var service = new LocalDurableService(options))
        {
            await service.StartAsync(cancellationToken);
            var output = terminal.Out;
            output.WriteLine($"durable execution service on {service.BaseAddress} (database {Path.GetFullPath(options.DatabasePath)}" +
                             (options.CommitDurability == CommitDurability.PowerLoss ? ", each commit synced to the disk)" : ")"));
            output.WriteLine($"  dashboard      {service.BaseAddress}");
            output.WriteLine($"  functions use  AWS_ENDPOINT_URL_LAMBDA={service.BaseAddress.ToString().TrimEnd('/')}");
            output.WriteLine($"  traces (OTLP)  OTEL_EXPORTER_OTLP_ENDPOINT={service.BaseAddress.ToString().TrimEnd('/')}");
            foreach (var function in options.Functions)
            {
                output.WriteLine($"  {function.Name,-24} AWS_LAMBDA_RUNTIME_API={service.RuntimeApiFor(function.Name)}");
            }

            output.WriteLine("Ctrl+C or SIGTERM stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
                terminal.Notice("stopping: function processes, the listener, the database ...");
            }
        }

        terminal.Notice("stopped.");
        return 0;
    }
}
