using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Benchmarks;

/// <summary>What the fake saw of one armed run: when the first <c>next</c> and the first post arrived, and the post.</summary>
/// <param name="FirstNextTimestamp">
/// <see cref="Stopwatch.GetTimestamp"/> when the process first called <c>next</c> (its init is over), or 0 if it never did.
/// </param>
/// <param name="PostTimestamp"><see cref="Stopwatch.GetTimestamp"/> when the post arrived.</param>
/// <param name="Kind"><c>response</c>, <c>error</c>, <c>init-error</c>, or <c>unexpected</c> for any other request.</param>
/// <param name="Detail">The posted body, or the method and path of an unexpected request.</param>
internal sealed record ColdStartPost(long FirstNextTimestamp, long PostTimestamp, string Kind, string Detail);

/// <summary>
/// A fake Lambda Runtime API on 127.0.0.1 for one process (one per run): <see cref="Arm"/> sets the event the next
/// <c>next</c> call gets; the run completes with the first post (response, error or init error) or with any other
/// request, such as a checkpoint sent to <c>AWS_ENDPOINT_URL_LAMBDA</c>, which points here too and which a fully
/// replayed envelope must not need.
/// </summary>
internal sealed class ColdStartRuntimeApi : IDisposable
{
    private const string Prefix = "/2018-06-01/runtime/";
    private readonly HttpListener _listener;
    private ArmedRun? _current;

    private ColdStartRuntimeApi(HttpListener listener, int port)
    {
        _listener = listener;
        Address = "127.0.0.1:" + port.ToString(CultureInfo.InvariantCulture);
        _ = Task.Run(AcceptLoopAsync);
    }

    /// <summary>The <c>host:port</c> for <c>AWS_LAMBDA_RUNTIME_API</c> (and, as a URL, the Lambda endpoint).</summary>
    public string Address { get; }

    /// <summary>Listens on a free loopback port.</summary>
    public static ColdStartRuntimeApi Start()
    {
        // HttpListener cannot bind port 0, so borrow a free port from the OS; another process could take it in between,
        // hence the retries.
        for (var attempt = 0; ; attempt++)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            var listener = new HttpListener();
            listener.Prefixes.Add($"http://127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/");
            try
            {
                listener.Start();
                return new ColdStartRuntimeApi(listener, port);
            }
            catch (HttpListenerException) when (attempt < 5)
            {
                listener.Close();
            }
        }
    }

    /// <summary>
    /// Makes <paramref name="eventBody"/> the answer to the next <c>next</c> call, under <paramref name="requestId"/>;
    /// the task completes with the first post (or unexpected request) that follows.
    /// </summary>
    public Task<ColdStartPost> Arm(string requestId, byte[] eventBody)
    {
        var run = new ArmedRun(requestId, eventBody);
        Volatile.Write(ref _current, run);
        return run.Done.Task;
    }

    /// <summary>Ends the armed run: <c>next</c> calls still waiting (the process asking for more work) are dropped.</summary>
    public void Disarm()
    {
        Interlocked.Exchange(ref _current, null)?.Over.TrySetResult();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        Disarm();
        _listener.Close();
    }

    private async Task AcceptLoopAsync()
    {
        while (true)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            // Stamped before anything else is scheduled, so the time is when the request arrived, not when it was handled.
            var arrived = Stopwatch.GetTimestamp();
            _ = Task.Run(() => HandleAsync(context, arrived));
        }
    }

    private async Task HandleAsync(HttpListenerContext context, long arrived)
    {
        try
        {
            await HandleCoreAsync(context, arrived).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is HttpListenerException or IOException or ObjectDisposedException)
        {
            // The process was killed mid-request: nothing to answer.
        }
    }

    private async Task HandleCoreAsync(HttpListenerContext context, long arrived)
    {
        var request = context.Request;
        var response = context.Response;
        var path = request.Url?.AbsolutePath ?? "";
        var run = Volatile.Read(ref _current);
        if (run is null)
        {
            // Between runs: a killed process's last request, or a stray one. A 500 tells a live runtime to exit.
            response.StatusCode = 500;
            response.Close();
            return;
        }

        if (request.HttpMethod == "GET" && path == Prefix + "invocation/next")
        {
            Interlocked.CompareExchange(ref run.FirstNextTimestamp, arrived, 0);
            if (Interlocked.Exchange(ref run.Delivered, 1) == 1)
            {
                // The process has answered and asks for more; it is about to be killed, so hold the poll until then.
                await run.Over.Task.ConfigureAwait(false);
                response.Abort();
                return;
            }

            response.StatusCode = 200;
            response.ContentType = "application/json";
            response.Headers["Lambda-Runtime-Aws-Request-Id"] = run.RequestId;
            response.Headers["Lambda-Runtime-Deadline-Ms"] =
                DateTimeOffset.UtcNow.AddMinutes(15).ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = "arn:aws:lambda:us-east-1:123456789012:function:cold-start";
            response.Headers["Lambda-Runtime-Trace-Id"] = "Root=1-00000000-000000000000000000000001";
            response.ContentLength64 = run.EventBody.Length;
            await response.OutputStream.WriteAsync(run.EventBody).ConfigureAwait(false);
            response.Close();
            return;
        }

        string body;
        using (var reader = new StreamReader(request.InputStream))
        {
            body = await reader.ReadToEndAsync().ConfigureAwait(false);
        }

        var kind = request.HttpMethod != "POST" ? "unexpected"
            : path == Prefix + "init/error" ? "init-error"
            : path == Prefix + $"invocation/{run.RequestId}/response" ? "response"
            : path == Prefix + $"invocation/{run.RequestId}/error" ? "error"
            : "unexpected";
        response.StatusCode = kind == "unexpected" ? 500 : 202;
        response.Close();
        run.Done.TrySetResult(new ColdStartPost(Interlocked.Read(ref run.FirstNextTimestamp), arrived, kind,
            kind == "unexpected" ? $"{request.HttpMethod} {path}: {body}" : body));
    }

    private sealed class ArmedRun(string requestId, byte[] eventBody)
    {
        public readonly string RequestId = requestId;
        public readonly byte[] EventBody = eventBody;
        public readonly TaskCompletionSource<ColdStartPost> Done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public readonly TaskCompletionSource Over = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public long FirstNextTimestamp;
        public int Delivered;
    }
}
