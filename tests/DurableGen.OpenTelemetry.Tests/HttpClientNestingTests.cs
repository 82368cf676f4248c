using System;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Xunit;
using static DurableGen.OpenTelemetry.Tests.SpanAssert;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>
/// The point of tracing a workflow: a real HttpClient call a step makes, seen by the standard HTTP instrumentation,
/// is a child of that step's attempt span in the execution's trace.
/// </summary>
[Collection(nameof(TracingCollection))]
public sealed class HttpClientNestingTests
{
    [Theory]
    [InlineData(DurableTracingView.Execution)]
    [InlineData(DurableTracingView.Invocation)]
    public async Task An_http_call_made_by_a_step_is_a_child_of_the_steps_attempt_span(DurableTracingView view)
    {
        using var server = new TinyHttpServer();
        using var http = new HttpClient();
        using var run = new TracedRun(view);
        var attempts = 0;
        var result = await run.Runner<string, string>(async (_, ctx) =>
        {
            await ctx.WaitAsync(TimeSpan.FromSeconds(5), "first");
            return await ctx.StepAsync(async (_, token) =>
            {
                var body = await http.GetStringAsync(server.Url, token);
                // The retry puts the call under attempt 2, in another invocation than the first try.
                return ++attempts == 1 ? throw new InvalidOperationException("again") : body;
            }, "fetch", new StepConfig
            {
                RetryStrategy = RetryStrategy.Exponential(2, TimeSpan.FromSeconds(1), jitter: JitterStrategy.None),
            });
        }).RunAsync("x");

        Assert.Equal("hello", result.Result);
        var spans = run.SpansOf(result.DurableExecutionArn);
        var workflow = Single(spans, "Workflow");
        var calls = spans.Where(s => s.Kind == ActivityKind.Client).OrderBy(s => s.StartTimeUtc).ToList();
        Assert.Equal(2, calls.Count);
        foreach (var (call, number) in calls.Select((c, i) => (c, i + 1)))
        {
            var attempt = Single(spans, $"fetch attempt {number}");
            Assert.Equal(workflow.TraceId, call.TraceId);
            Assert.Equal(attempt.SpanId, call.ParentSpanId);
            Assert.Equal(attempt.TraceId, call.TraceId);
        }

        // The workflow's own flow never kept a span current that it did not start.
        Assert.Null(Activity.Current);
    }

    /// <summary>An HTTP/1.1 server on 127.0.0.1 answering every request with 200 "hello".</summary>
    private sealed class TinyHttpServer : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();

        public TinyHttpServer()
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/";
            _ = ServeAsync();
        }

        public string Url { get; }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                TcpClient client;
                try
                {
                    client = await _listener.AcceptTcpClientAsync(_stop.Token);
                }
                catch (Exception)
                {
                    return;
                }

                _ = Task.Run(async () =>
                {
                    using (client)
                    {
                        var stream = client.GetStream();
                        var buffer = new byte[8192];
                        var read = 0;
                        while (!Encoding.ASCII.GetString(buffer, 0, read).Contains("\r\n\r\n", StringComparison.Ordinal))
                        {
                            var n = await stream.ReadAsync(buffer.AsMemory(read));
                            if (n == 0)
                            {
                                return;
                            }

                            read += n;
                        }

                        var response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello";
                        await stream.WriteAsync(Encoding.ASCII.GetBytes(response));
                    }
                });
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _stop.Dispose();
        }
    }
}
