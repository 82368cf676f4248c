using System;
using System.Collections.Generic;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading;
using System.Threading.Tasks;
using Amazon;
using Amazon.Runtime;
using Amazon.Runtime.Credentials;
using Amazon.Runtime.Signing;
using DurableGen.Protocol;

namespace DurableGen.Client;

/// <summary>A successful (2xx) answer: status, the response headers (case-insensitive) and the body bytes.</summary>
internal sealed record AwsResponse(int StatusCode, IReadOnlyDictionary<string, string> Headers, byte[] Body);

/// <summary>
/// The restJson1 transport of the Lambda APIs (protocol §1): endpoint and region resolution, SigV4 signing with
/// AWSSDK.Core's signer (service <c>lambda</c>, each attempt signed afresh), bounded retries with exponential backoff and
/// full jitter on 429 / 5xx / network errors, and AWS error envelopes mapped to <see cref="DurableServiceException"/>.
/// </summary>
internal sealed class AwsRestTransport : IDisposable
{
    internal const string SigningService = "lambda";
    private static readonly string UserAgentProduct = "durablegen/" + ReadVersion();

    private readonly DurableClientOptions _options;
    private readonly HttpClient _http;
    private readonly bool _ownsHttp;
    private readonly Lazy<AWSCredentials?> _credentials;
    private readonly RegionEndpoint _signingRegion;
    private readonly string _userAgent;
    private readonly string _basePath;

    /// <summary>A transport with <paramref name="options"/> (the Lambda environment's when null).</summary>
    /// <param name="options">Endpoint, region, credentials, retries and HTTP plumbing.</param>
    /// <param name="traced">False for the SDK's own checkpoint traffic: no HTTP client spans (and no trace headers)
    /// for it, as it is plumbing that would otherwise appear under whatever attempt span is current when a batch
    /// flushes. A user's client calls stay traced.</param>
    public AwsRestTransport(DurableClientOptions? options, bool traced = true)
    {
        _options = options ?? new DurableClientOptions();
        if (_options.MaxAttempts < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(options), "MaxAttempts must be at least 1.");
        }

        var env = _options.Environment;
        var region = NonEmpty(_options.Region) ?? NonEmpty(env("AWS_REGION")) ?? NonEmpty(env("AWS_DEFAULT_REGION"));
        var endpoint = _options.Endpoint
                       ?? ParseEndpoint(env("AWS_ENDPOINT_URL_LAMBDA"), "AWS_ENDPOINT_URL_LAMBDA")
                       ?? ParseEndpoint(env("AWS_ENDPOINT_URL"), "AWS_ENDPOINT_URL");
        if (endpoint is null)
        {
            if (region is null)
            {
                throw new InvalidOperationException(
                    "No AWS region: set AWS_REGION (Lambda always does), DurableClientOptions.Region, or an endpoint.");
            }

            endpoint = new Uri($"https://lambda.{region}.{DnsSuffix(region)}");
        }

        Region = region ?? RegionFromHost(endpoint.Host) ?? "us-east-1";
        Endpoint = endpoint;
        _basePath = endpoint.AbsolutePath.TrimEnd('/');
        _signingRegion = RegionEndpoint.GetBySystemName(Region);
        _credentials = new Lazy<AWSCredentials?>(ResolveCredentials, LazyThreadSafetyMode.ExecutionAndPublication);
        _userAgent = string.IsNullOrWhiteSpace(_options.UserAgentSuffix)
            ? $"{UserAgentProduct} lang/dotnet#{System.Environment.Version}"
            : $"{UserAgentProduct} lang/dotnet#{System.Environment.Version} {_options.UserAgentSuffix}";
        if (_options.HttpClient is { } http)
        {
            _http = http;
        }
        else
        {
            _http = new HttpClient(_options.HttpMessageHandler ?? new SocketsHttpHandler
            {
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
                ActivityHeadersPropagator = traced ? System.Diagnostics.DistributedContextPropagator.Current : null,
            }, disposeHandler: _options.HttpMessageHandler is null)
            {
                Timeout = System.Threading.Timeout.InfiniteTimeSpan,
            };
            _ownsHttp = true;
        }
    }

    /// <summary>The resolved endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>The resolved signing region.</summary>
    public string Region { get; }

    /// <summary>Sends one call, retrying transient failures; returns the 2xx answer or throws the mapped error.</summary>
    /// <param name="method">GET or POST.</param>
    /// <param name="pathAndQuery">The path with labels already encoded (<see cref="AwsEncoding.Label"/>) and the query.</param>
    /// <param name="body">The body bytes, or null for none.</param>
    /// <param name="contentType">The body's content type, or null for none.</param>
    /// <param name="headers">Extra headers (signed too).</param>
    /// <param name="timeout">Timeout of one attempt (default <see cref="DurableClientOptions.RequestTimeout"/>).</param>
    /// <param name="cancellationToken">Cancels the call, including backoff waits.</param>
    public async Task<AwsResponse> SendAsync(HttpMethod method, string pathAndQuery, byte[]? body, string? contentType,
        IReadOnlyList<KeyValuePair<string, string>>? headers, TimeSpan? timeout, CancellationToken cancellationToken)
    {
        var uri = new Uri(Endpoint.GetLeftPart(UriPartial.Authority) + _basePath + pathAndQuery);
        var attemptTimeout = timeout ?? _options.RequestTimeout;
        for (var attempt = 1; ; attempt++)
        {
            using var message = await BuildAsync(method, uri, body, contentType, headers, cancellationToken).ConfigureAwait(false);
            HttpResponseMessage response;
            using (var attemptCts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                if (attemptTimeout != System.Threading.Timeout.InfiniteTimeSpan)
                {
                    attemptCts.CancelAfter(attemptTimeout);
                }

                try
                {
                    response = await _http.SendAsync(message, HttpCompletionOption.ResponseContentRead, attemptCts.Token)
                        .ConfigureAwait(false);
                }
                catch (HttpRequestException) when (attempt < _options.MaxAttempts)
                {
                    await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && attempt < _options.MaxAttempts)
                {
                    await DelayAsync(attempt, null, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException(
                        $"{method} {uri.AbsolutePath} timed out after {attemptTimeout} ({attempt} attempts).", ex);
                }
            }

            using (response)
            {
                var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
                var status = (int)response.StatusCode;
                if (status is >= 200 and < 300)
                {
                    return new AwsResponse(status, CollectHeaders(response), bytes);
                }

                var error = MapError(status, response, bytes);
                if (IsRetryable(error) && attempt < _options.MaxAttempts)
                {
                    await DelayAsync(attempt, RetryAfter(response), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                throw error;
            }
        }
    }

    /// <summary>Deserializes a JSON body with the REST channel's metadata; an empty body reads as <c>{}</c>.</summary>
    public static T ReadJson<T>(byte[] body, JsonTypeInfo<T> typeInfo) where T : new()
    {
        if (body.Length == 0)
        {
            return new T();
        }

        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? new T();
        }
        catch (JsonException ex)
        {
            throw new DurableServiceException("SerializationException", 200,
                $"The service answered a body that is not a valid {typeof(T).Name}: {ex.Message}");
        }
    }

    /// <summary>
    /// Whether an answered error is worth another attempt (protocol §1.7, the AWS SDKs' standard mode): throttling
    /// (429 or a throttling code) and the transient statuses 500, 502, 503 and 504, except the KMS errors (502), which
    /// another attempt does not fix. Other 5xx (501 Not Implemented, 505 …) are answers, not hiccups.
    /// </summary>
    internal static bool IsRetryable(DurableServiceException error) =>
        error.StatusCode == 429
        || error.ErrorCode is ErrorCodes.TooManyRequests or "ThrottlingException" or "Throttling"
        || (error.StatusCode is 500 or 502 or 503 or 504 && !error.ErrorCode.StartsWith("KMS", StringComparison.Ordinal));

    /// <summary>Maps an AWS error answer (protocol §1.6) to a <see cref="DurableServiceException"/>.</summary>
    internal static DurableServiceException MapError(int status, string? errorTypeHeader, byte[] body)
    {
        string? code = StripCode(errorTypeHeader);
        string? message = null;
        string? typeMember = null;
        if (body.Length > 0)
        {
            try
            {
                using var document = JsonDocument.Parse(body);
                if (document.RootElement.ValueKind == JsonValueKind.Object)
                {
                    var root = document.RootElement;
                    code ??= StripCode(ReadString(root, "code")) ?? StripCode(ReadString(root, "__type"));
                    message = ReadString(root, "message") ?? ReadString(root, "Message");
                    typeMember = ReadString(root, "Type");
                }
            }
            catch (JsonException)
            {
                // Not JSON (a proxy's HTML page, say): the status alone classifies it.
            }
        }

        // AWS's Python emulator names the error only in "Type"; real Lambda puts "User" / "Service" there.
        if (code is null && typeMember is not null and not "User" and not "Service")
        {
            code = StripCode(typeMember);
        }

        code ??= status == 429 ? ErrorCodes.TooManyRequests : "Unknown";
        message ??= body.Length > 0 && body.Length <= 1024 && body[0] != (byte)'{'
            ? $"HTTP {status}: {Encoding.UTF8.GetString(body)}"
            : $"HTTP {status} ({code}).";
        return new DurableServiceException(code, status, message);
    }

    public void Dispose()
    {
        if (_ownsHttp)
        {
            _http.Dispose();
        }
    }

    private async Task<HttpRequestMessage> BuildAsync(HttpMethod method, Uri uri, byte[]? body, string? contentType,
        IReadOnlyList<KeyValuePair<string, string>>? headers, CancellationToken cancellationToken)
    {
        var message = new HttpRequestMessage(method, uri);
        try
        {
            if (body is not null)
            {
                message.Content = new ByteArrayContent(body);
                if (contentType is not null)
                {
                    message.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
                }
            }
            else if (method == HttpMethod.Post)
            {
                // A POST without a body still says Content-Length: 0 (heartbeat).
                message.Content = new ByteArrayContent(Array.Empty<byte>());
            }

            message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            if (headers is not null)
            {
                foreach (var (name, value) in headers)
                {
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            var credentials = _credentials.Value;
            if (credentials is not null)
            {
                var signing = new AWSSigningRequest
                {
                    HttpMethod = method,
                    RequestUri = uri,
                    Content = body ?? Array.Empty<byte>(),
                };
                if (body is not null && contentType is not null)
                {
                    signing.Headers["content-type"] = contentType;
                }

                if (headers is not null)
                {
                    foreach (var (name, value) in headers)
                    {
                        signing.Headers[name.ToLowerInvariant()] = value;
                    }
                }

                var signed = await AWSSigV4Signer.SignAsync(signing, new AWSSigV4Parameters
                {
                    Credentials = credentials,
                    Region = _signingRegion,
                    Service = SigningService,
                    SignedAt = _options.TimeProvider.GetUtcNow().UtcDateTime,
                }, cancellationToken).ConfigureAwait(false);
                foreach (var (name, value) in signed.Headers)
                {
                    message.Headers.Remove(name);
                    message.Headers.TryAddWithoutValidation(name, value);
                }
            }

            return message;
        }
        catch
        {
            message.Dispose();
            throw;
        }
    }

    private AWSCredentials? ResolveCredentials()
    {
        if (_options.Unsigned)
        {
            return null;
        }

        if (_options.Credentials is { } given)
        {
            return given;
        }

        var env = _options.Environment;
        var accessKey = NonEmpty(env("AWS_ACCESS_KEY_ID"));
        var secretKey = NonEmpty(env("AWS_SECRET_ACCESS_KEY"));
        if (accessKey is not null && secretKey is not null)
        {
            return NonEmpty(env("AWS_SESSION_TOKEN")) is { } token
                ? new SessionAWSCredentials(accessKey, secretKey, token)
                : new BasicAWSCredentials(accessKey, secretKey);
        }

        if (Endpoint.IsLoopback)
        {
            // A local service: no credentials in the environment means unsigned (and no instance-metadata probing).
            return null;
        }

        try
        {
            return new DefaultAWSCredentialsIdentityResolver().ResolveIdentity(null!);
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                "No AWS credentials found for signing Lambda requests (environment, web identity, profile, container, " +
                $"instance metadata): {ex.Message}", ex);
        }
    }

    private async Task DelayAsync(int attempt, TimeSpan? retryAfter, CancellationToken cancellationToken)
    {
        var cap = Math.Min(_options.MaxRetryDelay.TotalMilliseconds,
            _options.RetryBaseDelay.TotalMilliseconds * Math.Pow(2, attempt - 1));
        var delay = TimeSpan.FromMilliseconds(Random.Shared.NextDouble() * Math.Max(0, cap));
        if (retryAfter is { } after && after > delay)
        {
            delay = after < _options.MaxRetryDelay ? after : _options.MaxRetryDelay;
        }

        if (delay > TimeSpan.Zero)
        {
            await Task.Delay(delay, _options.TimeProvider, cancellationToken).ConfigureAwait(false);
        }
    }

    private static DurableServiceException MapError(int status, HttpResponseMessage response, byte[] body)
    {
        string? header = response.Headers.TryGetValues("x-amzn-ErrorType", out var values)
            ? string.Join(",", values)
            : null;
        return MapError(status, header, body);
    }

    private static TimeSpan? RetryAfter(HttpResponseMessage response)
    {
        if (response.Headers.RetryAfter is { } retryAfter)
        {
            if (retryAfter.Delta is { } delta)
            {
                return delta;
            }

            if (retryAfter.Date is { } date)
            {
                var wait = date - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private static Dictionary<string, string> CollectHeaders(HttpResponseMessage response)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var (name, values) in response.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        foreach (var (name, values) in response.Content.Headers)
        {
            headers[name] = string.Join(",", values);
        }

        return headers;
    }

    private static string? ReadString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string? StripCode(string? raw)
    {
        if (string.IsNullOrWhiteSpace(raw))
        {
            return null;
        }

        var code = raw.Trim();
        var colon = code.IndexOf(':', StringComparison.Ordinal);
        if (colon >= 0)
        {
            code = code[..colon];
        }

        var hash = code.LastIndexOf('#');
        if (hash >= 0)
        {
            code = code[(hash + 1)..];
        }

        return code.Length == 0 ? null : code;
    }

    private static string? NonEmpty(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    private static Uri? ParseEndpoint(string? value, string variable)
    {
        if (NonEmpty(value) is not { } text)
        {
            return null;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
            ? uri
            : throw new InvalidOperationException($"{variable}='{text}' is not an absolute http(s) URL.");
    }

    private static string DnsSuffix(string region) =>
        region.StartsWith("cn-", StringComparison.Ordinal) ? "amazonaws.com.cn" : "amazonaws.com";

    private static string? RegionFromHost(string host)
    {
        // lambda.{region}.amazonaws.com, lambda-fips.{region}.amazonaws.com, lambda.{region}.api.aws
        var parts = host.Split('.');
        return parts.Length >= 3 && parts[0] is "lambda" or "lambda-fips" ? parts[1] : null;
    }

    private static string ReadVersion() => DurableGenVersion.Value;

    internal static string FormatInvariant(int value) => value.ToString(CultureInfo.InvariantCulture);

    internal static string FormatInvariant(bool value) => value ? "true" : "false";
}
