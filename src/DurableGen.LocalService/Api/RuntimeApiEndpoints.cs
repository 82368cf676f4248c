using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.LocalService.Sandboxes;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>
/// The Lambda Runtime API (spec hosting.md §1) a function's processes poll, under <c>/runtime-api/{function}/</c>:
/// <c>next</c> hands out the function's queued invocations, <c>response</c> and <c>error</c> record their outcomes
/// through the dispatcher, <c>init/error</c> keeps the report for the dashboard.
/// </summary>
internal sealed class RuntimeApiEndpoints(LocalServiceOptions options, InvocationDispatcher dispatcher,
    SandboxSupervisor sandboxes, TimeProvider clock, Action signal)
{
    public async Task RuntimeApiAsync(HttpContext context, string method, string endpoint, string[] s)
    {
        // {function} for processes that connect by themselves, {function}~{sandbox}-{token} for the ones the service
        // runs: a process of an earlier start of that sandbox, or of an earlier run of the service, is refused.
        var separator = endpoint.IndexOf(SandboxSupervisor.SandboxSeparator, StringComparison.Ordinal);
        var functionName = separator < 0 ? endpoint : endpoint[..separator];
        var sandbox = 0;
        if (!FunctionNames.IsIdentifier(functionName, 64) || s.Length < 3 || s[0] != "2018-06-01" || s[1] != "runtime"
            || (separator >= 0 && !sandboxes.IsCurrentSandbox(functionName, endpoint[(separator + 1)..], out sandbox)))
        {
            await RuntimeErrorAsync(context, 404, "NotFound", "Unknown Runtime API path.").ConfigureAwait(false);
            return;
        }

        var function = dispatcher.For(functionName);
        var post = HttpMethods.IsPost(method);
        switch (s.Length)
        {
            case 4 when s[2] == "invocation" && s[3] == "next" && HttpMethods.IsGet(method):
                await NextAsync(context, function, sandbox).ConfigureAwait(false);
                return;
            case 5 when s[2] == "invocation" && s[4] == "response" && post:
                await InvocationResponseAsync(context, function, s[3]).ConfigureAwait(false);
                return;
            case 5 when s[2] == "invocation" && s[4] == "error" && post:
                await InvocationErrorAsync(context, function, s[3]).ConfigureAwait(false);
                return;
            case 4 when s[2] == "init" && s[3] == "error" && post:
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

    private async Task NextAsync(HttpContext context, FunctionQueue function, int sandbox)
    {
        if (sandbox >= 1 && sandbox <= function.Processes.Count)
        {
            function.Processes[sandbox - 1].NoteAskedForWork();
        }

        var timeout = dispatcher.TimeoutOf(function);
        var item = await function.TakeAsync(timeout, sandbox, clock, context.RequestAborted).ConfigureAwait(false);
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
        var body = await HttpIo.ReadBodyAsync(context, HttpIo.MaxRuntimeResponseBytes, null).ConfigureAwait(false);
        if (body.Length > HttpIo.MaxRuntimeResponseBytes)
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

        dispatcher.RecordResponse(item, body);
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
        dispatcher.RecordError(item, type, message, stack, body);
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
