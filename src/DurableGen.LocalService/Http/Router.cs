using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.LocalService.Api;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Sandboxes;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DurableGen.LocalService.Http;

/// <summary>
/// The one entry point of every request: splits the raw path, parses the raw query, routes to the endpoint family
/// (durable execution management, checkpoint and state, callbacks, Invoke, the dashboard's
/// <c>/local/*</c>, OTLP traces at <c>/v1/traces</c>), and turns what an endpoint throws into the AWS error answer. Not ASP.NET Core endpoint routing:
/// route values come from <c>Request.Path</c>, which Kestrel has already percent-decoded except for <c>%2F</c>, so an
/// ARN's encoded slash arrives encoded while <c>%252F</c> arrives as the same <c>%2F</c>; a route value decoded again is
/// then decoded twice. Only the raw target keeps AWS's decoding exact (protocol §1.4).
/// </summary>
internal sealed class Router
{
    private readonly LocalServiceOptions _options;
    private readonly ExecutionEndpoints _executions;
    private readonly CheckpointEndpoints _checkpoints;
    private readonly CallbackEndpoints _callbacks;
    private readonly InvokeEndpoints _invoke;
    private readonly LocalEndpoints _local;
    private readonly TraceEndpoints _traces;

    public Router(LocalDurableService service, LocalServiceOptions options, InvocationDispatcher dispatcher, SandboxSupervisor sandboxes)
    {
        _options = options;
        _executions = new ExecutionEndpoints(service, dispatcher);
        _checkpoints = new CheckpointEndpoints(service);
        _callbacks = new CallbackEndpoints(service);
        _invoke = new InvokeEndpoints(service, options, dispatcher);
        _local = new LocalEndpoints(service, options, dispatcher, sandboxes);
        _traces = new TraceEndpoints(service, service.Traces);
    }

    /// <summary>The raw path is split on <c>/</c> before each segment is decoded (ARNs carry encoded slashes) and the
    /// raw query is parsed without turning <c>+</c> into a space (protocol §1.4).</summary>
    public async Task DispatchAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? raw : raw[..queryStart];
        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        try
        {
            BrowserGuard.CheckOrigin(context);
            string[] segments;
            try
            {
                segments = rawPath.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
            }
            catch (UriFormatException)
            {
                throw DurableServiceException.InvalidParameter("The request path is not valid.");
            }

            var query = Query.Parse(queryStart < 0 ? "" : raw[(queryStart + 1)..]);
            await RouteAsync(context, context.Request.Method, segments, query).ConfigureAwait(false);
        }
        catch (DurableServiceException ex)
        {
            await AwsErrors.WriteAsync(context, ex).ConfigureAwait(false);
        }
        catch (JsonException ex)
        {
            await AwsErrors.WriteAsync(context, ErrorCodes.InvalidParameterValue, 400, "The request body is not valid: " + ex.Message)
                .ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            // Kestrel refusing the body as it is read (broken chunking, a body shorter than its Content-Length): the
            // caller's fault, so a 4xx the AWS clients do not retry, in the AWS shape.
            await AwsErrors.WriteAsync(context, ex.StatusCode == 413 ? ErrorCodes.RequestTooLarge : LocalErrorCodes.InvalidRequestContent,
                ex.StatusCode is >= 400 and < 500 ? ex.StatusCode : 400, "The request body could not be read: " + ex.Message).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // the caller went away
        }
        catch (Exception ex)
        {
            _options.Log?.Invoke($"{context.Request.Method} {rawPath}: {ex}");
            if (!context.Response.HasStarted)
            {
                await AwsErrors.WriteAsync(context, ErrorCodes.Service, 500, "Internal error: " + ex.Message).ConfigureAwait(false);
            }
        }
    }

    private Task RouteAsync(HttpContext context, string method, string[] s, Query query)
    {
        var get = HttpMethods.IsGet(method);
        var post = HttpMethods.IsPost(method);
        switch (s.Length)
        {
            case 1 when s[0] is "" or "dashboard" && get:
                return DashboardPage.ServeAsync(context);
            case 2 when s[0] == "local" && get:
                return s[1] switch
                {
                    "functions" => _local.FunctionsAsync(context),
                    "executions" => _local.ExecutionsAsync(context, query),
                    "callbacks" => _local.CallbacksAsync(context),
                    "events" => _local.EventsAsync(context),
                    _ => UnknownOperation(context),
                };
            case 4 when s[0] == "local" && s[1] == "executions" && s[3] == "timeline" && get:
                return _local.TimelineAsync(context, s[2]);
            case 4 when s[0] == "local" && s[1] == "executions" && s[3] == "trace" && get:
                return _traces.TraceAsync(context, s[2]);
            case 2 when s[0] == "v1" && s[1] == "traces" && post:
                return _traces.ExportAsync(context); // OTLP/HTTP: its own content types and error bodies
        }

        if (s[0] is "2025-12-01" or "2015-03-31")
        {
            BrowserGuard.CheckContentType(context);
        }

        if (s.Length >= 3 && s[0] == "2025-12-01")
        {
            switch (s[1])
            {
                case "durable-executions" when s.Length == 3 && get:
                    return _executions.GetExecutionAsync(context, s[2], query);
                case "durable-executions" when s.Length == 4:
                    return (s[3], get, post) switch
                    {
                        ("checkpoint", _, true) => _checkpoints.CheckpointAsync(context, s[2]),
                        ("state", true, _) => _checkpoints.GetStateAsync(context, s[2], query),
                        ("history", true, _) => _executions.GetHistoryAsync(context, s[2], query),
                        ("stop", _, true) => _executions.StopAsync(context, s[2]),
                        _ => UnknownOperation(context),
                    };
                case "functions" when s.Length == 4 && s[3] == "durable-executions" && get:
                    return _executions.ListExecutionsAsync(context, s[2], query);
                case "durable-execution-callbacks" when s.Length == 4 && post:
                    return s[3] switch
                    {
                        "succeed" => _callbacks.SuccessAsync(context, s[2]),
                        "fail" => _callbacks.FailureAsync(context, s[2]),
                        "heartbeat" => _callbacks.HeartbeatAsync(context, s[2]),
                        _ => UnknownOperation(context),
                    };
            }
        }

        if (s.Length == 4 && s[0] == "2015-03-31" && s[1] == "functions" && s[3] == "invocations" && post)
        {
            return _invoke.InvokeAsync(context, s[2], query);
        }

        return UnknownOperation(context);
    }

    private static Task UnknownOperation(HttpContext context) =>
        AwsErrors.WriteAsync(context, "UnknownOperationException", 404,
            $"No operation matches {context.Request.Method} {context.Request.Path}.");
}
