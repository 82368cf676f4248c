using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// Runs the functions of an assembly as a Lambda custom runtime: picks the function (by <c>_HANDLER</c>, else by
/// <c>AWS_LAMBDA_FUNCTION_NAME</c>, when there are several), then loops on the Runtime API — <c>next</c>, run the
/// event through the function's handler, post the output to <c>response</c> or the failure to <c>error</c> — one
/// invocation at a time. A durable workflow gets the service's envelope and answers with one; a plain function gets
/// the event's JSON and answers with its result's JSON.
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
    public static Task<int> RunAsync(IReadOnlyList<DurableWorkflowRegistration> workflows,
        DurableLambdaHostOptions? options = null, CancellationToken cancellationToken = default) =>
        RunAsync(workflows, Array.Empty<LambdaFunctionRegistration>(), options, cancellationToken);

    /// <summary>
    /// Runs the Runtime API loop for the one of <paramref name="workflows"/> and <paramref name="functions"/> that
    /// <c>_HANDLER</c> names, until the API fails or the token is cancelled.
    /// </summary>
    /// <returns>The process exit code: 0 when cancelled, 1 after an init error or a fatal Runtime API answer.</returns>
    public static async Task<int> RunAsync(IReadOnlyList<DurableWorkflowRegistration> workflows,
        IReadOnlyList<LambdaFunctionRegistration> functions, DurableLambdaHostOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(workflows);
        ArgumentNullException.ThrowIfNull(functions);
        options ??= new DurableLambdaHostOptions();
        var env = options.Environment;
        var log = options.Log ?? Console.Error;
        var api = options.RuntimeApi ?? env("AWS_LAMBDA_RUNTIME_API");
        if (string.IsNullOrEmpty(api))
        {
            await log.WriteLineAsync(NotUnderLambda(workflows, functions)).ConfigureAwait(false);
            return 1;
        }

        using var runtime = new LambdaRuntimeApiClient(api);
        string selectedName;
        Func<LambdaInvocation, ILambdaContext, Task<byte[]>> invoke;
        try
        {
            var (workflow, function) = Select(workflows, functions, options.Handler ?? env("_HANDLER"), env("AWS_LAMBDA_FUNCTION_NAME"));
            if (workflow is not null)
            {
                var client = ResolveServiceClient(options, env);
                selectedName = workflow.FunctionName;
                invoke = (invocation, lambdaContext) => InvokeWorkflowAsync(workflow, client, invocation, lambdaContext, options);
            }
            else
            {
                selectedName = function!.FunctionName;
                invoke = (invocation, lambdaContext) => InvokeFunctionAsync(function, invocation, lambdaContext, cancellationToken);
            }
        }
        catch (Exception ex)
        {
            await log.WriteLineAsync($"Init error: {ex.Message}").ConfigureAwait(false);
            await TryAsync(() => runtime.PostInitErrorAsync(LambdaError.FromException(ex), cancellationToken), log)
                .ConfigureAwait(false);
            return 1;
        }

        var functionName = env("AWS_LAMBDA_FUNCTION_NAME") ?? selectedName;
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
                invocation.InvokedFunctionArn, invocation.Deadline, traceId: invocation.TraceId);
            HttpStatusCode status;
            try
            {
                status = await RespondAsync(runtime, invoke, invocation, lambdaContext, cancellationToken).ConfigureAwait(false);
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

    /// <summary>What someone who started the function binary by hand needs to read: what it is and how to run it.</summary>
    private static string NotUnderLambda(IReadOnlyList<DurableWorkflowRegistration> workflows,
        IReadOnlyList<LambdaFunctionRegistration> functions)
    {
        var names = string.Join(", ", workflows.Select(w => w.FunctionName).Concat(functions.Select(f => f.FunctionName)));
        return $"""
            This program is an AWS Lambda function ({(names.Length == 0 ? "none declared" : names)}), built with DurableGen: Lambda
            starts it with AWS_LAMBDA_RUNTIME_API set, and AWS_LAMBDA_RUNTIME_API is not set here.
              Run it locally:  durablegen run <project>      (the local durable execution service runs it as Lambda would)
              Deploy it:       durablegen package <project>  (then sam deploy)
            """;
    }

    private static async Task<HttpStatusCode> RespondAsync(LambdaRuntimeApiClient runtime,
        Func<LambdaInvocation, ILambdaContext, Task<byte[]>> invoke, LambdaInvocation invocation, ILambdaContext lambdaContext,
        CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            body = await invoke(invocation, lambdaContext).ConfigureAwait(false);
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

    private static async Task<byte[]> InvokeWorkflowAsync(DurableWorkflowRegistration workflow, IDurableServiceClient client,
        LambdaInvocation invocation, ILambdaContext lambdaContext, DurableLambdaHostOptions options)
    {
        var input = JsonSerializer.Deserialize(invocation.Body, ProtocolJson.Envelope.DurableExecutionInvocationInput)
                    ?? throw new JsonException("The invocation event is JSON null, not a durable execution envelope.");
        var output = await workflow.Handler(input, lambdaContext, client, options.ExecutionOptions).ConfigureAwait(false);
        return JsonSerializer.SerializeToUtf8Bytes(output, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
    }

    private static async Task<byte[]> InvokeFunctionAsync(LambdaFunctionRegistration function, LambdaInvocation invocation,
        ILambdaContext lambdaContext, CancellationToken cancellationToken)
    {
        // The handler's token fires at the invocation's deadline, as Lambda stops the sandbox then.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (invocation.Deadline is { } at)
        {
            deadline.CancelAfter(at - DateTimeOffset.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero);
        }

        return await function.Handler(invocation.Body, lambdaContext, deadline.Token).ConfigureAwait(false);
    }

    private static (DurableWorkflowRegistration? Workflow, LambdaFunctionRegistration? Function) Select(
        IReadOnlyList<DurableWorkflowRegistration> workflows, IReadOnlyList<LambdaFunctionRegistration> functions,
        string? handler, string? functionName)
    {
        if (workflows.Count + functions.Count == 0)
        {
            throw new InvalidOperationException("This assembly has no [DurableWorkflow] or [LambdaFunction] class to run.");
        }

        // _HANDLER first (the generated template sets it to the function name); a template that says "bootstrap", as
        // custom-runtime templates usually do, falls back to the deployed function's name.
        foreach (var name in new[] { handler, functionName })
        {
            if (string.IsNullOrEmpty(name))
            {
                continue;
            }

            if (workflows.FirstOrDefault(w => w.Matches(name)) is { } workflow)
            {
                return (workflow, null);
            }

            if (functions.FirstOrDefault(f => f.Matches(name)) is { } function)
            {
                return (null, function);
            }
        }

        if (workflows.Count + functions.Count == 1)
        {
            return (workflows.FirstOrDefault(), functions.FirstOrDefault());
        }

        var names = string.Join(", ", workflows.Select(w => w.FunctionName).Concat(functions.Select(f => f.FunctionName)));
        throw new InvalidOperationException(string.IsNullOrEmpty(handler)
            ? $"_HANDLER is not set and this assembly holds several functions; set it to one of: {names}."
            : $"_HANDLER '{handler}' names no function of this assembly; expected one of: {names}.");
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
