using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli;
using DurableGen.Deployment;
using DurableGen.LocalService;

const string Usage = """
    durablegen — the local durable execution service and its client

    Usage:
      durablegen serve [--port 5055] [--db .durablegen/executions.db]
                       [--project <dir> [--template <file>] [-c <configuration>] [--no-build] [--concurrency 1]]
      durablegen run <project> [--input <json>] [--function <name>] [--port 0] [--db <path>] [--json] [--keep]
                     [--template <file>] [-c <configuration>] [--no-build] [--concurrency 1]
      durablegen package <project> [-c Release] [--arch x86_64,arm64] [--output <dir>]
      durablegen invoke <function> [--input <json>] [--name <execution-name>] [--sync] [--json]
      durablegen callback succeed <callbackId> [--result <text>]
      durablegen callback fail <callbackId> [--error <message>] [--error-type <type>]
      durablegen callback heartbeat <callbackId>
      durablegen history <execution-arn> [--json]
      durablegen executions <function> [--json]

    The client commands talk to --endpoint (default $DURABLEGEN_ENDPOINT or http://127.0.0.1:5055).
    `run` builds the project, starts a private service with each function of its template as its own process,
    starts one execution and streams its history until it closes (exit code 0 when it succeeded). The template is
    the one `package` writes, from the project's [DurableWorkflow] and [LambdaFunction] attributes, unless
    --template names another. --concurrency N runs N processes (sandboxes) per function, so executions do not wait
    for each other's invocations; "concurrency": {"name": N} in durablegen.json overrides it for one function.
    `package` publishes the Native AOT bootstrap for each architecture the functions use, zips it, and writes
    template.yaml for `sam deploy` (plain CloudFormation: functions, roles, published versions and aliases).
    """;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help" or "help")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? 2 : 0;
    }

    var parsed = new Args(args.Skip(1));
    if (parsed.Flag("help"))
    {
        Console.WriteLine(Usage);
        return 0;
    }

    return args[0] switch
    {
        "serve" => await Commands.ServeAsync(parsed, cancel.Token),
        "run" => await Commands.RunAsync(parsed, cancel.Token),
        "invoke" => await Commands.InvokeAsync(parsed, cancel.Token),
        "callback" => await Commands.CallbackAsync(parsed, cancel.Token),
        "history" => await Commands.HistoryAsync(parsed, cancel.Token),
        "package" => await Commands.PackageAsync(parsed, cancel.Token),
        "executions" => await Commands.ExecutionsAsync(parsed, cancel.Token),
        var other => throw new CliException($"Unknown command '{other}'. Run `durablegen --help`."),
    };
}
catch (CliException ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 2;
}
catch (ServiceError ex)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}
catch (OperationCanceledException) when (cancel.IsCancellationRequested)
{
    return 130;
}

namespace DurableGen.Cli
{
    internal static class Commands
    {
        private const int DefaultPort = 5055;

        private static ServiceHttp Client(Args args)
        {
            var endpoint = args.Option("endpoint") ?? Environment.GetEnvironmentVariable("DURABLEGEN_ENDPOINT")
                           ?? $"http://127.0.0.1:{DefaultPort}";
            if (!Uri.TryCreate(endpoint.TrimEnd('/') + "/", UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
            {
                throw new CliException($"--endpoint must be an http(s) URL, not '{endpoint}'.");
            }

            return new ServiceHttp(uri);
        }

        /// <summary><c>--concurrency N</c>: sandboxes per function (1-64).</summary>
        private static int? Concurrency(Args args)
        {
            if (args.Option("concurrency") is null)
            {
                return null;
            }

            var value = args.IntOption("concurrency", 1);
            return value is >= 1 and <= LocalDurableService.MaxConcurrency
                ? value
                : throw new CliException($"--concurrency must be 1-{LocalDurableService.MaxConcurrency}, not {value}.");
        }

        private static string? JsonInput(Args args, string option = "input")
        {
            var input = args.Option(option);
            if (input is null)
            {
                return null;
            }

            if (input.StartsWith('@'))
            {
                var file = input[1..];
                input = File.Exists(file) ? File.ReadAllText(file) : throw new CliException($"No file {file}.");
            }

            try
            {
                using var _ = JsonDocument.Parse(input);
            }
            catch (JsonException ex)
            {
                throw new CliException($"--{option} is not JSON: {ex.Message}");
            }

            return input;
        }

        public static async Task<int> ServeAsync(Args args, CancellationToken cancellationToken)
        {
            args.ExpectNoMorePositional(0);
            var options = new LocalServiceOptions
            {
                Port = args.IntOption("port", DefaultPort),
                DatabasePath = args.Option("db") ?? Path.Combine(".durablegen", "executions.db"),
                Log = line => Console.Error.WriteLine(line),
                FunctionOutput = (name, line) => Console.Error.WriteLine($"[{name}] {line}"),
            };
            var concurrency = Concurrency(args); // checked before the build
            if (args.Option("project") is { } project)
            {
                var functions = await ProjectFunctions.BuildAsync(project, quiet: false, ProjectBuild.From(args), args.Option("template"));
                functions.AddTo(options, concurrency);
                Console.Error.WriteLine($"functions from {Path.GetRelativePath(Environment.CurrentDirectory, functions.TemplatePath)}");
            }
            else if (concurrency is not null)
            {
                throw new CliException("--concurrency applies to the functions of --project; give one.");
            }

            await using var service = new LocalDurableService(options);
            await service.StartAsync(cancellationToken);
            Console.WriteLine($"durable execution service on {service.BaseAddress} (database {Path.GetFullPath(options.DatabasePath)})");
            Console.WriteLine($"  dashboard      {service.BaseAddress}");
            Console.WriteLine($"  functions use  AWS_ENDPOINT_URL_LAMBDA={service.BaseAddress.ToString().TrimEnd('/')}");
            foreach (var function in options.Functions)
            {
                Console.WriteLine($"  {function.Name,-24} AWS_LAMBDA_RUNTIME_API={service.RuntimeApiFor(function.Name)}");
            }

            Console.WriteLine("Ctrl+C stops it.");
            try
            {
                await Task.Delay(Timeout.Infinite, cancellationToken);
            }
            catch (OperationCanceledException)
            {
            }

            return 0;
        }

        public static async Task<int> RunAsync(Args args, CancellationToken cancellationToken)
        {
            var projectPath = args.Required(0, "project (a folder or .csproj)");
            args.ExpectNoMorePositional(1);
            var json = args.Flag("json");
            var concurrency = Concurrency(args); // checked before the build
            var project = await ProjectFunctions.BuildAsync(projectPath, quiet: json, ProjectBuild.From(args), args.Option("template"));
            var function = args.Option("function") ?? project.StartFunction
                ?? throw new CliException($"The template has no durable function to start (it has: {string.Join(", ", project.Functions.Select(f => f.Name))}); a local run starts a durable execution.");
            if (!project.Functions.Any(f => f.Name == function && f.IsDurable))
            {
                throw new CliException($"{function} is not a durable function of the project (it has: {string.Join(", ", project.Functions.Select(f => f.Name))}).");
            }

            var input = JsonInput(args) ?? project.StartInput ?? "{}";
            var options = new LocalServiceOptions
            {
                Port = args.IntOption("port", 0),
                DatabasePath = args.Option("db"),
                FunctionOutput = (name, line) =>
                {
                    if (!json)
                    {
                        Console.Error.WriteLine($"  [{name}] {line}");
                    }
                },
                Log = line =>
                {
                    if (!json)
                    {
                        Console.Error.WriteLine("  " + line);
                    }
                },
            };
            project.AddTo(options, concurrency);
            await using var service = new LocalDurableService(options);
            await service.StartAsync(cancellationToken);
            if (!json)
            {
                Console.WriteLine($"local service on {service.BaseAddress} with {string.Join(", ", project.Functions.Select(f => f.Name + (f.IsDurable ? "" : " (plain)")))}");
                Console.WriteLine($"functions from {Path.GetRelativePath(Environment.CurrentDirectory, project.TemplatePath)}");
            }

            using var client = new ServiceHttp(service.BaseAddress);
            var (arn, _, _) = await client.InvokeAsync(function, input, "Event", null, cancellationToken);
            if (!json)
            {
                Console.WriteLine($"started {arn}");
                Console.WriteLine($"input   {input}");
                Console.WriteLine();
            }

            var timeout = TimeSpan.FromSeconds(args.IntOption("timeout", 120));
            var deadline = DateTimeOffset.UtcNow + timeout;
            var printed = 0;
            JsonElement execution;
            while (true)
            {
                execution = await client.GetExecutionAsync(arn!, cancellationToken);
                var events = await client.GetHistoryAsync(arn!, cancellationToken);
                for (; printed < events.Length; printed++)
                {
                    if (!json)
                    {
                        Console.WriteLine(Output.EventLine(events[printed]));
                    }
                }

                var status = Output.Str(execution, "Status");
                if (status != "RUNNING")
                {
                    break;
                }

                if (DateTimeOffset.UtcNow > deadline)
                {
                    throw new CliException($"The execution is still RUNNING after {timeout.TotalSeconds:0} s (--timeout); its history is above.");
                }

                await Task.Delay(200, cancellationToken);
            }

            var final = Output.Str(execution, "Status");
            if (json)
            {
                var history = await client.GetHistoryAsync(arn!, cancellationToken);
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, JsonElement>
                {
                    ["Execution"] = execution,
                    ["Events"] = JsonSerializer.SerializeToElement(history, RunJsonContext.Default.JsonElementArray),
                }, RunJsonContext.Default.DictionaryStringJsonElement));
            }
            else
            {
                Console.WriteLine();
                Console.WriteLine($"{final}: {(execution.TryGetProperty("Result", out var result) ? result.GetString() : execution.TryGetProperty("Error", out var error) ? error.GetRawText() : "")}");
                Console.WriteLine($"history: durablegen history '{arn}' (while a service runs on this database)");
            }

            if (args.Flag("keep"))
            {
                Console.Error.WriteLine($"dashboard at {service.BaseAddress} — Ctrl+C stops the service.");
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                }
            }

            return final == "SUCCEEDED" ? 0 : 1;
        }

        public static async Task<int> InvokeAsync(Args args, CancellationToken cancellationToken)
        {
            var function = args.Required(0, "function name");
            args.ExpectNoMorePositional(1);
            var input = JsonInput(args) ?? "{}";
            using var client = Client(args);
            var (arn, status, body) = await client.InvokeAsync(function, input, args.Flag("sync") ? "RequestResponse" : "Event",
                args.Option("name"), cancellationToken);
            if (args.Flag("json"))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string?>
                {
                    ["StatusCode"] = status.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    ["DurableExecutionArn"] = arn,
                    ["Payload"] = body.Length == 0 ? null : body,
                }, RunJsonContext.Default.DictionaryStringString));
                return 0;
            }

            Console.WriteLine(arn is null ? $"invoked {function} ({status})" : $"started {arn}");
            if (body.Length > 0)
            {
                Console.WriteLine(body);
            }

            return 0;
        }

        public static async Task<int> CallbackAsync(Args args, CancellationToken cancellationToken)
        {
            var action = args.Required(0, "action: succeed, fail or heartbeat");
            var callbackId = args.Required(1, "callback id");
            args.ExpectNoMorePositional(2);
            using var client = Client(args);
            switch (action)
            {
                case "succeed":
                    var result = args.Option("result");
                    await client.CallbackAsync("succeed", callbackId,
                        result is null ? null : new ByteArrayContent(Encoding.UTF8.GetBytes(result)), cancellationToken);
                    break;
                case "fail":
                    var error = new Dictionary<string, string>();
                    if (args.Option("error") is { } message)
                    {
                        error["ErrorMessage"] = message;
                    }

                    if (args.Option("error-type") is { } type)
                    {
                        error["ErrorType"] = type;
                    }

                    await client.CallbackAsync("fail", callbackId, new StringContent(
                        JsonSerializer.Serialize(error, RunJsonContext.Default.DictionaryStringString), Encoding.UTF8, "application/json"),
                        cancellationToken);
                    break;
                case "heartbeat":
                    await client.CallbackAsync("heartbeat", callbackId, null, cancellationToken);
                    break;
                default:
                    throw new CliException($"Unknown callback action '{action}': use succeed, fail or heartbeat.");
            }

            if (!args.Flag("json"))
            {
                Console.WriteLine($"callback {action}: sent");
            }

            return 0;
        }

        public static async Task<int> PackageAsync(Args args, CancellationToken cancellationToken)
        {
            var project = args.Required(0, "project (a folder or .csproj)");
            args.ExpectNoMorePositional(1);
            var architectures = args.Option("arch")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var architecture in architectures ?? [])
            {
                if (architecture is not ("x86_64" or "arm64"))
                {
                    throw new CliException($"--arch takes x86_64 and arm64, not '{architecture}'.");
                }
            }

            try
            {
                var result = await Packager.PackageAsync(new PackageOptions
                {
                    Project = project,
                    Configuration = args.Option("configuration") ?? "Release",
                    Architectures = architectures,
                    OutputDirectory = args.Option("output"),
                }, cancellationToken);
                Console.WriteLine($"wrote {Path.GetRelativePath(Environment.CurrentDirectory, result.TemplatePath)}; deploy it with:");
                Console.WriteLine($"  sam deploy --guided --template-file {Path.GetRelativePath(Environment.CurrentDirectory, result.TemplatePath)} --capabilities CAPABILITY_IAM");
                return 0;
            }
            catch (Exception ex) when (ex is PackagingException or InvalidOperationException or FormatException or IOException or BadImageFormatException)
            {
                throw new CliException(ex.Message);
            }
        }

        public static async Task<int> HistoryAsync(Args args, CancellationToken cancellationToken)
        {
            var arn = args.Required(0, "execution ARN");
            args.ExpectNoMorePositional(1);
            using var client = Client(args);
            var execution = await client.GetExecutionAsync(arn, cancellationToken);
            var events = await client.GetHistoryAsync(arn, cancellationToken);
            if (args.Flag("json"))
            {
                Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, JsonElement>
                {
                    ["Execution"] = execution,
                    ["Events"] = JsonSerializer.SerializeToElement(events, RunJsonContext.Default.JsonElementArray),
                }, RunJsonContext.Default.DictionaryStringJsonElement));
                return 0;
            }

            Console.WriteLine($"{Output.Str(execution, "DurableExecutionArn")}  {Output.Str(execution, "Status")}");
            foreach (var item in events)
            {
                Console.WriteLine(Output.EventLine(item));
            }

            return 0;
        }

        public static async Task<int> ExecutionsAsync(Args args, CancellationToken cancellationToken)
        {
            var function = args.Required(0, "function name");
            args.ExpectNoMorePositional(1);
            using var client = Client(args);
            var list = await client.ListExecutionsAsync(function, cancellationToken);
            if (args.Flag("json"))
            {
                Output.Json(list);
                return 0;
            }

            var rows = list.TryGetProperty("DurableExecutions", out var items)
                ? items.EnumerateArray().Select(e => (IReadOnlyList<string>)new[]
                {
                    Output.Str(e, "DurableExecutionName"), Output.Str(e, "Status"), Output.Time(e, "StartTimestamp"),
                    Output.Time(e, "EndTimestamp"), Output.Str(e, "DurableExecutionArn"),
                }).ToList()
                : new List<IReadOnlyList<string>>();
            Output.Table(new[] { "NAME", "STATUS", "STARTED", "ENDED", "ARN" }, rows);
            return 0;
        }
    }

    [System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, JsonElement>))]
    [System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string>))]
    [System.Text.Json.Serialization.JsonSerializable(typeof(Dictionary<string, string?>))]
    [System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement[]))]
    [System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
    internal sealed partial class RunJsonContext : System.Text.Json.Serialization.JsonSerializerContext;
}
