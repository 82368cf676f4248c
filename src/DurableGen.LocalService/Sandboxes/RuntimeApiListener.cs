using System;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.LocalService.Api;
using DurableGen.LocalService.Dispatch;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace DurableGen.LocalService.Sandboxes;

/// <summary>
/// A Lambda Runtime API at the root of its own port on 127.0.0.1, as Lambda and the runtime interface emulator give
/// each execution environment: <c>AWS_LAMBDA_RUNTIME_API</c> is exactly <see cref="Address"/> (<c>host:port</c>), which
/// every runtime interface client splits into host and port. It serves one function, as one sandbox (or, with sandbox
/// 0, any process that connects by itself). A sandbox's listener belongs to one start of its process and is closed
/// when that process exits or is killed: a process of an earlier start holds a port nobody listens on any more, so it
/// cannot take the sandbox's invocations.
/// </summary>
internal sealed class RuntimeApiListener : IAsyncDisposable
{
    private readonly KestrelServer _server;
    private readonly CancellationTokenSource _closing;
    private readonly Lock _gate = new();
    private Task? _closed;

    private RuntimeApiListener(KestrelServer server, CancellationTokenSource closing, string address, int port)
    {
        _server = server;
        _closing = closing;
        Address = address;
        Port = port;
    }

    /// <summary>The value of <c>AWS_LAMBDA_RUNTIME_API</c>: <c>127.0.0.1:PORT</c>.</summary>
    public string Address { get; }

    /// <summary>The port.</summary>
    public int Port { get; }

    /// <summary>Listens on a free port of 127.0.0.1 for the Runtime API of <paramref name="function"/> as
    /// <paramref name="sandbox"/>.</summary>
    public static async Task<RuntimeApiListener> OpenAsync(RuntimeApiEndpoints endpoints, FunctionQueue function, int sandbox)
    {
        // Kestrel on its own, not a WebApplication: a listener opens at every process start, and this one is a few
        // milliseconds.
        var options = new KestrelServerOptions { ApplicationServices = new ServiceCollection().BuildServiceProvider() };
        options.Listen(IPAddress.Loopback, 0);
        options.AddServerHeader = false;
        options.Limits.MaxRequestBodySize = null; // the endpoints enforce Lambda's limits, with Lambda's errors
        options.Limits.KeepAliveTimeout = TimeSpan.FromHours(1);
        var server = new KestrelServer(Options.Create(options),
            new SocketTransportFactory(Options.Create(new SocketTransportOptions()), NullLoggerFactory.Instance),
            NullLoggerFactory.Instance);
        var closing = new CancellationTokenSource();
        await server.StartAsync(new Application(context => endpoints.HandleAsync(context, function, sandbox, closing.Token)),
            CancellationToken.None).ConfigureAwait(false);
        var uri = new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new RuntimeApiListener(server, closing, $"127.0.0.1:{uri.Port}", uri.Port);
    }

    /// <summary>Stops listening, ends the long polls waiting on it and drops its connections; idempotent, and safe to
    /// start without waiting (a kill closes the endpoint at once).</summary>
    public ValueTask DisposeAsync()
    {
        lock (_gate)
        {
            _closed ??= CloseAsync();
            return new ValueTask(_closed);
        }
    }

    private async Task CloseAsync()
    {
        await _closing.CancelAsync().ConfigureAwait(false);
        using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        await _server.StopAsync(grace.Token).ConfigureAwait(false);
        _server.Dispose();
        _closing.Dispose();
    }

    /// <summary>Kestrel's application: one <see cref="DefaultHttpContext"/> per request over the connection's
    /// features, handled by the Runtime API.</summary>
    private sealed class Application(RequestDelegate handle) : IHttpApplication<HttpContext>
    {
        public HttpContext CreateContext(IFeatureCollection contextFeatures) => new DefaultHttpContext(contextFeatures);

        public Task ProcessRequestAsync(HttpContext context) => handle(context);

        public void DisposeContext(HttpContext context, Exception? exception)
        {
        }
    }
}
