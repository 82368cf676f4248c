using System;
using System.CommandLine;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Local;
using DurableGen.Client;
using DurableGen.Protocol;
using Spectre.Console;

namespace DurableGen.Cli.Commands;

/// <summary><c>durablegen callback succeed|fail|heartbeat</c>: answer a callback an execution waits for.</summary>
internal sealed class CallbackCommand : Command
{
    public CallbackCommand(CliContext cli)
        : base("callback", "Answer a callback an execution waits for (its id is in the history: CallbackStarted).")
    {
        var result = CliOptions.JsonText("--result", "The callback's result, as the workflow deserializes it (default: none).",
            example: "approved");
        Add(Answer(cli, "succeed", "Complete the callback with a result.", [result],
            (client, id, parse, cancellationToken) => client.SendCallbackSuccessAsync(id, parse.GetValue(result), cancellationToken)));

        var error = new Option<string?>("--error") { Description = "The error message.", HelpName = "message" };
        var errorType = new Option<string?>("--error-type") { Description = "The error type.", HelpName = "type" };
        Add(Answer(cli, "fail", "Fail the callback with an error.", [error, errorType],
            (client, id, parse, cancellationToken) => client.SendCallbackFailureAsync(id,
                new ErrorObject { ErrorType = parse.GetValue(errorType), ErrorMessage = parse.GetValue(error) }, cancellationToken)));

        Add(Answer(cli, "heartbeat", "Tell the service the callback is still being worked on (resets its heartbeat timeout).", [],
            (client, id, _, cancellationToken) => client.SendCallbackHeartbeatAsync(id, cancellationToken)));
    }

    private static Command Answer(CliContext cli, string name, string description, Option[] options,
        Func<DurableExecutionClient, string, ParseResult, CancellationToken, Task> send)
    {
        var callbackId = new Argument<string>("callbackId") { Description = "The callback id." };
        var json = new Option<bool>("--json") { Description = "Print nothing on success (for scripts)." };
        var endpoint = CliOptions.Endpoint();
        var command = new Command(name, description) { callbackId };
        foreach (var option in options)
        {
            command.Add(option);
        }

        command.Add(json);
        command.Add(endpoint);
        command.SetAction(async (parse, _) =>
        {
            using var client = ServiceClient.Connect(parse.GetValue(endpoint));
            await send(client, parse.GetValue(callbackId)!, parse, cli.Shutdown.Token);
            if (!parse.GetValue(json))
            {
                cli.Terminal.Out.WriteLine($"callback {name}: sent");
            }

            return 0;
        });
        return command;
    }
}
