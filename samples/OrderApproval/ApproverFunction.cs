using System;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Client;
using DurableGen.Hosting;

namespace OrderApproval;

/// <summary>
/// The approver as its own, plain (not durable) Lambda function in the same binary: when <c>_HANDLER</c> is
/// <c>order-approver</c>, <c>Program</c> runs this Runtime API loop instead of the workflows'. Each event is an
/// <see cref="ApprovalRequest"/>; the answer goes back to the workflow over HTTP, through
/// <see cref="DurableExecutionClient"/> and the typed <c>ManagerApproval.Complete(...)</c> API (a heartbeat, then the
/// decision). The loop uses the runtime's <see cref="LambdaRuntimeApiClient"/>, as the durable host does.
/// </summary>
public static class ApproverFunction
{
    /// <summary>The function's name (and <c>_HANDLER</c>).</summary>
    public const string FunctionName = "order-approver";

    /// <summary>Whether <c>_HANDLER</c> selects the approver.</summary>
    public static bool IsSelected => Environment.GetEnvironmentVariable("_HANDLER") == FunctionName;

    /// <summary>Runs the Runtime API loop; returns the exit code (1 after an init error or a fatal Runtime API answer).</summary>
    public static async Task<int> RunLambdaAsync(CancellationToken cancellationToken = default)
    {
        var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(api))
        {
            await Console.Error.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this process is not running under a Lambda Runtime API.");
            return 1;
        }

        using var runtime = new LambdaRuntimeApiClient(api);
        DurableExecutionClient callbacks;
        try
        {
            callbacks = new DurableExecutionClient();
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"Init error: {ex.Message}");
            try
            {
                await runtime.PostInitErrorAsync(LambdaError.FromException(ex), cancellationToken);
            }
            catch (Exception postError)
            {
                await Console.Error.WriteLineAsync($"Could not report the init error: {postError.Message}");
            }

            return 1;
        }

        using (callbacks)
        {
            while (true)
            {
                LambdaInvocation invocation;
                try
                {
                    invocation = await runtime.NextAsync(cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }
                catch (Exception ex) when (ex is LambdaRuntimeApiException or HttpRequestException)
                {
                    await Console.Error.WriteLineAsync($"Exiting: {ex.Message}");
                    return 1;
                }

                HttpStatusCode status;
                try
                {
                    var request = JsonSerializer.Deserialize(invocation.Body, OrderApprovalJson.Default.ApprovalRequest)
                                  ?? throw new JsonException("The event is JSON null, not an approval request.");
                    await Approver.HandleAsync(request, callbacks, cancellationToken);
                    Console.WriteLine($"answered the manager-approval callback of order {request.Order.OrderId}");
                    status = await runtime.PostResponseAsync(invocation.RequestId, "null"u8.ToArray(), "application/json",
                        cancellationToken);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    return 0;
                }
                catch (Exception ex)
                {
                    status = await TryPostErrorAsync(runtime, invocation.RequestId, ex, cancellationToken);
                }

                if (status == HttpStatusCode.InternalServerError)
                {
                    await Console.Error.WriteLineAsync("Exiting: the Runtime API answered 500 (container error).");
                    return 1;
                }
            }
        }
    }

    private static async Task<HttpStatusCode> TryPostErrorAsync(LambdaRuntimeApiClient runtime, string requestId, Exception error,
        CancellationToken cancellationToken)
    {
        await Console.Error.WriteLineAsync($"The approval failed: {error.GetType().Name}: {error.Message}");
        try
        {
            return await runtime.PostErrorAsync(requestId, LambdaError.FromException(error), cancellationToken);
        }
        catch (HttpRequestException)
        {
            return HttpStatusCode.InternalServerError;
        }
    }
}
