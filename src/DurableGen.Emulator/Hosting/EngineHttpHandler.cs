using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// The engine's <c>CheckpointDurableExecution</c> endpoint as one invocation's HTTP client reaches it, in process,
/// with that invocation's planned faults (<see cref="CheckpointFault"/>) applied where they happen on a real network:
/// before the service, between the service and the answer, or at the service's side of the invocation. Requests and
/// answers are the wire's bytes, errors the AWS error envelope (protocol §1.6).
/// </summary>
internal sealed class EngineHttpHandler(DurableExecutionEngine engine, InvocationFaults faults, PendingInvocation invocation,
    Func<Task> redeliver) : HttpMessageHandler
{
    private int _lostResponses;

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        if (request.Method != HttpMethod.Post || request.RequestUri?.AbsolutePath.EndsWith("/checkpoint", StringComparison.Ordinal) != true)
        {
            return Error(new DurableServiceException(ErrorCodes.ResourceNotFound, 404, "Only checkpoints go through this handler."));
        }

        var body = await request.Content!.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        var checkpoint = JsonSerializer.Deserialize(body, ProtocolJson.Rest.CheckpointDurableExecutionRequest)!;
        checkpoint.DurableExecutionArn = invocation.DurableExecutionArn; // a path parameter on the wire
        var fault = faults.BeforeCheckpoint(checkpoint);
        switch (fault)
        {
            case CheckpointFault.CrashBeforeSending:
                throw faults.Crash();
            case CheckpointFault.ServerError:
                return Error(new DurableServiceException(ErrorCodes.Service, 500, "Injected service fault."));
            case CheckpointFault.Throttled:
                return Error(new DurableServiceException(ErrorCodes.TooManyRequests, 429, "Rate exceeded."));
            case CheckpointFault.TimeoutInFlight:
                // The service's clock ran out first; the request lands on a fenced invocation, and the process is gone.
                EndInvocation("Task timed out with a checkpoint in flight.");
                MustRefuse(checkpoint, fault);
                throw faults.Crash();
            case CheckpointFault.DuplicateDelivery:
                EndInvocation("The invocation was delivered again.");
                faults.Redelivered(redeliver());
                return Error(MustRefuse(checkpoint, fault));
        }

        CheckpointDurableExecutionResponse response;
        try
        {
            response = engine.Checkpoint(checkpoint);
        }
        catch (DurableServiceException ex)
        {
            return Error(ex);
        }

        switch (fault)
        {
            case CheckpointFault.CrashAfterApplying:
                throw faults.Crash();
            case CheckpointFault.ResponseLost:
                // Both shapes a lost answer takes: the connection dropped, or the attempt's timeout fired.
                throw Interlocked.Increment(ref _lostResponses) % 2 == 1
                    ? new HttpRequestException("Connection reset by peer (injected).", new IOException("reset"))
                    : new TaskCanceledException("The attempt timed out (injected).", new TimeoutException());
        }

        return new HttpResponseMessage(HttpStatusCode.OK)
        {
            Content = Json(JsonSerializer.SerializeToUtf8Bytes(response, ProtocolJson.Rest.CheckpointDurableExecutionResponse)),
        };
    }

    private void EndInvocation(string message) =>
        engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId,
            new ErrorObject { ErrorType = DurableExecutionEngine.SandboxTimeoutError, ErrorMessage = message });

    /// <summary>Sends a request of a fenced invocation, which the service must refuse as a stale token (§4.2).</summary>
    private DurableServiceException MustRefuse(CheckpointDurableExecutionRequest checkpoint, CheckpointFault fault)
    {
        try
        {
            engine.Checkpoint(checkpoint);
        }
        catch (DurableServiceException ex) when (ex.IsStaleCheckpointToken)
        {
            return ex;
        }
        catch (DurableServiceException ex)
        {
            faults.Violated($"{fault}: invocation {faults.InvocationNumber}'s checkpoint was refused with {ex.ErrorCode}: {ex.Message}, not a stale token");
            return ex;
        }

        faults.Violated($"{fault}: invocation {faults.InvocationNumber}'s checkpoint was applied after the service ended it");
        return DurableServiceException.InvalidParameter("(applied)");
    }

    private static HttpResponseMessage Error(DurableServiceException error)
    {
        var response = new HttpResponseMessage((HttpStatusCode)error.StatusCode) { Content = Json(AwsErrorBody.Serialize(error)) };
        response.Headers.TryAddWithoutValidation("x-amzn-ErrorType", error.ErrorCode);
        return response;
    }

    private static ByteArrayContent Json(byte[] bytes)
    {
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }
}
