using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using DurableGen.Emulator;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DurableGen.LocalService;

public sealed partial class LocalDurableService
{
    private const int MaxJsonBodyBytes = 16 * 1024 * 1024;
    private const int MaxSyncInvokeBytes = 6 * 1024 * 1024;
    private const int MaxEventInvokeBytes = 1024 * 1024;
    private const int MaxRuntimeResponseBytes = 6 * 1024 * 1024 + 100;
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    private static readonly Regex ExecutionArnPattern = new(
        @"^arn:([a-zA-Z0-9-]+):lambda:([a-zA-Z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+):(\$LATEST(?:\.PUBLISHED)?|[0-9]+)/durable-execution/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)$",
        RegexOptions.CultureInvariant);

    /// <summary>One entry point: the raw path is split on <c>/</c> before each segment is decoded (ARNs carry encoded
    /// slashes) and the raw query is parsed without turning <c>+</c> into a space (protocol §1.4).</summary>
    private async Task DispatchAsync(HttpContext context)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var rawPath = queryStart < 0 ? raw : raw[..queryStart];
        var query = ParseQuery(queryStart < 0 ? "" : raw[(queryStart + 1)..]);
        string[] segments;
        try
        {
            segments = rawPath.Trim('/').Split('/').Select(Uri.UnescapeDataString).ToArray();
        }
        catch (UriFormatException)
        {
            await AwsErrors.WriteAsync(context, ErrorCodes.InvalidParameterValue, 400, "The request path is not valid.").ConfigureAwait(false);
            return;
        }

        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        try
        {
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
                return Dashboard.ServeAsync(context);
            case 2 when s[0] == "local" && get:
                return s[1] switch
                {
                    "functions" => LocalFunctionsAsync(context),
                    "executions" => LocalExecutionsAsync(context, query),
                    _ => UnknownOperation(context),
                };
        }

        if (s.Length >= 2 && s[0] == "runtime-api")
        {
            return RuntimeApiAsync(context, method, s[1], s[2..]);
        }

        if (s.Length >= 3 && s[0] == "2025-12-01")
        {
            switch (s[1])
            {
                case "durable-executions" when s.Length == 3 && get:
                    return GetExecutionAsync(context, s[2], query);
                case "durable-executions" when s.Length == 4:
                    return (s[3], get, post) switch
                    {
                        ("checkpoint", _, true) => CheckpointAsync(context, s[2]),
                        ("state", true, _) => GetStateAsync(context, s[2], query),
                        ("history", true, _) => GetHistoryAsync(context, s[2], query),
                        ("stop", _, true) => StopAsync(context, s[2]),
                        _ => UnknownOperation(context),
                    };
                case "functions" when s.Length == 4 && s[3] == "durable-executions" && get:
                    return ListExecutionsAsync(context, s[2], query);
                case "durable-execution-callbacks" when s.Length == 4 && post:
                    return s[3] switch
                    {
                        "succeed" => CallbackSuccessAsync(context, s[2]),
                        "fail" => CallbackFailureAsync(context, s[2]),
                        "heartbeat" => CallbackHeartbeatAsync(context, s[2]),
                        _ => UnknownOperation(context),
                    };
            }
        }

        if (s.Length == 4 && s[0] == "2015-03-31" && s[1] == "functions" && s[3] == "invocations" && post)
        {
            return InvokeAsync(context, s[2], query);
        }

        return UnknownOperation(context);
    }

    private static Task UnknownOperation(HttpContext context) =>
        AwsErrors.WriteAsync(context, "UnknownOperationException", 404,
            $"No operation matches {context.Request.Method} {context.Request.Path}.");

    // ---- durable REST APIs ------------------------------------------------------------------------------------------

    private async Task CheckpointAsync(HttpContext context, string arn)
    {
        ValidateArn(arn);
        var body = await ReadJsonBodyAsync(context).ConfigureAwait(false);
        var request = (body.Length == 0 ? null : JsonSerializer.Deserialize(body, ProtocolJson.Rest.CheckpointDurableExecutionRequest))
                      ?? throw DurableServiceException.InvalidParameter("CheckpointToken is required.");
        if (string.IsNullOrEmpty(request.CheckpointToken))
        {
            throw DurableServiceException.InvalidParameter("CheckpointToken is required.");
        }

        request.DurableExecutionArn = arn;
        var response = Engine.Checkpoint(request);
        Signal();
        await WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJson.Rest.CheckpointDurableExecutionResponse))
            .ConfigureAwait(false);
    }

    private async Task GetStateAsync(HttpContext context, string arn, Query query)
    {
        ValidateArn(arn);
        var token = query.Get("CheckpointToken");
        if (string.IsNullOrEmpty(token))
        {
            throw DurableServiceException.InvalidParameter("CheckpointToken is required.");
        }

        var response = Engine.GetExecutionState(new GetDurableExecutionStateRequest
        {
            DurableExecutionArn = arn,
            CheckpointToken = token,
            Marker = query.Get("Marker"),
            MaxItems = query.Int("MaxItems"),
        });
        await WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJson.Rest.GetDurableExecutionStateResponse))
            .ConfigureAwait(false);
    }

    private async Task GetExecutionAsync(HttpContext context, string arn, Query query)
    {
        ValidateArn(arn);
        var include = query.Bool("IncludeExecutionData") ?? true;
        var response = Engine.GetExecution(arn, include);
        var json = JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJson.Rest.GetDurableExecutionResponse);
        // Members the shared response type does not carry: whether data was included.
        using var document = JsonDocument.Parse(json);
        await WriteJsonAsync(context, WithMembers(document.RootElement, writer => writer.WriteBoolean("ExecutionDataIncluded", include)))
            .ConfigureAwait(false);
    }

    private async Task GetHistoryAsync(HttpContext context, string arn, Query query)
    {
        ValidateArn(arn);
        var response = Engine.GetExecutionHistory(arn, query.Get("Marker"), query.Int("MaxItems"),
            query.Bool("ReverseOrder") ?? false, query.Bool("IncludeExecutionData") ?? true);
        await WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJson.Rest.GetDurableExecutionHistoryResponse))
            .ConfigureAwait(false);
    }

    private async Task ListExecutionsAsync(HttpContext context, string functionName, Query query)
    {
        var statuses = query.All("Statuses").Select(ParseStatus).ToList();
        var result = Engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest
        {
            FunctionName = functionName,
            Qualifier = query.Get("Qualifier"),
            DurableExecutionName = query.Get("DurableExecutionName"),
            Statuses = query.Has("Statuses") ? statuses : null,
            StartedAfter = query.Timestamp("StartedAfter"),
            StartedBefore = query.Timestamp("StartedBefore"),
            ReverseOrder = query.Bool("ReverseOrder") ?? false,
            Marker = query.Get("Marker"),
            MaxItems = query.Int("MaxItems"),
        });
        await WriteJsonAsync(context, Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("DurableExecutions");
            foreach (var item in result.DurableExecutions)
            {
                WriteSummary(writer, item, null);
            }

            writer.WriteEndArray();
            if (result.NextMarker is not null)
            {
                writer.WriteString("NextMarker", result.NextMarker);
            }

            writer.WriteEndObject();
        })).ConfigureAwait(false);
    }

    private async Task StopAsync(HttpContext context, string arn)
    {
        ValidateArn(arn);
        var error = await ReadErrorBodyAsync(context).ConfigureAwait(false);
        var stopped = Engine.StopExecution(arn, error);
        Signal();
        await WriteJsonAsync(context, Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteNumber("StopTimestamp", EpochSeconds(stopped));
            writer.WriteEndObject();
        })).ConfigureAwait(false);
    }

    private async Task CallbackSuccessAsync(HttpContext context, string callbackId)
    {
        ValidateCallbackId(callbackId);
        var body = await ReadBodyAsync(context, MaxJsonBodyBytes).ConfigureAwait(false);
        string result;
        try
        {
            result = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw DurableServiceException.InvalidParameter("Result must be UTF-8 text.");
        }

        Engine.SendCallbackSuccess(callbackId, body.Length == 0 ? null : result);
        Signal();
        await WriteJsonAsync(context, "{}"u8.ToArray()).ConfigureAwait(false);
    }

    private async Task CallbackFailureAsync(HttpContext context, string callbackId)
    {
        ValidateCallbackId(callbackId);
        var error = await ReadErrorBodyAsync(context).ConfigureAwait(false);
        Engine.SendCallbackFailure(callbackId, error);
        Signal();
        await WriteJsonAsync(context, "{}"u8.ToArray()).ConfigureAwait(false);
    }

    private async Task CallbackHeartbeatAsync(HttpContext context, string callbackId)
    {
        ValidateCallbackId(callbackId);
        await ReadBodyAsync(context, MaxJsonBodyBytes).ConfigureAwait(false);
        Engine.SendCallbackHeartbeat(callbackId);
        Signal();
        await WriteJsonAsync(context, "{}"u8.ToArray()).ConfigureAwait(false);
    }

    // ---- Invoke -----------------------------------------------------------------------------------------------------

    private async Task InvokeAsync(HttpContext context, string functionName, Query query)
    {
        var (name, embedded) = FunctionNames.Parse(functionName);
        var qualifier = query.Get("Qualifier") ?? embedded;
        var host = FindHost(name);
        if (host is null || !_options.Functions.Any(f => f.Name == name))
        {
            throw DurableServiceException.NotFound($"Function not found: {FunctionNames.FunctionArn(Engine.Options, name, qualifier ?? "$LATEST")}");
        }

        var type = context.Request.Headers["X-Amz-Invocation-Type"].ToString();
        type = type.Length == 0 ? "RequestResponse" : type;
        if (type is not ("RequestResponse" or "Event" or "DryRun"))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{type}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
        }

        var limit = type == "Event" ? MaxEventInvokeBytes : MaxSyncInvokeBytes;
        var payload = await ReadBodyAsync(context, limit, ErrorCodes.RequestTooLarge).ConfigureAwait(false);
        string? text = null;
        if (payload.Length > 0)
        {
            try
            {
                text = StrictUtf8.GetString(payload);
                using var _ = JsonDocument.Parse(payload);
            }
            catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
            {
                throw new DurableServiceException(LocalErrorCodes.InvalidRequestContent, 400,
                    "Could not parse request body into json: " + ex.Message);
            }
        }

        var executionName = context.Request.Headers["X-Amz-Durable-Execution-Name"].ToString();
        if (!host.Definition.Durable)
        {
            if (qualifier is not null && FunctionNames.IsAlias(qualifier) && !host.Definition.Aliases.Contains(qualifier))
            {
                throw DurableServiceException.NotFound($"Function not found: {FunctionNames.FunctionArn(Engine.Options, name, qualifier)}");
            }

            await InvokePlainAsync(context, host, qualifier, type, payload).ConfigureAwait(false);
            return;
        }

        if (type == "DryRun")
        {
            context.Response.StatusCode = 204;
            return;
        }

        var started = Engine.StartExecution(new StartExecutionRequest
        {
            FunctionName = name,
            Qualifier = qualifier,
            ExecutionName = executionName.Length == 0 ? null : executionName,
            Payload = text,
        });
        Signal();
        context.Response.Headers["X-Amz-Durable-Execution-Arn"] = started.DurableExecutionArn;
        context.Response.Headers["X-Amz-Executed-Version"] = started.Version;
        if (type == "Event")
        {
            context.Response.StatusCode = 202;
            return;
        }

        var execution = await WaitForCloseAsync(started.DurableExecutionArn, _options.SynchronousInvokeTimeout, context.RequestAborted)
            .ConfigureAwait(false);
        switch (execution.Status)
        {
            case ExecutionStatus.Succeeded:
                await WriteJsonAsync(context, Encoding.UTF8.GetBytes(execution.Result ?? "null")).ConfigureAwait(false);
                break;
            case ExecutionStatus.Running:
                context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
                await WriteJsonAsync(context, LambdaErrorBody("Sandbox.Timedout",
                    "The durable execution is still running; the synchronous invocation stopped waiting.")).ConfigureAwait(false);
                break;
            default:
                context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
                await WriteJsonAsync(context, LambdaErrorBody(execution.Error?.ErrorType ?? execution.Status.ToString(),
                    execution.Error?.ErrorMessage ?? $"The durable execution ended {execution.Status}.")).ConfigureAwait(false);
                break;
        }
    }

    private async Task InvokePlainAsync(HttpContext context, FunctionHost host, string? qualifier, string type, byte[] payload)
    {
        if (type == "DryRun")
        {
            context.Response.StatusCode = 204;
            return;
        }

        var item = new WorkItem
        {
            RequestId = Guid.NewGuid().ToString(),
            Body = payload.Length == 0 ? "{}"u8.ToArray() : payload,
            InvokedFunctionArn = FunctionNames.FunctionArn(Engine.Options, host.Name, qualifier ?? "$LATEST"),
            TraceId = NewTraceId(),
            Outcome = new TaskCompletionSource<PlainOutcome>(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        host.Enqueue(item);
        context.Response.Headers["X-Amz-Executed-Version"] = qualifier is null || FunctionNames.IsAlias(qualifier) ? "$LATEST" : qualifier;
        if (type == "Event")
        {
            context.Response.StatusCode = 202;
            return;
        }

        var outcome = await item.Outcome.Task.WaitAsync(TimeSpan.FromMinutes(15), context.RequestAborted).ConfigureAwait(false);
        if (outcome.FunctionError is not null)
        {
            context.Response.Headers["X-Amz-Function-Error"] = outcome.FunctionError;
        }

        await WriteJsonAsync(context, outcome.Body).ConfigureAwait(false);
    }

    // ---- Lambda Runtime API -----------------------------------------------------------------------------------------

    private async Task RuntimeApiAsync(HttpContext context, string method, string endpoint, string[] s)
    {
        // {function} for processes that connect by themselves, {function}~{sandbox}-{token} for the ones the service
        // runs: a process of an earlier start of that sandbox, or of an earlier run of the service, is refused.
        var separator = endpoint.IndexOf(SandboxSeparator, StringComparison.Ordinal);
        var functionName = separator < 0 ? endpoint : endpoint[..separator];
        var sandbox = 0;
        if (!FunctionNames.IsIdentifier(functionName, 64) || s.Length < 3 || s[0] != "2018-06-01" || s[1] != "runtime"
            || (separator >= 0 && !IsCurrentSandbox(functionName, endpoint[(separator + 1)..], out sandbox)))
        {
            await RuntimeErrorAsync(context, 404, "NotFound", "Unknown Runtime API path.").ConfigureAwait(false);
            return;
        }

        var host = HostFor(functionName);
        var post = HttpMethods.IsPost(method);
        switch (s.Length)
        {
            case 4 when s[2] == "invocation" && s[3] == "next" && HttpMethods.IsGet(method):
                await NextAsync(context, host, sandbox).ConfigureAwait(false);
                return;
            case 5 when s[2] == "invocation" && s[4] == "response" && post:
                await InvocationResponseAsync(context, host, s[3]).ConfigureAwait(false);
                return;
            case 5 when s[2] == "invocation" && s[4] == "error" && post:
                await InvocationErrorAsync(context, host, s[3]).ConfigureAwait(false);
                return;
            case 4 when s[2] == "init" && s[3] == "error" && post:
                var report = await ReadBodyAsync(context, MaxRuntimeResponseBytes).ConfigureAwait(false);
                var (type, message, _) = ParseLambdaError(context, report);
                host.InitError = $"{type}: {message}";
                _options.Log?.Invoke($"[{host.Name}] init error {type}: {message}");
                await RuntimeAcceptedAsync(context).ConfigureAwait(false);
                return;
            default:
                await RuntimeErrorAsync(context, 404, "NotFound", "Unknown Runtime API path.").ConfigureAwait(false);
                return;
        }
    }

    private bool IsCurrentSandbox(string functionName, string sandboxAndToken, out int sandbox)
    {
        var dash = sandboxAndToken.IndexOf('-', StringComparison.Ordinal);
        sandbox = 0;
        return dash > 0
               && int.TryParse(sandboxAndToken.AsSpan(0, dash), NumberStyles.None, CultureInfo.InvariantCulture, out sandbox)
               && FindHost(functionName)?.Sandbox(sandbox, sandboxAndToken[(dash + 1)..]) is not null;
    }

    private async Task NextAsync(HttpContext context, FunctionHost host, int sandbox)
    {
        if (sandbox >= 1 && sandbox <= host.Processes.Count)
        {
            host.Processes[sandbox - 1].NoteAskedForWork();
        }

        var item = await host.TakeAsync(TimeoutOf(host), sandbox, context.RequestAborted).ConfigureAwait(false);
        host.InitError = null;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = item.RequestId;
        response.Headers["Lambda-Runtime-Deadline-Ms"] = item.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = item.InvokedFunctionArn;
        response.Headers["Lambda-Runtime-Trace-Id"] = item.TraceId;
        response.ContentLength = item.Body.Length;
        try
        {
            await response.Body.WriteAsync(item.Body, context.RequestAborted).ConfigureAwait(false);
            await response.CompleteAsync().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ObjectDisposedException)
        {
            host.Return(item); // the poller went away before it got the event: the next poller gets it
        }
    }

    private async Task InvocationResponseAsync(HttpContext context, FunctionHost host, string requestId)
    {
        var body = await ReadBodyAsync(context, MaxRuntimeResponseBytes, null).ConfigureAwait(false);
        if (body.Length > MaxRuntimeResponseBytes)
        {
            // The invocation stays in flight: the runtime reports the failure with /error next.
            await RuntimeErrorAsync(context, 413, "RequestEntityTooLarge",
                $"Exceeded maximum allowed payload size ({MaxRuntimeResponseBytes} bytes).").ConfigureAwait(false);
            return;
        }

        if (!host.TryComplete(requestId, out var item))
        {
            await RuntimeErrorAsync(context, 400, "InvalidRequestID", $"Invalid request id {requestId}.").ConfigureAwait(false);
            return;
        }

        if (item.PlainChild)
        {
            CompletePlainChild(item, Encoding.UTF8.GetString(body), null);
        }
        else if (item.DurableExecutionArn is { } arn)
        {
            DurableExecutionInvocationOutput? output = null;
            try
            {
                output = JsonSerializer.Deserialize(body, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
            }
            catch (JsonException)
            {
                // recorded below as an invalid output
            }

            RecordSafely(() =>
            {
                if (output is null)
                {
                    Engine.FailInvocation(arn, requestId, new ErrorObject
                    {
                        ErrorType = DurableExecutionEngine.InvalidOutputError,
                        ErrorMessage = "The function's response is not a durable execution invocation output.",
                    });
                }
                else
                {
                    Engine.CompleteInvocation(arn, requestId, output);
                }
            });
        }
        else
        {
            item.Outcome?.TrySetResult(new PlainOutcome(body, null));
        }

        Signal();
        await RuntimeAcceptedAsync(context).ConfigureAwait(false);
    }

    private async Task InvocationErrorAsync(HttpContext context, FunctionHost host, string requestId)
    {
        var body = await ReadBodyAsync(context, MaxRuntimeResponseBytes).ConfigureAwait(false);
        if (!host.TryComplete(requestId, out var item))
        {
            await RuntimeErrorAsync(context, 400, "InvalidRequestID", $"Invalid request id {requestId}.").ConfigureAwait(false);
            return;
        }

        var (type, message, stack) = ParseLambdaError(context, body);
        if (item.PlainChild)
        {
            CompletePlainChild(item, null, new ErrorObject { ErrorType = type, ErrorMessage = message, StackTrace = stack });
        }
        else if (item.DurableExecutionArn is { } arn)
        {
            RecordSafely(() => Engine.FailInvocation(arn, requestId,
                new ErrorObject { ErrorType = type, ErrorMessage = message, StackTrace = stack }));
        }
        else
        {
            item.Outcome?.TrySetResult(new PlainOutcome(body.Length > 0 ? body : LambdaErrorBody(type, message), "Unhandled"));
        }

        Signal();
        await RuntimeAcceptedAsync(context).ConfigureAwait(false);
    }

    private void RecordSafely(Action action)
    {
        try
        {
            action();
        }
        catch (DurableServiceException ex)
        {
            _options.Log?.Invoke($"Cannot record an invocation outcome: {ex.Message}");
        }
    }

    private static (string Type, string Message, List<string>? Stack) ParseLambdaError(HttpContext context, byte[] body)
    {
        var type = context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString();
        string? message = null;
        List<string>? stack = null;
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            if (root.ValueKind == JsonValueKind.Object)
            {
                if (root.TryGetProperty("errorType", out var t) && t.ValueKind == JsonValueKind.String && type.Length == 0)
                {
                    type = t.GetString()!;
                }

                if (root.TryGetProperty("errorMessage", out var m) && m.ValueKind == JsonValueKind.String)
                {
                    message = m.GetString();
                }

                if ((root.TryGetProperty("stackTrace", out var st) || root.TryGetProperty("trace", out st))
                    && st.ValueKind == JsonValueKind.Array)
                {
                    stack = st.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
                }
            }
        }
        catch (JsonException)
        {
            message = Encoding.UTF8.GetString(body);
        }

        return (type.Length == 0 ? "Runtime.Unknown" : type, message ?? "", stack);
    }

    private static async Task RuntimeAcceptedAsync(HttpContext context)
    {
        context.Response.StatusCode = 202;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync("{\"status\":\"OK\"}"u8.ToArray(), context.RequestAborted).ConfigureAwait(false);
    }

    private static async Task RuntimeErrorAsync(HttpContext context, int status, string type, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.Body.WriteAsync(LambdaErrorBody(type, message), context.RequestAborted).ConfigureAwait(false);
    }

    // ---- local JSON endpoints for the dashboard and the CLI -----------------------------------------------------------

    private Task LocalFunctionsAsync(HttpContext context) => WriteJsonAsync(context, Json(writer =>
    {
        writer.WriteStartArray();
        foreach (var host in _hosts.Values.OrderBy(h => h.Name, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("Name", host.Name);
            writer.WriteString("FunctionArn", host.FunctionArn);
            writer.WriteBoolean("Durable", host.Definition.Durable);
            writer.WriteBoolean("Configured", _options.Functions.Any(f => f.Name == host.Name));
            writer.WriteString("RuntimeApi", RuntimeApiFor(host.Name));
            writer.WriteNumber("Concurrency", host.Definition.Concurrency);
            if (host.Processes.Count > 0)
            {
                writer.WriteNumber("ProcessStarts", host.Processes.Sum(p => p.Starts));
                writer.WriteStartArray("Sandboxes");
                foreach (var process in host.Processes)
                {
                    writer.WriteStartObject();
                    writer.WriteNumber("Sandbox", process.Sandbox);
                    writer.WriteNumber("Starts", process.Starts);
                    if (process.ProcessId is { } pid)
                    {
                        writer.WriteNumber("ProcessId", pid);
                    }

                    if (process.Token is { } token)
                    {
                        writer.WriteString("RuntimeApi", RuntimeApiFor(host.Name, process.Sandbox, token));
                    }

                    if (process.Stopped is { } stopped)
                    {
                        writer.WriteString("Stopped", stopped.Message);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndArray();
            }

            writer.WriteNumber("Queued", host.QueueLength);
            writer.WriteNumber("InFlight", host.InFlightCount);
            if (host.InitError is not null)
            {
                writer.WriteString("InitError", host.InitError);
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }));

    private Task LocalExecutionsAsync(HttpContext context, Query query)
    {
        var filter = query.Get("FunctionName");
        var all = new List<(string Function, ExecutionSummary Summary)>();
        foreach (var name in _hosts.Keys)
        {
            if (filter is null || filter == name)
            {
                all.AddRange(Engine.ListExecutions(name).Select(e => (name, e)));
            }
        }

        return WriteJsonAsync(context, Json(writer =>
        {
            writer.WriteStartObject();
            writer.WriteStartArray("DurableExecutions");
            foreach (var (function, summary) in all.OrderByDescending(e => e.Summary.StartTimestamp))
            {
                WriteSummary(writer, summary, function);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }));
    }

    // ---- helpers ----------------------------------------------------------------------------------------------------

    private static void WriteSummary(Utf8JsonWriter writer, ExecutionSummary item, string? functionName)
    {
        writer.WriteStartObject();
        writer.WriteString("DurableExecutionArn", item.DurableExecutionArn);
        writer.WriteString("DurableExecutionName", item.DurableExecutionName);
        writer.WriteString("FunctionArn", item.FunctionArn);
        if (functionName is not null)
        {
            writer.WriteString("FunctionName", functionName);
        }

        writer.WriteString("Status", FormatStatus(item.Status));
        writer.WriteNumber("StartTimestamp", EpochSeconds(item.StartTimestamp));
        if (item.EndTimestamp is { } end)
        {
            writer.WriteNumber("EndTimestamp", EpochSeconds(end));
        }

        writer.WriteEndObject();
    }

    internal static string FormatStatus(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        ExecutionStatus.Stopped => "STOPPED",
        _ => status.ToString().ToUpperInvariant(),
    };

    private static ExecutionStatus ParseStatus(string value) => value switch
    {
        "RUNNING" => ExecutionStatus.Running,
        "SUCCEEDED" => ExecutionStatus.Succeeded,
        "FAILED" => ExecutionStatus.Failed,
        "TIMED_OUT" => ExecutionStatus.TimedOut,
        "STOPPED" => ExecutionStatus.Stopped,
        _ => throw DurableServiceException.InvalidParameter(
            $"Value '{value}' at 'statuses' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED]"),
    };

    private static decimal EpochSeconds(DateTimeOffset value) => value.ToUnixTimeMilliseconds() / 1000m;

    private static void ValidateArn(string arn)
    {
        if (arn.Length is 0 or > 1024 || !ExecutionArnPattern.IsMatch(arn))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{Truncate(arn)}' at 'durableExecutionArn' failed to satisfy constraint: Member must satisfy regular expression pattern.");
        }
    }

    private static void ValidateCallbackId(string callbackId)
    {
        if (callbackId.Length is 0 or > 1024 || !DurableGen.Emulator.Base64Json.IsBase64Alphabet(callbackId))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{Truncate(callbackId)}' at 'callbackId' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9+/]+={{0,2}}");
        }
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    private static async Task<byte[]> ReadJsonBodyAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (!string.IsNullOrEmpty(contentType))
        {
            var media = contentType.Split(';')[0].Trim();
            if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
                && !media.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase))
            {
                throw new DurableServiceException(LocalErrorCodes.UnsupportedMediaType, 415,
                    $"The content type '{contentType}' is not supported; send application/json.");
            }
        }

        return await ReadBodyAsync(context, MaxJsonBodyBytes).ConfigureAwait(false);
    }

    private static async Task<ErrorObject?> ReadErrorBodyAsync(HttpContext context)
    {
        var body = await ReadJsonBodyAsync(context).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return null;
        }

        var error = JsonSerializer.Deserialize(body, ProtocolJson.Rest.ErrorObject);
        return error is null || (error.ErrorType is null && error.ErrorMessage is null && error.ErrorData is null
                                 && error.StackTrace is null)
            ? null
            : error;
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; past it, throws the given AWS error (413) or,
    /// with a null code, returns <paramref name="limit"/> + 1 bytes so the caller can answer itself.</summary>
    private static async Task<byte[]> ReadBodyAsync(HttpContext context, int limit, string? tooLargeCode = ErrorCodes.RequestTooLarge)
    {
        if (context.Request.ContentLength is { } length && length > limit)
        {
            if (tooLargeCode is null)
            {
                return new byte[limit + 1];
            }

            throw new DurableServiceException(tooLargeCode, 413,
                $"Request must be smaller than {limit} bytes for this operation.");
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                if (tooLargeCode is null)
                {
                    return new byte[limit + 1];
                }

                throw new DurableServiceException(tooLargeCode, 413,
                    $"Request must be smaller than {limit} bytes for this operation.");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    private static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static byte[] Json(Action<Utf8JsonWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions
               {
                   Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
               }))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    private static byte[] WithMembers(JsonElement root, Action<Utf8JsonWriter> extra) => Json(writer =>
    {
        writer.WriteStartObject();
        foreach (var property in root.EnumerateObject())
        {
            property.WriteTo(writer);
        }

        extra(writer);
        writer.WriteEndObject();
    });

    private static Query ParseQuery(string raw)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            try
            {
                values.Add(new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value)));
            }
            catch (UriFormatException)
            {
                throw DurableServiceException.InvalidParameter($"The query parameter '{key}' is not valid.");
            }
        }

        return new Query(values);
    }

    /// <summary>The raw query of a request (repeated keys kept, <c>+</c> kept).</summary>
    internal sealed class Query(List<KeyValuePair<string, string>> values)
    {
        public bool Has(string key) => values.Any(p => p.Key == key);

        public string? Get(string key) => values.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();

        public IEnumerable<string> All(string key) => values.Where(p => p.Key == key).Select(p => p.Value);

        public bool? Bool(string key) => Get(key) switch
        {
            null => null,
            "true" => true,
            "false" => false,
            var other => throw DurableServiceException.InvalidParameter($"{key} must be true or false, not '{other}'."),
        };

        public int? Int(string key)
        {
            var value = Get(key);
            if (value is null)
            {
                return null;
            }

            return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw DurableServiceException.InvalidParameter($"{key} must be an integer, not '{value}'.");
        }

        public DateTimeOffset? Timestamp(string key)
        {
            var value = Get(key);
            if (value is null)
            {
                return null;
            }

            return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
                ? parsed
                : throw DurableServiceException.InvalidParameter($"{key} must be an ISO-8601 timestamp, not '{value}'.");
        }
    }
}
