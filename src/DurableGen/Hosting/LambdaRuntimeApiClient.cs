using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen;

/// <summary>
/// The Lambda Runtime API (version 2018-06-01) over plain HTTP: <c>next</c>, <c>response</c>, <c>error</c> and
/// <c>init/error</c>. The long poll on <c>next</c> has no client timeout, because Lambda freezes the process between
/// invocations and a poll may appear to last hours.
/// </summary>
internal sealed class LambdaRuntimeApiClient : IDisposable
{
    /// <summary>The content type of error reports.</summary>
    public const string ErrorContentType = "application/vnd.aws.lambda.error+json";

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;

    /// <summary>Creates a client for <paramref name="runtimeApi"/>, the <c>host:port</c> of <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public LambdaRuntimeApiClient(string runtimeApi)
        : this(runtimeApi, new HttpClient(new SocketsHttpHandler
        {
            UseProxy = false,
            PooledConnectionIdleTimeout = System.Threading.Timeout.InfiniteTimeSpan,
            // No DiagnosticsHandler: the host's polling of the Runtime API is not the function's work, so a user's
            // HttpClient instrumentation does not turn every /next and /response into a span of their traces.
            ActivityHeadersPropagator = null,
        }), true)
    {
    }

    /// <summary>Creates a client that sends through <paramref name="http"/> (its timeout is set to infinite).</summary>
    public LambdaRuntimeApiClient(string runtimeApi, HttpClient http)
        : this(runtimeApi, http, false)
    {
    }

    private LambdaRuntimeApiClient(string runtimeApi, HttpClient http, bool ownsHttp)
    {
        ArgumentException.ThrowIfNullOrEmpty(runtimeApi);
        ArgumentNullException.ThrowIfNull(http);
        BaseAddress = new Uri($"http://{runtimeApi.TrimEnd('/')}/2018-06-01/", UriKind.Absolute);
        _http = http;
        _http.Timeout = System.Threading.Timeout.InfiniteTimeSpan;
        _ownsHttp = ownsHttp;
    }

    /// <summary>The API's base address, ending in <c>/2018-06-01/</c>.</summary>
    public Uri BaseAddress { get; }

    /// <summary>The client timeout (always infinite: the <c>next</c> long poll must never time out).</summary>
    public TimeSpan Timeout => _http.Timeout;

    /// <summary>Waits for the next invocation.</summary>
    /// <exception cref="LambdaRuntimeApiException">The API answered anything but 200 (a 500 means: exit now).</exception>
    public async Task<LambdaInvocation> NextAsync(CancellationToken cancellationToken = default)
    {
        using var response = await _http.GetAsync(new Uri(BaseAddress, "runtime/invocation/next"),
            HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new LambdaRuntimeApiException("next", response.StatusCode, Encoding.UTF8.GetString(body));
        }

        var requestId = Header(response, "Lambda-Runtime-Aws-Request-Id");
        if (string.IsNullOrEmpty(requestId))
        {
            throw new LambdaRuntimeApiException("next", response.StatusCode, "The response has no Lambda-Runtime-Aws-Request-Id header.");
        }

        DateTimeOffset? deadline = long.TryParse(Header(response, "Lambda-Runtime-Deadline-Ms"), NumberStyles.Integer,
            CultureInfo.InvariantCulture, out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
        return new LambdaInvocation(requestId, body)
        {
            Deadline = deadline,
            InvokedFunctionArn = Header(response, "Lambda-Runtime-Invoked-Function-Arn"),
            TraceId = Header(response, "Lambda-Runtime-Trace-Id"),
            ClientContext = Header(response, "Lambda-Runtime-Client-Context"),
            CognitoIdentity = Header(response, "Lambda-Runtime-Cognito-Identity"),
            TenantId = Header(response, "Lambda-Runtime-Aws-Tenant-Id"),
            ContentType = response.Content.Headers.ContentType?.ToString(),
        };
    }

    /// <summary>Posts the invocation's result; returns the API's status (202 accepted, 413 too large, 500 exit).</summary>
    public async Task<HttpStatusCode> PostResponseAsync(string requestId, byte[] body, string contentType = "application/json",
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        ArgumentNullException.ThrowIfNull(body);
        using var content = new ByteArrayContent(body);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        using var response = await _http.PostAsync(
            new Uri(BaseAddress, $"runtime/invocation/{Uri.EscapeDataString(requestId)}/response"), content,
            cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    /// <summary>Reports that the invocation failed; returns the API's status (202 accepted, 500 exit).</summary>
    public Task<HttpStatusCode> PostErrorAsync(string requestId, LambdaError error, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(requestId);
        return PostErrorCoreAsync($"runtime/invocation/{Uri.EscapeDataString(requestId)}/error", error, cancellationToken);
    }

    /// <summary>Reports that initialization failed (the process should exit afterwards).</summary>
    public Task<HttpStatusCode> PostInitErrorAsync(LambdaError error, CancellationToken cancellationToken = default) =>
        PostErrorCoreAsync("runtime/init/error", error, cancellationToken);

    /// <inheritdoc />
    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    /// <summary>The error report body: <c>{"errorMessage", "errorType", "stackTrace": [...]}</c>.</summary>
    public static byte[] FormatError(LambdaError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("errorMessage", error.Message);
            json.WriteString("errorType", error.Type);
            json.WriteStartArray("stackTrace");
            foreach (var line in error.StackTrace)
            {
                json.WriteStringValue(line);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return buffer.ToArray();
    }

    private async Task<HttpStatusCode> PostErrorCoreAsync(string path, LambdaError error, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(error);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(BaseAddress, path));
        request.Headers.TryAddWithoutValidation("Lambda-Runtime-Function-Error-Type", error.Type);
        request.Content = new ByteArrayContent(FormatError(error));
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(ErrorContentType);
        using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        return response.StatusCode;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.FirstOrDefault() is { Length: > 0 } v ? v : null : null;
}

/// <summary>One invocation received from <c>next</c>.</summary>
/// <param name="RequestId">The Lambda request id (<c>Lambda-Runtime-Aws-Request-Id</c>).</param>
/// <param name="Body">The event, as sent.</param>
internal sealed record LambdaInvocation(string RequestId, byte[] Body)
{
    /// <summary>When Lambda stops the invocation (<c>Lambda-Runtime-Deadline-Ms</c>), if the API said.</summary>
    public DateTimeOffset? Deadline { get; init; }

    /// <summary>The ARN the function was invoked with (may carry a qualifier).</summary>
    public string? InvokedFunctionArn { get; init; }

    /// <summary>The X-Ray trace header (exported as <c>_X_AMZN_TRACE_ID</c> while the invocation runs).</summary>
    public string? TraceId { get; init; }

    /// <summary>The mobile client context (JSON), if any.</summary>
    public string? ClientContext { get; init; }

    /// <summary>The Cognito identity (JSON), if any.</summary>
    public string? CognitoIdentity { get; init; }

    /// <summary>The tenant id, if any.</summary>
    public string? TenantId { get; init; }

    /// <summary>The event's content type.</summary>
    public string? ContentType { get; init; }
}

/// <summary>An error reported to the Runtime API.</summary>
/// <param name="Type">The error type (body <c>errorType</c> and header <c>Lambda-Runtime-Function-Error-Type</c>).</param>
/// <param name="Message">The message.</param>
/// <param name="StackTrace">The stack, one entry per line.</param>
internal sealed record LambdaError(string Type, string Message, System.Collections.Generic.IReadOnlyList<string> StackTrace)
{
    /// <summary>The report for <paramref name="exception"/>: its type name, message and stack lines.</summary>
    public static LambdaError FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        if (exception is AggregateException { InnerExceptions.Count: 1 } aggregate)
        {
            exception = aggregate.InnerExceptions[0];
        }

        var stack = exception.StackTrace is { Length: > 0 } s
            ? s.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries).Select(l => l.Trim()).ToArray()
            : [];
        return new LambdaError(exception.GetType().Name, exception.Message, stack);
    }
}

/// <summary>The Runtime API answered a call with an unexpected status.</summary>
internal sealed class LambdaRuntimeApiException(string call, HttpStatusCode statusCode, string? body)
    : Exception($"The Lambda Runtime API answered {(int)statusCode} to '{call}'{(string.IsNullOrEmpty(body) ? "" : ": " + body)}")
{
    /// <summary>The HTTP status.</summary>
    public HttpStatusCode StatusCode { get; } = statusCode;
}
