using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.LocalService.Sandboxes;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DurableGen.LocalService.Api;

/// <summary>
/// The Lambda Runtime API (spec hosting.md §1) at the root of a <see cref="RuntimeApiListener"/>, for the one function
/// and sandbox that listener serves: <c>next</c> hands out the function's queued invocations, <c>response</c> and
/// <c>error</c> record their outcomes through the dispatcher, <c>init/error</c> keeps the report for the dashboard. Any
/// other path is a 404 that changes nothing.
/// </summary>
internal sealed class RuntimeApiEndpoints(LocalServiceOptions options, InvocationDispatcher dispatcher, TimeProvider clock,
    Action signal)
{
    /// <summary>The Runtime API's version segment, the first of every path.</summary>
    public const string Version = "2018-06-01";

    /// <summary>Handles one request on the listener of <paramref name="function"/>'s <paramref name="sandbox"/> (0: a
    /// process that connected by itself); <paramref name="closing"/> ends a long poll when the listener closes.</summary>
    public async Task HandleAsync(HttpContext context, FunctionQueue function, int sandbox, CancellationToken closing)
    {
        var raw = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? context.Request.Path.Value ?? "/";
        var queryStart = raw.IndexOf('?', StringComparison.Ordinal);
        var s = (queryStart < 0 ? raw : raw[..queryStart]).Split('/');
        var method = context.Request.Method;
        var post = HttpMethods.IsPost(method);
        try
        {
            // A page in the developer's browser reaches this port as it reaches the service's (DNS rebinding, simple
            // cross-origin requests), and here it could read invocation payloads or answer them: the same refusal.
            BrowserGuard.CheckOrigin(context);

            // s[0] is the empty segment before the leading slash.
            if (s.Length < 4 || s[0].Length != 0 || s[1] != Version || s[2] != "runtime")
            {
                await RuntimeErrorAsync(context, 404, "NotFound", "Unknown Runtime API path.").ConfigureAwait(false);
                return;
            }

            switch (s.Length)
            {
                case 5 when s[3] == "invocation" && s[4] == "next" && HttpMethods.IsGet(method):
                    await NextAsync(context, function, sandbox, closing).ConfigureAwait(false);
                    return;
                case 6 when s[3] == "invocation" && s[5] == "response" && post:
                    await InvocationResponseAsync(context, function, Uri.UnescapeDataString(s[4])).ConfigureAwait(false);
                    return;
                case 6 when s[3] == "invocation" && s[5] == "error" && post:
                    await InvocationErrorAsync(context, function, Uri.UnescapeDataString(s[4])).ConfigureAwait(false);
                    return;
                case 5 when s[3] == "init" && s[4] == "error" && post:
                    var report = await HttpIo.ReadBodyAsync(context, HttpIo.MaxRuntimeResponseBytes).ConfigureAwait(false);
                    var (type, message, _) = ParseLambdaError(context, report);
                    function.InitError = $"{type}: {message}";
                    options.Log?.Invoke($"[{function.Name}] init error {type}: {message}");
                    await RuntimeAcceptedAsync(context).ConfigureAwait(false);
                    return;
                default:
                    await RuntimeErrorAsync(context, 404, "NotFound", "Unknown Runtime API path.").ConfigureAwait(false);
                    return;
            }
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested || closing.IsCancellationRequested)
        {
            // The process went away, or its sandbox's listener is closing: drop the connection, as a sandbox that is
            // gone drops it, rather than answer a long poll with an empty 200.
            context.Abort();
        }
        catch (DurableServiceException ex) when (!context.Response.HasStarted)
        {
            await RuntimeErrorAsync(context, ex.StatusCode, ex.ErrorCode, ex.Message).ConfigureAwait(false);
        }
        catch (BadHttpRequestException ex) when (!context.Response.HasStarted)
        {
            await RuntimeErrorAsync(context, ex.StatusCode, "InvalidRequest", ex.Message).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            options.Log?.Invoke($"[{function.Name}] Runtime API {method} {raw}: {ex}");
            if (!context.Response.HasStarted)
            {
                await RuntimeErrorAsync(context, 500, "ServiceException", "Internal error: " + ex.Message).ConfigureAwait(false);
            }
        }
    }

    private async Task NextAsync(HttpContext context, FunctionQueue function, int sandbox, CancellationToken closing)
    {
        if (sandbox >= 1 && sandbox <= function.Processes.Count)
        {
            function.Processes[sandbox - 1].NoteAskedForWork();
        }

        var timeout = dispatcher.TimeoutOf(function);
        using var poll = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, closing);
        var item = await function.TakeAsync(timeout, sandbox, clock, poll.Token).ConfigureAwait(false);
        signal(); // the driver now has a deadline to expire it at
        function.InitError = null;
        var response = context.Response;
        response.StatusCode = 200;
        response.ContentType = "application/json";
        response.Headers["Lambda-Runtime-Aws-Request-Id"] = item.RequestId;
        // The process reads the deadline on its own (wall) clock; the service expires the item on its clock.
        response.Headers["Lambda-Runtime-Deadline-Ms"] =
            (DateTimeOffset.UtcNow + timeout).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
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
            function.Return(item); // the poller went away before it got the event: the next poller gets it
        }
    }

    private async Task InvocationResponseAsync(HttpContext context, FunctionQueue function, string requestId)
    {
        var body = await HttpIo.TryReadBodyAsync(context, HttpIo.MaxRuntimeResponseBytes).ConfigureAwait(false);
        if (body is null)
        {
            // The invocation stays in flight: the runtime reports the failure with /error next.
            await RuntimeErrorAsync(context, 413, "RequestEntityTooLarge",
                $"Exceeded maximum allowed payload size ({HttpIo.MaxRuntimeResponseBytes} bytes).").ConfigureAwait(false);
            return;
        }

        if (!function.TryComplete(requestId, out var item))
        {
            await RuntimeErrorAsync(context, 400, "InvalidRequestID", $"Invalid request id {requestId}.").ConfigureAwait(false);
            return;
        }

        await dispatcher.RecordResponseAsync(item, body).ConfigureAwait(false);
        signal();
        await RuntimeAcceptedAsync(context).ConfigureAwait(false);
    }

    private async Task InvocationErrorAsync(HttpContext context, FunctionQueue function, string requestId)
    {
        var body = await HttpIo.ReadBodyAsync(context, HttpIo.MaxRuntimeResponseBytes).ConfigureAwait(false);
        if (!function.TryComplete(requestId, out var item))
        {
            await RuntimeErrorAsync(context, 400, "InvalidRequestID", $"Invalid request id {requestId}.").ConfigureAwait(false);
            return;
        }

        var (type, message, stack) = ParseLambdaError(context, body);
        await dispatcher.RecordErrorAsync(item, type, message, stack, body).ConfigureAwait(false);
        signal();
        await RuntimeAcceptedAsync(context).ConfigureAwait(false);
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
        await context.Response.Body.WriteAsync(HttpIo.LambdaErrorBody(type, message), context.RequestAborted).ConfigureAwait(false);
    }
}
