using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.Cli;

/// <summary>The durable REST APIs and Invoke over plain HTTP (the local service accepts unsigned requests).</summary>
internal sealed class ServiceHttp(Uri endpoint) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = endpoint, Timeout = Timeout.InfiniteTimeSpan };

    public Uri Endpoint => endpoint;

    /// <summary>A client of <paramref name="endpoint"/> (<c>--endpoint</c>), else of <c>$DURABLEGEN_ENDPOINT</c>, else of
    /// <see cref="CliOptions.DefaultEndpoint"/>.</summary>
    public static ServiceHttp Connect(string? endpoint)
    {
        endpoint ??= Environment.GetEnvironmentVariable("DURABLEGEN_ENDPOINT") ?? CliOptions.DefaultEndpoint;
        return new ServiceHttp(CliOptions.ParseEndpoint(endpoint)
                               ?? throw new CliException($"DURABLEGEN_ENDPOINT must be an http(s) URL, not '{endpoint}'."));
    }

    public static string Escape(string value) => Uri.EscapeDataString(value);

    public async Task<(string? Arn, int Status, string Body)> InvokeAsync(string function, string? payload, string type,
        string? name, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2015-03-31/functions/{Escape(function)}/invocations")
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(payload ?? "")),
        };
        request.Headers.Add("X-Amz-Invocation-Type", type);
        if (name is not null)
        {
            request.Headers.Add("X-Amz-Durable-Execution-Name", name);
        }

        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var arn = response.Headers.TryGetValues("X-Amz-Durable-Execution-Arn", out var values) ? values.FirstOrDefault() : null;
        return (arn, (int)response.StatusCode, await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
    }

    public Task<JsonElement> GetExecutionAsync(string arn, CancellationToken cancellationToken) =>
        GetJsonAsync($"2025-12-01/durable-executions/{Escape(arn)}", cancellationToken);

    public async Task<JsonElement[]> GetHistoryAsync(string arn, CancellationToken cancellationToken)
    {
        var events = new System.Collections.Generic.List<JsonElement>();
        string? marker = null;
        do
        {
            var page = await GetJsonAsync($"2025-12-01/durable-executions/{Escape(arn)}/history?MaxItems=1000"
                                          + (marker is null ? "" : "&Marker=" + Escape(marker)), cancellationToken).ConfigureAwait(false);
            events.AddRange(page.GetProperty("Events").EnumerateArray());
            marker = page.TryGetProperty("NextMarker", out var next) ? next.GetString() : null;
        }
        while (marker is not null);

        return events.ToArray();
    }

    public Task<JsonElement> ListExecutionsAsync(string function, CancellationToken cancellationToken) =>
        GetJsonAsync($"2025-12-01/functions/{Escape(function)}/durable-executions?MaxItems=1000", cancellationToken);

    public async Task CallbackAsync(string action, string callbackId, HttpContent? content, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"2025-12-01/durable-execution-callbacks/{Escape(callbackId)}/{action}")
        {
            Content = content ?? new ByteArrayContent(Array.Empty<byte>()),
        };
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
    }

    private async Task<JsonElement> GetJsonAsync(string path, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        using var response = await SendAsync(request, cancellationToken).ConfigureAwait(false);
        var text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        using var document = JsonDocument.Parse(text);
        return document.RootElement.Clone();
    }

    private async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            throw new CliException($"Cannot reach the durable execution service at {endpoint}: {ex.Message}. " +
                                   "Start it with `durablegen serve` or pass --endpoint.");
        }

        if ((int)response.StatusCode < 400)
        {
            return response;
        }

        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        var code = response.Headers.TryGetValues("x-amzn-ErrorType", out var values) ? values.First().Split(':')[0] : "Unknown";
        var message = body;
        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.TryGetProperty("message", out var m) || document.RootElement.TryGetProperty("Message", out m))
            {
                message = m.GetString() ?? body;
            }
        }
        catch (JsonException)
        {
        }

        response.Dispose();
        throw new ServiceError(code, (int)response.StatusCode, message);
    }

    public void Dispose() => _http.Dispose();
}
