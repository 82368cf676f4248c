using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Text;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DurableGen.Client.Tests;

/// <summary>A request exactly as it arrived: method, raw target (path and query as sent), headers, body bytes.</summary>
public sealed record RecordedRequest(string Method, string RawTarget, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Path => RawTarget.Split('?')[0];

    public string Query => RawTarget.Contains('?') ? RawTarget[(RawTarget.IndexOf('?') + 1)..] : "";

    public string BodyText => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}

/// <summary>What the fake answers: a status, headers and a body; <see cref="Abort"/> drops the connection instead.</summary>
public sealed record Answer(int Status, string? Body = null, IReadOnlyDictionary<string, string>? Headers = null, bool Abort = false)
{
    public static Answer Json(string body, int status = 200) => new(status, body);

    public static Answer Error(int status, string type, string message, string messageKey = "message") =>
        new(status, $$"""{"__type":"{{type}}","Type":"{{(status >= 500 ? "Service" : "User")}}","{{messageKey}}":"{{message}}"}""",
            new Dictionary<string, string> { ["x-amzn-ErrorType"] = type });
}

/// <summary>
/// A fake Lambda service on 127.0.0.1 (port from the OS). It records every request and answers from a queue of
/// <see cref="Answer"/>s (then <see cref="Fallback"/>).
/// </summary>
public sealed class FakeLambdaService : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<Answer> _answers = new();
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();

    private FakeLambdaService(WebApplication app) => _app = app;

    public Uri Endpoint { get; private set; } = null!;

    public Func<RecordedRequest, Answer> Fallback { get; set; } = _ => Answer.Json("{}");

    public IReadOnlyList<RecordedRequest> Requests => _requests.ToArray();

    public RecordedRequest Single() => Assert.Single(Requests);

    public FakeLambdaService Enqueue(params Answer[] answers)
    {
        foreach (var answer in answers)
        {
            _answers.Enqueue(answer);
        }

        return this;
    }

    public static async Task<FakeLambdaService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeLambdaService(app);
        app.Run(fake.HandleAsync);
        await app.StartAsync();
        fake.Endpoint = new Uri(app.Urls.First());
        return fake;
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in context.Request.Headers)
        {
            headers[name] = values.ToString();
        }

        var raw = context.Features.Get<IHttpRequestFeature>()!.RawTarget;
        var request = new RecordedRequest(context.Request.Method, raw, headers, buffer.ToArray());
        _requests.Enqueue(request);
        var answer = _answers.TryDequeue(out var queued) ? queued : Fallback(request);
        if (answer.Abort)
        {
            context.Abort();
            return;
        }

        context.Response.StatusCode = answer.Status;
        foreach (var (name, value) in answer.Headers ?? new Dictionary<string, string>())
        {
            context.Response.Headers[name] = value;
        }

        context.Response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        if (answer.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(answer.Body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
