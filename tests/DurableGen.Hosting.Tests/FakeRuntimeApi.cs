using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace DurableGen.Hosting.Tests;

/// <summary>What the runtime posted: a response, an invocation error or an init error.</summary>
public sealed record Posted(string Kind, string? RequestId, string Body, string? ContentType, string? ErrorType);

/// <summary>One answer to <c>next</c>: an invocation (status 200) or a failure status.</summary>
public sealed record NextAnswer(string RequestId, string Body, int Status = 200, long? DeadlineMs = null,
    string? FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:fn", string? TraceId = null,
    TimeSpan Delay = default);

/// <summary>
/// A fake Lambda Runtime API (2018-06-01) on 127.0.0.1, port chosen by the OS: <c>next</c> long-polls until the test
/// queues an answer; <c>response</c>, <c>error</c> and <c>init/error</c> are recorded with their headers, and so are
/// calls to the durable callback API (<c>POST /2025-12-01/durable-execution-callbacks/{id}/{action}</c>).
/// </summary>
public sealed class FakeRuntimeApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Channel<NextAnswer> _answers = Channel.CreateUnbounded<NextAnswer>();
    private readonly Channel<Posted> _posted = Channel.CreateUnbounded<Posted>();
    private int _nextCalls;

    private FakeRuntimeApi(WebApplication app) => _app = app;

    /// <summary>The <c>host:port</c> to put in AWS_LAMBDA_RUNTIME_API.</summary>
    public string Address { get; private set; } = "";

    /// <summary>The status <c>response</c> answers for a request id (default 202).</summary>
    public Func<string, int> ResponseStatus { get; set; } = _ => 202;

    /// <summary>The status <c>error</c> and <c>init/error</c> answer (default 202).</summary>
    public int ErrorStatus { get; set; } = 202;

    /// <summary>How many times <c>next</c> was called.</summary>
    public int NextCalls => Volatile.Read(ref _nextCalls);

    public static async Task<FakeRuntimeApi> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeRuntimeApi(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Address = new Uri(app.Urls.First()).Authority;
        return fake;
    }

    public void Enqueue(NextAnswer answer) => _answers.Writer.TryWrite(answer);

    public async Task<Posted> NextPostedAsync(TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        return await _posted.Reader.ReadAsync(cts.Token);
    }

    public bool TryTakePosted(out Posted? posted) => _posted.Reader.TryRead(out posted);

    public async ValueTask DisposeAsync()
    {
        _answers.Writer.TryComplete();
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext http)
    {
        var path = http.Request.Path.Value ?? "";
        const string callbacks = "/2025-12-01/durable-execution-callbacks/";
        if (http.Request.Method == "POST" && path.StartsWith(callbacks, StringComparison.Ordinal))
        {
            // Playing Lambda's callback API too, for a function that completes callbacks (recorded as "callback-<action>").
            var parts = path[callbacks.Length..].Split('/');
            using var reader = new System.IO.StreamReader(http.Request.Body);
            _posted.Writer.TryWrite(new Posted("callback-" + parts[^1], Uri.UnescapeDataString(parts[0]), await reader.ReadToEndAsync(),
                http.Request.ContentType, null));
            http.Response.StatusCode = 200;
            return;
        }

        const string prefix = "/2018-06-01/runtime/";
        if (!path.StartsWith(prefix, StringComparison.Ordinal))
        {
            http.Response.StatusCode = 404;
            return;
        }

        var rest = path[prefix.Length..];
        if (http.Request.Method == "GET" && rest == "invocation/next")
        {
            Interlocked.Increment(ref _nextCalls);
            NextAnswer answer;
            try
            {
                answer = await _answers.Reader.ReadAsync(http.RequestAborted);
            }
            catch (Exception)
            {
                http.Response.StatusCode = 500;
                return;
            }

            if (answer.Delay > TimeSpan.Zero)
            {
                await Task.Delay(answer.Delay);
            }

            http.Response.StatusCode = answer.Status;
            if (answer.Status == 200)
            {
                http.Response.Headers["Lambda-Runtime-Aws-Request-Id"] = answer.RequestId;
                if (answer.DeadlineMs is { } deadline)
                {
                    http.Response.Headers["Lambda-Runtime-Deadline-Ms"] = deadline.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }

                if (answer.FunctionArn is { } arn)
                {
                    http.Response.Headers["Lambda-Runtime-Invoked-Function-Arn"] = arn;
                }

                if (answer.TraceId is { } trace)
                {
                    http.Response.Headers["Lambda-Runtime-Trace-Id"] = trace;
                }

                http.Response.ContentType = "application/json";
            }

            await http.Response.WriteAsync(answer.Body);
            return;
        }

        if (http.Request.Method != "POST")
        {
            http.Response.StatusCode = 405;
            return;
        }

        var body = await new StreamReader(http.Request.Body).ReadToEndAsync();
        var errorType = http.Request.Headers["Lambda-Runtime-Function-Error-Type"].FirstOrDefault();
        Posted posted;
        if (rest == "init/error")
        {
            posted = new Posted("init-error", null, body, http.Request.ContentType, errorType);
            http.Response.StatusCode = ErrorStatus;
        }
        else if (rest.StartsWith("invocation/", StringComparison.Ordinal) && rest.EndsWith("/response", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(rest["invocation/".Length..^"/response".Length]);
            posted = new Posted("response", id, body, http.Request.ContentType, errorType);
            http.Response.StatusCode = ResponseStatus(id);
        }
        else if (rest.StartsWith("invocation/", StringComparison.Ordinal) && rest.EndsWith("/error", StringComparison.Ordinal))
        {
            var id = Uri.UnescapeDataString(rest["invocation/".Length..^"/error".Length]);
            posted = new Posted("error", id, body, http.Request.ContentType, errorType);
            http.Response.StatusCode = ErrorStatus;
        }
        else
        {
            http.Response.StatusCode = 404;
            return;
        }

        _posted.Writer.TryWrite(posted);
    }
}
