using System;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Client;

/// <summary>
/// The <see cref="IDurableServiceClient"/> a deployed durable function uses: <c>CheckpointDurableExecution</c> and
/// <c>GetDurableExecutionState</c> over HTTPS, SigV4-signed for service <c>lambda</c> with AWSSDK.Core's signer and
/// default credential chain (in Lambda: the execution role's session credentials from the environment). The endpoint
/// follows <c>AWS_ENDPOINT_URL_LAMBDA</c>, then <c>AWS_ENDPOINT_URL</c>, then <c>https://lambda.{AWS_REGION}.amazonaws.com</c>,
/// which is how a function reaches the DurableGen local service. Throttling, server faults and network errors are
/// retried with exponential backoff and jitter (<see cref="DurableClientOptions.MaxAttempts"/>); every answered error
/// surfaces as a <see cref="DurableServiceException"/> with the AWS error code and HTTP status.
/// </summary>
public sealed class LambdaDurableServiceClient : IDurableServiceClient, IDisposable
{
    internal const string ApiPrefix = "/2025-12-01/durable-executions/";

    private readonly AwsRestTransport _transport;

    /// <summary>Creates the client; <paramref name="options"/> default to the Lambda environment.</summary>
    /// <exception cref="InvalidOperationException">No endpoint and no region can be determined.</exception>
    public LambdaDurableServiceClient(DurableClientOptions? options = null)
    {
        _transport = new AwsRestTransport(options, traced: false);
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _transport.Endpoint;

    /// <summary>The region requests are signed for.</summary>
    public string Region => _transport.Region;

    /// <inheritdoc />
    /// <remarks>
    /// An empty <see cref="CheckpointDurableExecutionRequest.ClientToken"/> is filled with a random UUID, which every
    /// retry of this call repeats with the same checkpoint token (so the service can answer a retried call from its
    /// idempotency cache). The caller's request object is not modified.
    /// </remarks>
    public async Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = RequireArn(request.DurableExecutionArn);
        var body = JsonSerializer.SerializeToUtf8Bytes(new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = arn,
            CheckpointToken = request.CheckpointToken,
            Updates = request.Updates,
            ClientToken = string.IsNullOrEmpty(request.ClientToken) ? Guid.NewGuid().ToString() : request.ClientToken,
        }, ProtocolJson.Rest.CheckpointDurableExecutionRequest);
        var response = await _transport.SendAsync(HttpMethod.Post, ApiPrefix + AwsEncoding.Label(arn) + "/checkpoint",
            body, "application/json", null, null, cancellationToken).ConfigureAwait(false);
        return AwsRestTransport.ReadJson(response.Body, ProtocolJson.Rest.CheckpointDurableExecutionResponse);
    }

    /// <inheritdoc />
    public async Task<GetDurableExecutionStateResponse> GetExecutionStateAsync(GetDurableExecutionStateRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = RequireArn(request.DurableExecutionArn);
        var query = new QueryBuilder()
            .Add("CheckpointToken", request.CheckpointToken)
            .Add("Marker", string.IsNullOrEmpty(request.Marker) ? null : request.Marker)
            .Add("MaxItems", request.MaxItems);
        var response = await _transport.SendAsync(HttpMethod.Get, ApiPrefix + AwsEncoding.Label(arn) + "/state" + query,
            null, null, null, null, cancellationToken).ConfigureAwait(false);
        return AwsRestTransport.ReadJson(response.Body, ProtocolJson.Rest.GetDurableExecutionStateResponse);
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    internal static string RequireArn(string? arn) =>
        string.IsNullOrEmpty(arn) ? throw new ArgumentException("DurableExecutionArn is required.", nameof(arn)) : arn;
}
