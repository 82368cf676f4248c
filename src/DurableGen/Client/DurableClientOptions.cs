using System;
using System.Net.Http;
using Amazon.Runtime;

namespace DurableGen.Client;

/// <summary>
/// Settings shared by <see cref="LambdaDurableServiceClient"/> and <see cref="DurableExecutionClient"/>. Every member
/// defaults to what a Lambda function (or a developer's shell) provides: endpoint from <c>AWS_ENDPOINT_URL_LAMBDA</c>,
/// then <c>AWS_ENDPOINT_URL</c>, then <c>https://lambda.{region}.amazonaws.com</c>; region from <c>AWS_REGION</c> /
/// <c>AWS_DEFAULT_REGION</c>; credentials from AWSSDK.Core's default chain.
/// </summary>
public sealed class DurableClientOptions
{
    /// <summary>The service endpoint, e.g. <c>http://127.0.0.1:9014</c> for the local service.</summary>
    public Uri? Endpoint { get; init; }

    /// <summary>The signing region (default: <c>AWS_REGION</c>, <c>AWS_DEFAULT_REGION</c>, or the endpoint's host).</summary>
    public string? Region { get; init; }

    /// <summary>
    /// The credentials requests are signed with (default: AWSSDK.Core's default chain — environment variables, which is
    /// what Lambda sets, then web identity, profile, container endpoint, instance metadata). For a loopback endpoint the
    /// default is the environment variables only, and requests go unsigned when they are not set.
    /// </summary>
    public AWSCredentials? Credentials { get; init; }

    /// <summary>Sends requests unsigned (for a local service that does not check signatures).</summary>
    public bool Unsigned { get; init; }

    /// <summary>An <see cref="System.Net.Http.HttpClient"/> to send through; the client does not dispose it.</summary>
    public HttpClient? HttpClient { get; init; }

    /// <summary>The handler of the client's own <see cref="System.Net.Http.HttpClient"/> when <see cref="HttpClient"/> is unset.</summary>
    public HttpMessageHandler? HttpMessageHandler { get; init; }

    /// <summary>Attempts per call, the first included (default 3). 429, 5xx and network errors are retried; 4xx never.</summary>
    public int MaxAttempts { get; init; } = 3;

    /// <summary>The backoff base: attempt n waits a random time in [0, min(<see cref="MaxRetryDelay"/>, base·2ⁿ)] (default 100 ms).</summary>
    public TimeSpan RetryBaseDelay { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The longest wait between two attempts, also the cap on a <c>Retry-After</c> header (default 20 s).</summary>
    public TimeSpan MaxRetryDelay { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Timeout of one attempt of a durable API call (default 60 s).</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Timeout of one attempt of a synchronous (<c>RequestResponse</c>) invoke (default 16 minutes).</summary>
    public TimeSpan InvokeTimeout { get; init; } = TimeSpan.FromMinutes(16);

    /// <summary>The clock requests are signed and retries delayed with (default: the system clock).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Reads an environment variable (replaceable for tests).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Extra text appended to the <c>User-Agent</c> header after <c>durablegen/&lt;version&gt;</c>.</summary>
    public string? UserAgentSuffix { get; init; }
}
