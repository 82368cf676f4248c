using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Formatting;
using DurableGen.Cli.Local;
using DurableGen.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurableGen.Cli.Commands;

/// <summary><c>durablegen executions</c>: a function's executions, newest first.</summary>
internal sealed class ExecutionsCommand : Command
{
    private readonly CliContext _cli;
    private readonly Argument<string> _function = new("function") { Description = "The function name." };
    private readonly Option<bool> _json = CliOptions.Json("the service's ListDurableExecutionsByFunction answer");
    private readonly Option<string?> _endpoint = CliOptions.Endpoint();

    public ExecutionsCommand(CliContext cli)
        : base("executions", "List a function's executions, newest first.")
    {
        _cli = cli;
        Add(_function);
        Add(_json);
        Add(_endpoint);
        SetAction((parse, _) => ExecuteAsync(parse, cli.Shutdown.Token));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        using var client = ServiceClient.Connect(parse.GetValue(_endpoint));
        var list = await client.ListDurableExecutionsByFunctionAsync(
            new ListDurableExecutionsByFunctionRequest { FunctionName = parse.GetValue(_function)!, MaxItems = 1000 }, cancellationToken);
        if (parse.GetValue(_json))
        {
            Output.Json(JsonSerializer.SerializeToElement(list, ProtocolJson.Rest.ListDurableExecutionsByFunctionResponse));
            return 0;
        }

        var rows = list.DurableExecutions.Select(e => (IReadOnlyList<IRenderable>)
        [
            new Text(e.DurableExecutionName), Output.Status(Output.Name(e.Status)),
            new Text(Output.Time(e.StartTimestamp)), new Text(Output.Time(e.EndTimestamp)),
            new Text(e.DurableExecutionArn),
        ]);
        _cli.Terminal.Tables.Write(Output.Table(["NAME", "STATUS", "STARTED", "ENDED", "ARN"], rows, _cli.Terminal.OutIsTerminal));
        return 0;
    }
}
