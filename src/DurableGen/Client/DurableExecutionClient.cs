using System;
using System.Collections.Generic;
using System.Net.Http;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Client;

/// <summary>
/// The client external systems use to drive durable executions over the Lambda APIs: start one (<c>Invoke</c>),
/// complete its callbacks, read it, its history and the executions of a function, and stop it. Same transport as
/// <see cref="LambdaDurableServiceClient"/>: endpoint from the environment (the local service through
/// <c>AWS_ENDPOINT_URL_LAMBDA</c>), SigV4 with the default credential chain, bounded retries; service errors surface as
/// <see cref="DurableServiceException"/>s.
/// </summary>
public sealed class DurableExecutionClient : IDurableCallbackClient, IDisposable
{
    private const string CallbackPrefix = "/2025-12-01/durable-execution-callbacks/";

    private readonly AwsRestTransport _transport;
    private readonly DurableClientOptions? _options;
    private readonly Lazy<IReadOnlyDictionary<string, string>> _functionArns;

    /// <summary>Creates the client; <paramref name="options"/> default to the environment.</summary>
    /// <exception cref="InvalidOperationException">No endpoint and no region can be determined.</exception>
    public DurableExecutionClient(DurableClientOptions? options = null)
    {
        _options = options;
        _transport = new AwsRestTransport(options);
        _functionArns = new(() => FunctionArns.Parse((options?.Environment ?? System.Environment.GetEnvironmentVariable)(FunctionArns.Variable)));
    }

    /// <summary>The endpoint requests go to.</summary>
    public Uri Endpoint => _transport.Endpoint;

    /// <summary>The region requests are signed for.</summary>
    public string Region => _transport.Region;

    /// <summary><c>SendDurableExecutionCallbackSuccess</c>: the result's UTF-8 bytes are the body (none when null).</summary>
    public Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken = default) =>
        SendCallbackSuccessRawAsync(callbackId, result is null ? null : Encoding.UTF8.GetBytes(result), cancellationToken);

    /// <summary><c>SendDurableExecutionCallbackSuccess</c> with raw bytes (<c>application/octet-stream</c>).</summary>
    public async Task SendCallbackSuccessRawAsync(string callbackId, byte[]? result, CancellationToken cancellationToken = default)
    {
        var path = CallbackPath(callbackId, "succeed");
        var body = result is { Length: > 0 } ? result : null;
        await _transport.SendAsync(HttpMethod.Post, path, body, body is null ? null : "application/octet-stream", null, null,
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>SendDurableExecutionCallbackFailure</c>: the error object is the whole JSON body (<c>{}</c> when null).</summary>
    public async Task SendCallbackFailureAsync(string callbackId, ErrorObject? error, CancellationToken cancellationToken = default)
    {
        var path = CallbackPath(callbackId, "fail");
        var body = JsonSerializer.SerializeToUtf8Bytes(error ?? new ErrorObject(), ProtocolJson.Rest.ErrorObject);
        await _transport.SendAsync(HttpMethod.Post, path, body, "application/json", null, null, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary><c>SendDurableExecutionCallbackHeartbeat</c>: no body.</summary>
    public async Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken = default)
    {
        var path = CallbackPath(callbackId, "heartbeat");
        await _transport.SendAsync(HttpMethod.Post, path, null, null, null, null, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>Invoke</c>: starts a durable execution (or returns the existing one of the same name and payload). With
    /// <see cref="DurableInvocationType.Event"/> it returns at once with the execution ARN; with
    /// <see cref="DurableInvocationType.RequestResponse"/> it waits for the result (attempt timeout
    /// <see cref="DurableClientOptions.InvokeTimeout"/>). A bare function name with no <c>Qualifier</c> is sent as the
    /// qualified ARN <see cref="FunctionArns"/> maps it to, when the deployment declared one.
    /// </summary>
    /// <exception cref="FormatException"><c>DURABLEGEN_FUNCTION_ARNS</c> is not a JSON object of strings.</exception>
    public async Task<InvokeDurableExecutionResponse> InvokeAsync(InvokeDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.FunctionName))
        {
            throw new ArgumentException("FunctionName is required.", nameof(request));
        }

        var headers = new List<KeyValuePair<string, string>>
        {
            new("X-Amz-Invocation-Type", request.InvocationType switch
            {
                DurableInvocationType.Event => "Event",
                DurableInvocationType.DryRun => "DryRun",
                _ => "RequestResponse",
            }),
        };
        if (!string.IsNullOrEmpty(request.DurableExecutionName))
        {
            headers.Add(new("X-Amz-Durable-Execution-Name", request.DurableExecutionName));
        }

        if (!string.IsNullOrEmpty(request.TenantId))
        {
            headers.Add(new("X-Amz-Tenant-Id", request.TenantId));
        }

        var target = request.Qualifier is null ? FunctionArns.Resolve(request.FunctionName, _functionArns.Value) : request.FunctionName;
        var path = "/2015-03-31/functions/" + AwsEncoding.Label(target) + "/invocations"
                   + new QueryBuilder().Add("Qualifier", request.Qualifier);
        var body = request.Payload is null ? null : Encoding.UTF8.GetBytes(request.Payload);
        var timeout = request.InvocationType == DurableInvocationType.RequestResponse
            ? (_options ?? new DurableClientOptions()).InvokeTimeout
            : (TimeSpan?)null;
        var response = await _transport.SendAsync(HttpMethod.Post, path, body, body is null ? null : "application/octet-stream",
            headers, timeout, cancellationToken).ConfigureAwait(false);
        return new InvokeDurableExecutionResponse
        {
            StatusCode = response.StatusCode,
            DurableExecutionArn = Header(response, "X-Amz-Durable-Execution-Arn"),
            ExecutedVersion = Header(response, "X-Amz-Executed-Version"),
            FunctionError = Header(response, "X-Amz-Function-Error"),
            LogResult = Header(response, "X-Amz-Log-Result"),
            Payload = response.Body.Length == 0 ? null : Encoding.UTF8.GetString(response.Body),
        };
    }

    /// <summary><c>GetDurableExecution</c>: status, input, result or error of one execution.</summary>
    public async Task<GetDurableExecutionResponse> GetDurableExecutionAsync(GetDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = LambdaDurableServiceClient.RequireArn(request.DurableExecutionArn);
        var query = new QueryBuilder().Add("IncludeExecutionData", request.IncludeExecutionData);
        var response = await _transport.SendAsync(HttpMethod.Get,
            LambdaDurableServiceClient.ApiPrefix + AwsEncoding.Label(arn) + query, null, null, null, null, cancellationToken)
            .ConfigureAwait(false);
        return AwsRestTransport.ReadJson(response.Body, ProtocolJson.Rest.GetDurableExecutionResponse);
    }

    /// <summary><c>GetDurableExecution</c> with execution data included.</summary>
    public Task<GetDurableExecutionResponse> GetDurableExecutionAsync(string durableExecutionArn,
        CancellationToken cancellationToken = default) =>
        GetDurableExecutionAsync(new GetDurableExecutionRequest { DurableExecutionArn = durableExecutionArn }, cancellationToken);

    /// <summary><c>GetDurableExecutionHistory</c>: one page of events.</summary>
    public async Task<GetDurableExecutionHistoryResponse> GetDurableExecutionHistoryAsync(GetDurableExecutionHistoryRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = LambdaDurableServiceClient.RequireArn(request.DurableExecutionArn);
        var query = new QueryBuilder()
            .Add("IncludeExecutionData", request.IncludeExecutionData)
            .Add("MaxItems", request.MaxItems)
            .Add("Marker", string.IsNullOrEmpty(request.Marker) ? null : request.Marker)
            .Add("ReverseOrder", request.ReverseOrder);
        var response = await _transport.SendAsync(HttpMethod.Get,
            LambdaDurableServiceClient.ApiPrefix + AwsEncoding.Label(arn) + "/history" + query, null, null, null, null,
            cancellationToken).ConfigureAwait(false);
        return AwsRestTransport.ReadJson(response.Body, ProtocolJson.Rest.GetDurableExecutionHistoryResponse);
    }

    /// <summary>Every event of the history, following <c>NextMarker</c> from <paramref name="request"/>'s marker on.</summary>
    public async IAsyncEnumerable<Event> GetAllDurableExecutionHistoryAsync(GetDurableExecutionHistoryRequest request,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var marker = request.Marker;
        do
        {
            var page = await GetDurableExecutionHistoryAsync(new GetDurableExecutionHistoryRequest
            {
                DurableExecutionArn = request.DurableExecutionArn,
                IncludeExecutionData = request.IncludeExecutionData,
                MaxItems = request.MaxItems,
                Marker = marker,
                ReverseOrder = request.ReverseOrder,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.Events)
            {
                yield return item;
            }

            marker = NextMarker(marker, page.NextMarker);
        }
        while (marker is not null);
    }

    /// <summary><c>ListDurableExecutionsByFunction</c>: one page of executions, filtered.</summary>
    public async Task<ListDurableExecutionsByFunctionResponse> ListDurableExecutionsByFunctionAsync(
        ListDurableExecutionsByFunctionRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.FunctionName))
        {
            throw new ArgumentException("FunctionName is required.", nameof(request));
        }

        var query = new QueryBuilder()
            .Add("Qualifier", request.Qualifier)
            .Add("DurableExecutionName", request.DurableExecutionName);
        foreach (var status in request.Statuses ?? Array.Empty<ExecutionStatus>())
        {
            query.Add("Statuses", UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(status));
        }

        query.Add("StartedAfter", request.StartedAfter)
            .Add("StartedBefore", request.StartedBefore)
            .Add("ReverseOrder", request.ReverseOrder)
            .Add("Marker", string.IsNullOrEmpty(request.Marker) ? null : request.Marker)
            .Add("MaxItems", request.MaxItems);
        var response = await _transport.SendAsync(HttpMethod.Get,
            "/2025-12-01/functions/" + AwsEncoding.Label(request.FunctionName) + "/durable-executions" + query, null, null, null,
            null, cancellationToken).ConfigureAwait(false);
        return AwsRestTransport.ReadJson(response.Body, ProtocolJson.Rest.ListDurableExecutionsByFunctionResponse);
    }

    /// <summary>Every execution matching <paramref name="request"/>, following <c>NextMarker</c>.</summary>
    public async IAsyncEnumerable<DurableExecutionSummary> ListAllDurableExecutionsByFunctionAsync(
        ListDurableExecutionsByFunctionRequest request, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var marker = request.Marker;
        do
        {
            var page = await ListDurableExecutionsByFunctionAsync(new ListDurableExecutionsByFunctionRequest
            {
                FunctionName = request.FunctionName,
                Qualifier = request.Qualifier,
                DurableExecutionName = request.DurableExecutionName,
                Statuses = request.Statuses,
                StartedAfter = request.StartedAfter,
                StartedBefore = request.StartedBefore,
                ReverseOrder = request.ReverseOrder,
                Marker = marker,
                MaxItems = request.MaxItems,
            }, cancellationToken).ConfigureAwait(false);
            foreach (var item in page.DurableExecutions)
            {
                yield return item;
            }

            marker = NextMarker(marker, page.NextMarker);
        }
        while (marker is not null);
    }

    /// <summary><c>StopDurableExecution</c>: the error (or <c>{}</c>) is the whole body.</summary>
    public async Task<StopDurableExecutionResponse> StopDurableExecutionAsync(StopDurableExecutionRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var arn = LambdaDurableServiceClient.RequireArn(request.DurableExecutionArn);
        var body = JsonSerializer.SerializeToUtf8Bytes(request.Error ?? new ErrorObject(), ProtocolJson.Rest.ErrorObject);
        var response = await _transport.SendAsync(HttpMethod.Post,
            LambdaDurableServiceClient.ApiPrefix + AwsEncoding.Label(arn) + "/stop", body, "application/json", null, null,
            cancellationToken).ConfigureAwait(false);
        return AwsRestTransport.ReadJson(response.Body, ProtocolJson.Rest.StopDurableExecutionResponse);
    }

    /// <inheritdoc />
    public void Dispose() => _transport.Dispose();

    private static string CallbackPath(string callbackId, string action) =>
        string.IsNullOrEmpty(callbackId)
            ? throw new ArgumentException("The callback id is required.", nameof(callbackId))
            : CallbackPrefix + AwsEncoding.Label(callbackId) + "/" + action;

    private static string? Header(AwsResponse response, string name) =>
        response.Headers.TryGetValue(name, out var value) && value.Length > 0 ? value : null;

    private static string? NextMarker(string? previous, string? next) =>
        string.IsNullOrEmpty(next) || next == previous ? null : next;
}
