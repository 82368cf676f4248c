using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Formatting;
using DurableGen.Cli.Local;
using Spectre.Console;

namespace DurableGen.Cli.Commands;

/// <summary><c>durablegen history</c>: an execution's status and every event of its history.</summary>
internal sealed class HistoryCommand : Command
{
    private readonly CliContext _cli;
    private readonly Argument<string> _arn = new("execution-arn") { Description = "The durable execution ARN." };
    private readonly Option<bool> _json = CliOptions.Json("the execution and its events");
    private readonly Option<string?> _endpoint = CliOptions.Endpoint();

    public HistoryCommand(CliContext cli)
        : base("history", "Show an execution's status and every event of its history.")
    {
        _cli = cli;
        Add(_arn);
        Add(_json);
        Add(_endpoint);
        SetAction((parse, _) => ExecuteAsync(parse, cli.Shutdown.Token));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var arn = parse.GetValue(_arn)!;
        using var client = ServiceClient.Connect(parse.GetValue(_endpoint));
        var execution = await client.GetDurableExecutionAsync(arn, cancellationToken);
        var events = await client.ReadHistoryAsync(arn, cancellationToken);
        if (parse.GetValue(_json))
        {
            Output.ExecutionJson(execution, events);
            return 0;
        }

        var output = _cli.Terminal.Out;
        output.Write(new Spectre.Console.Text(execution.DurableExecutionArn + "  "));
        output.Write(Output.Status(Output.Name(execution.Status)));
        output.WriteLine();
        _cli.Terminal.Tables.Write(Output.EventTable(events, _cli.Terminal.OutIsTerminal));
        return 0;
    }
}
