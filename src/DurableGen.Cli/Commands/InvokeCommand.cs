using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Formatting;
using DurableGen.Cli.Local;
using DurableGen.Client;
using Spectre.Console;

namespace DurableGen.Cli.Commands;

/// <summary><c>durablegen invoke</c>: Invoke a function on a running service (a durable one starts an execution).</summary>
internal sealed class InvokeCommand : Command
{
    private readonly CliContext _cli;
    private readonly Option<string?> _endpoint = CliOptions.Endpoint();
    private readonly Argument<string> _function = new("function") { Description = "The function name (or name:alias, or an ARN)." };
    private readonly Option<string?> _input = CliOptions.JsonText("--input", "The event (default {}).");
    private readonly Option<string?> _name = new("--name")
    {
        Description = "The durable execution name (idempotent: a second start with the same name and input is the same execution).",
        HelpName = "execution-name",
    };

    private readonly Option<bool> _sync = new("--sync") { Description = "Invoke with RequestResponse and print the response (default: Event)." };
    private readonly Option<bool> _json = CliOptions.Json("the status code, the execution ARN and the payload");

    public InvokeCommand(CliContext cli)
        : base("invoke", "Invoke a function on a running service: a durable function starts an execution.")
    {
        _cli = cli;
        Add(_function);
        Add(_input);
        Add(_name);
        Add(_sync);
        Add(_json);
        Add(_endpoint);
        SetAction((parse, _) => ExecuteAsync(parse, cli.Shutdown.Token));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var function = parse.GetValue(_function)!;
        using var client = ServiceClient.Connect(parse.GetValue(_endpoint));
        var response = await client.InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = function,
            Payload = parse.GetValue(_input) ?? "{}",
            InvocationType = parse.GetValue(_sync) ? DurableInvocationType.RequestResponse : DurableInvocationType.Event,
            DurableExecutionName = parse.GetValue(_name),
        }, cancellationToken);
        var (arn, status, body) = (response.DurableExecutionArn, response.StatusCode, response.Payload);
        if (parse.GetValue(_json))
        {
            System.Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string?>
            {
                ["StatusCode"] = status.ToString(CultureInfo.InvariantCulture),
                ["DurableExecutionArn"] = arn,
                ["Payload"] = body,
            }, RunJsonContext.Default.DictionaryStringString));
            return 0;
        }

        var output = _cli.Terminal.Out;
        output.WriteLine(arn is null ? $"invoked {function} ({status})" : $"started {arn}");
        if (body is not null)
        {
            output.WriteLine(body);
        }

        return 0;
    }
}
