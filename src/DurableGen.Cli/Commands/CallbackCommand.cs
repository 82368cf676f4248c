using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using Spectre.Console;

namespace DurableGen.Cli;

/// <summary><c>durablegen callback succeed|fail|heartbeat</c>: answer a callback an execution waits for.</summary>
internal sealed class CallbackCommand : Command
{
    public CallbackCommand(CliContext cli)
        : base("callback", "Answer a callback an execution waits for (its id is in the history: CallbackStarted).")
    {
        var result = CliOptions.JsonText("--result", "The callback's result, as the workflow deserializes it (default: none).",
            example: "approved");
        Add(Answer(cli, "succeed", "Complete the callback with a result.", [result],
            parse => parse.GetValue(result) is { } text ? new ByteArrayContent(Encoding.UTF8.GetBytes(text)) : null));

        var error = new Option<string?>("--error") { Description = "The error message.", HelpName = "message" };
        var errorType = new Option<string?>("--error-type") { Description = "The error type.", HelpName = "type" };
        Add(Answer(cli, "fail", "Fail the callback with an error.", [error, errorType], parse =>
        {
            var body = new Dictionary<string, string>();
            if (parse.GetValue(error) is { } message)
            {
                body["ErrorMessage"] = message;
            }

            if (parse.GetValue(errorType) is { } type)
            {
                body["ErrorType"] = type;
            }

            return new StringContent(JsonSerializer.Serialize(body, RunJsonContext.Default.DictionaryStringString), Encoding.UTF8,
                "application/json");
        }));

        Add(Answer(cli, "heartbeat", "Tell the service the callback is still being worked on (resets its heartbeat timeout).", [],
            _ => null));
    }

    private static Command Answer(CliContext cli, string name, string description, Option[] options,
        Func<ParseResult, HttpContent?> body)
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
            using var client = ServiceHttp.Connect(parse.GetValue(endpoint));
            await client.CallbackAsync(name, parse.GetValue(callbackId)!, body(parse), cli.Shutdown.Token);
            if (!parse.GetValue(json))
            {
                cli.Terminal.Out.WriteLine($"callback {name}: sent");
            }

            return 0;
        });
        return command;
    }
}
