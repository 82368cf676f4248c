using System;
using System.IO;
using System.Net.Http;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Client;
using DurableGen.Emulator.Engine;

namespace DurableGen.Conformance.Hosting;

/// <summary>
/// One Lambda sandbox of a function, in this process: the runtime's own Runtime API loop
/// (<see cref="DurableLambdaHost"/>) against the local service's endpoint for the function, checkpointing over HTTP
/// through <see cref="LambdaDurableServiceClient"/>. It dies as a process does (<see cref="Die"/>): its loop stops, its
/// HTTP calls fail from then on, and the in-flight invocation is reported the way the platform reports a dead runtime,
/// <c>Runtime.ExitError</c> on the Runtime API's <c>/error</c> path, once the loop has stopped.
/// </summary>
internal sealed class RuntimeSandbox : IAsyncDisposable
{
    private readonly CancellationTokenSource _life = new();
    private readonly Fence _fence = new(new SocketsHttpHandler());
    private readonly LambdaDurableServiceClient _serviceClient;
    private readonly string _runtimeApi;
    private Task<int>? _loop;

    public RuntimeSandbox(Uri serviceEndpoint, string region, string functionName, string runtimeApi)
    {
        FunctionName = functionName;
        _runtimeApi = runtimeApi;
        _serviceClient = new LambdaDurableServiceClient(new DurableClientOptions
        {
            Endpoint = serviceEndpoint,
            Region = region,
            Unsigned = true, // the local service accepts unsigned requests
            HttpMessageHandler = _fence,
            Environment = _ => null,
        });
    }

    public string FunctionName { get; }

    /// <summary>Starts the Runtime API loop with <paramref name="handler"/> as the function's code.</summary>
    public void Start(DurableHandler handler)
    {
        var registration = new DurableWorkflowRegistration(FunctionName, FunctionName, handler);
        var options = new DurableLambdaHostOptions
        {
            RuntimeApi = _runtimeApi,
            Handler = FunctionName,
            ServiceClient = _serviceClient,
            Environment = name => name == "AWS_LAMBDA_FUNCTION_NAME" ? FunctionName : null,
            Log = TextWriter.Null,
        };
        _loop = Task.Run(() => DurableLambdaHost.RunAsync([registration], options, _life.Token));
    }

    /// <summary>
    /// Kills the sandbox in the middle of invocation <paramref name="requestId"/>: no HTTP call of its code reaches
    /// the service any more, its loop posts nothing more, and once the loop has stopped the exit is reported for the
    /// invocation. <paramref name="exited"/> runs after that report (the host starts a new sandbox).
    /// </summary>
    public void Die(string requestId, Func<Task> exited)
    {
        _fence.Close();
        _life.Cancel();
        _ = Task.Run(async () =>
        {
            try
            {
                if (_loop is { } loop)
                {
                    await loop.ConfigureAwait(false); // exits: the token it runs on is cancelled
                }
            }
            catch (Exception)
            {
                // a dead process's last words are nobody's business
            }

            await exited().ConfigureAwait(false);
            await ReportExitAsync(requestId).ConfigureAwait(false);
        });
    }

    public async ValueTask DisposeAsync()
    {
        _fence.Close();
        await _life.CancelAsync().ConfigureAwait(false);
        if (_loop is { } loop)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or HttpRequestException)
            {
                // stopping
            }
        }

        _serviceClient.Dispose();
        _life.Dispose();
    }

    /// <summary>What Lambda records for a runtime that died mid-invocation, as the local service records an exited
    /// function process.</summary>
    private async Task ReportExitAsync(string requestId)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            new Uri($"http://{_runtimeApi}/2018-06-01/runtime/invocation/{Uri.EscapeDataString(requestId)}/error"));
        request.Headers.Add("Lambda-Runtime-Function-Error-Type", "Runtime.ExitError");
        var body = $$"""{"errorType":"{{DurableExecutionEngine.RuntimeExitError}}","errorMessage":"{{DurableExecutionEngine.RuntimeExitMessage(requestId, 1)}}"}""";
        request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await http.SendAsync(request).ConfigureAwait(false);
    }

    /// <summary>The network of a dead process: every request fails once closed.</summary>
    private sealed class Fence(HttpMessageHandler inner) : DelegatingHandler(inner)
    {
        private volatile bool _closed;

        public void Close() => _closed = true;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            _closed
                ? Task.FromException<HttpResponseMessage>(new HttpRequestException("The sandbox's process has exited."))
                : base.SendAsync(request, cancellationToken);
    }
}
