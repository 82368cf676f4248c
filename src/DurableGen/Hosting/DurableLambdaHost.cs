using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Hosting;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// Runs durable functions as a Lambda custom runtime: picks the workflow (by <c>_HANDLER</c> when there are several),
/// resolves the service client, then loops on the Runtime API — <c>next</c>, run the envelope through the workflow's
/// handler, post the output envelope to <c>response</c> or the failure to <c>error</c> — one invocation at a time.
/// </summary>
public static class DurableLambdaHost
{
    /// <summary>The variable that selects a built-in service client (<c>replay-only</c>).</summary>
    public const string ServiceClientVariable = "DURABLEGEN_SERVICE_CLIENT";

    /// <summary>
    /// The service client used when neither the options nor <c>DURABLEGEN_SERVICE_CLIENT</c> choose one. Null (the
    /// default) means the HTTP client of the Lambda durable execution APIs,
    /// <see cref="DurableGen.Client.LambdaDurableServiceClient"/>, configured from the function's environment
    /// (<c>AWS_REGION</c>, the execution role's credentials, <c>AWS_ENDPOINT_URL_LAMBDA</c> / <c>AWS_ENDPOINT_URL</c>).
    /// </summary>
    public static Func<IDurableServiceClient>? DefaultServiceClientFactory { get; set; }

    /// <summary>Whether this process runs under a Lambda Runtime API (<c>AWS_LAMBDA_RUNTIME_API</c> is set).</summary>
    public static bool IsLambdaEnvironment =>
        !string.IsNullOrEmpty(System.Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API"));

    /// <summary>Runs the Runtime API loop for <paramref name="workflows"/> until the API fails or the token is cancelled.</summary>
    /// <returns>The process exit code: 0 when cancelled, 1 after an init error or a fatal Runtime API answer.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<DurableWorkflowRegistration> workflows,
        DurableLambdaHostOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        options ??= new DurableLambdaHostOptions();
        var env = options.Environment;
        var log = options.Log ?? Console.Error;
        var api = options.RuntimeApi ?? env("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(api))
        {
            await log.WriteLineAsync("AWS_LAMBDA_RUNTIME_API is not set: this process is not running under a Lambda Runtime API.")
                .ConfigureAwait(false);
            return 1;
        }

        using var runtime = new LambdaRuntimeApiClient(api);
        DurableWorkflowRegistration workflow;
        IDurableServiceClient client;
        try
        {
            workflow = Select(workflows, options.Handler ?? env("_HANDLER"));
            client = ResolveServiceClient(options, env);
        }
        catch (Exception ex)
        {
            await log.WriteLineAsync($"Init error: {ex.Message}").ConfigureAwait(false);
            await TryAsync(() => runtime.PostInitErrorAsync(LambdaError.FromException(ex), cancellationToken), log)
                .ConfigureAwait(false);
            return 1;
        }

        var functionName = env("AWS_LAMBDA_FUNCTION_NAME") ?? workflow.FunctionName;
        var functionVersion = env("AWS_LAMBDA_FUNCTION_VERSION") ?? "$LATEST";
        while (true)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await runtime.NextAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (Exception ex) when (ex is LambdaRuntimeApiException or HttpRequestException)
            {
                await log.WriteLineAsync($"Exiting: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            System.Environment.SetEnvironmentVariable("_X_AMZN_TRACE_ID", invocation.TraceId);
            var lambdaContext = new LambdaContext(invocation.RequestId, functionName, functionVersion,
                invocation.InvokedFunctionArn, invocation.Deadline);
            HttpStatusCode status;
            try
            {
                status = await InvokeAsync(runtime, workflow, client, invocation, lambdaContext, options, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return 0;
            }
            catch (HttpRequestException ex)
            {
                await log.WriteLineAsync($"Exiting: the Runtime API is unreachable: {ex.Message}").ConfigureAwait(false);
                return 1;
            }

            if (status == HttpStatusCode.InternalServerError)
            {
                await log.WriteLineAsync("Exiting: the Runtime API answered 500 (container error).").ConfigureAwait(false);
                return 1;
            }

            if (status != HttpStatusCode.Accepted)
            {
                await log.WriteLineAsync($"The Runtime API answered {(int)status} for request {invocation.RequestId}.")
                    .ConfigureAwait(false);
            }
        }
    }

    private static async Task<HttpStatusCode> InvokeAsync(LambdaRuntimeApiClient runtime, DurableWorkflowRegistration workflow,
        IDurableServiceClient client, LambdaInvocation invocation, ILambdaContext lambdaContext, DurableLambdaHostOptions options,
        CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            var input = JsonSerializer.Deserialize(invocation.Body, ProtocolJson.Envelope.DurableExecutionInvocationInput)
                        ?? throw new JsonException("The invocation event is JSON null, not a durable execution envelope.");
            var output = await workflow.Handler(input, lambdaContext, client, options.ExecutionOptions).ConfigureAwait(false);
            body = JsonSerializer.SerializeToUtf8Bytes(output, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return await runtime.PostErrorAsync(invocation.RequestId, LambdaError.FromException(ex), cancellationToken)
                .ConfigureAwait(false);
        }

        var status = await runtime.PostResponseAsync(invocation.RequestId, body, "application/json", cancellationToken)
            .ConfigureAwait(false);
        if (status == HttpStatusCode.RequestEntityTooLarge)
        {
            // The API refused the body; the invocation still needs an outcome, and the error explains it.
            status = await runtime.PostErrorAsync(invocation.RequestId, new LambdaError("Function.ResponseSizeTooLarge",
                $"The response is {body.Length} bytes, over the Runtime API's payload limit.", []), cancellationToken)
                .ConfigureAwait(false);
        }

        return status;
    }

    private static DurableWorkflowRegistration Select(IReadOnlyList<DurableWorkflowRegistration> workflows, string? handler)
    {
        if (workflows.Count == 0)
        {
            throw new InvalidOperationException("This assembly has no [DurableWorkflow] class to run.");
        }

        if (!string.IsNullOrEmpty(handler) && workflows.FirstOrDefault(w => w.Matches(handler)) is { } match)
        {
            return match;
        }

        if (workflows.Count == 1)
        {
            return workflows[0];
        }

        var names = string.Join(", ", workflows.Select(w => w.FunctionName));
        throw new InvalidOperationException(string.IsNullOrEmpty(handler)
            ? $"_HANDLER is not set and this assembly holds several workflows; set it to one of: {names}."
            : $"_HANDLER '{handler}' names no workflow of this assembly; expected one of: {names}.");
    }

    private static IDurableServiceClient ResolveServiceClient(DurableLambdaHostOptions options, Func<string, string?> env)
    {
        if (options.ServiceClient is { } client)
        {
            return client;
        }

        if (options.ServiceClientFactory is { } factory)
        {
            return factory() ?? throw new InvalidOperationException("The service client factory returned null.");
        }

        return env(ServiceClientVariable) switch
        {
            "replay-only" => new ReplayOnlyServiceClient(),
            null or "" or "lambda" => DefaultServiceClientFactory is { } defaultFactory
                ? defaultFactory() ?? throw new InvalidOperationException("The default service client factory returned null.")
                : CreateLambdaServiceClient(env),
            var other => throw new InvalidOperationException(
                $"{ServiceClientVariable}='{other}' is not a known service client (known: lambda, replay-only)."),
        };
    }

    private static DurableGen.Client.LambdaDurableServiceClient CreateLambdaServiceClient(Func<string, string?> env)
    {
        try
        {
            return new DurableGen.Client.LambdaDurableServiceClient(new DurableGen.Client.DurableClientOptions { Environment = env });
        }
        catch (InvalidOperationException ex)
        {
            throw new InvalidOperationException(
                $"No durable execution service client is configured and the Lambda one cannot be created: {ex.Message} " +
                "Set DurableLambdaHostOptions.ServiceClient (or ServiceClientFactory, or DurableLambdaHost.DefaultServiceClientFactory), " +
                $"or {ServiceClientVariable}=replay-only to serve envelopes that already hold every record.", ex);
        }
    }

    private static async Task TryAsync(Func<Task<HttpStatusCode>> call, System.IO.TextWriter log)
    {
        try
        {
            await call().ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            await log.WriteLineAsync($"Could not report the init error: {ex.Message}").ConfigureAwait(false);
        }
    }
}
