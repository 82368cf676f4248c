using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>Lambda's <c>Invoke</c> (protocol §2.1): a durable function starts (or finds) an execution, a plain one
/// runs its handler once; <c>RequestResponse</c> waits for the outcome, <c>Event</c> answers 202, <c>DryRun</c> 204.</summary>
internal sealed class InvokeEndpoints(LocalDurableService service, LocalServiceOptions options, InvocationDispatcher dispatcher)
{
    private DurableExecutionEngine Engine => service.Engine;

    public async Task InvokeAsync(HttpContext context, string functionName, Query query)
    {
        var (name, embedded) = FunctionNames.Parse(functionName);
        var qualifier = query.Get("Qualifier") ?? embedded;
        if (qualifier is not null)
        {
            FunctionNames.Parse(name + ":" + qualifier); // a malformed qualifier is a validation error (400) before any lookup
        }

        var function = dispatcher.Find(name);
        if (function is null || !options.Functions.Any(f => f.Name == name) || !Exists(function.Definition, qualifier))
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

        var limit = type == "Event" ? HttpIo.MaxEventInvokeBytes : HttpIo.MaxSyncInvokeBytes;
        var payload = await HttpIo.ReadBodyAsync(context, limit, ErrorCodes.RequestTooLarge).ConfigureAwait(false);
        string? text = null;
        if (payload.Length > 0)
        {
            try
            {
                text = HttpIo.StrictUtf8.GetString(payload);
                using var _ = JsonDocument.Parse(payload);
            }
            catch (Exception ex) when (ex is JsonException or DecoderFallbackException)
            {
                throw new DurableServiceException(LocalErrorCodes.InvalidRequestContent, 400,
                    "Could not parse request body into json: " + ex.Message);
            }
        }

        var executionName = context.Request.Headers["X-Amz-Durable-Execution-Name"].ToString();
        if (!function.Definition.Durable)
        {
            await InvokePlainAsync(context, function, qualifier, type, payload).ConfigureAwait(false);
            return;
        }

        if (type == "DryRun")
        {
            context.Response.StatusCode = 204;
            return;
        }

        var started = await Engine.StartExecutionAsync(new StartExecutionRequest
        {
            FunctionName = name,
            Qualifier = qualifier,
            ExecutionName = executionName.Length == 0 ? null : executionName,
            Payload = text,
        }).ConfigureAwait(false);
        service.Signal();
        context.Response.Headers["X-Amz-Durable-Execution-Arn"] = started.DurableExecutionArn;
        context.Response.Headers["X-Amz-Executed-Version"] = started.Version;
        if (type == "Event")
        {
            context.Response.StatusCode = 202;
            return;
        }

        var execution = await service.WaitForCloseAsync(started.DurableExecutionArn, options.SynchronousInvokeTimeout, context.RequestAborted)
            .ConfigureAwait(false);
        switch (execution.Status)
        {
            case ExecutionStatus.Succeeded:
                await HttpIo.WriteJsonAsync(context, Encoding.UTF8.GetBytes(execution.Result ?? "null")).ConfigureAwait(false);
                break;
            case ExecutionStatus.Running:
                context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
                await HttpIo.WriteJsonAsync(context, HttpIo.LambdaErrorBody(DurableExecutionEngine.SandboxTimeoutError,
                    "The durable execution is still running; the synchronous invocation stopped waiting.")).ConfigureAwait(false);
                break;
            default:
                context.Response.Headers["X-Amz-Function-Error"] = "Unhandled";
                await HttpIo.WriteJsonAsync(context, HttpIo.LambdaErrorBody(execution.Error?.ErrorType ?? execution.Status.ToString(),
                    execution.Error?.ErrorMessage ?? $"The durable execution ended {execution.Status}.")).ConfigureAwait(false);
                break;
        }
    }

    /// <summary>Whether the function has <paramref name="qualifier"/>. The service runs one build of each function, its
    /// <c>$LATEST</c>; a function the template gives aliases (<c>AutoPublishAlias</c>, <c>AWS::Lambda::Alias</c>) has
    /// one published version too, which the template reader calls <c>1</c>. Any other version does not exist here,
    /// and AWS answers an Invoke of a version that does not exist with <c>ResourceNotFoundException</c>.</summary>
    private static bool Exists(FunctionDefinition function, string? qualifier) => qualifier switch
    {
        null or "$LATEST" => true,
        "$LATEST.PUBLISHED" or "1" => function.Aliases.Count > 0,
        _ when FunctionNames.IsAlias(qualifier) => function.Aliases.Contains(qualifier),
        _ => false,
    };

    private async Task InvokePlainAsync(HttpContext context, FunctionQueue function, string? qualifier, string type, byte[] payload)
    {
        if (type == "DryRun")
        {
            context.Response.StatusCode = 204;
            return;
        }

        var item = dispatcher.InvokePlain(function, qualifier, payload);
        context.Response.Headers["X-Amz-Executed-Version"] = qualifier is null || FunctionNames.IsAlias(qualifier) ? "$LATEST" : qualifier;
        if (type == "Event")
        {
            context.Response.StatusCode = 202;
            return;
        }

        var outcome = await item.Outcome!.Task.WaitAsync(TimeSpan.FromMinutes(15), context.RequestAborted).ConfigureAwait(false);
        if (outcome.FunctionError is not null)
        {
            context.Response.Headers["X-Amz-Function-Error"] = outcome.FunctionError;
        }

        await HttpIo.WriteJsonAsync(context, outcome.Body).ConfigureAwait(false);
    }
}
