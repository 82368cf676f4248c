using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>A callback a test execution waits on, with the three ways an external system can answer it.</summary>
public sealed class DurableTestCallback
{
    private readonly IDurableCallbackClient _client;
    private readonly IDurableSerializer _serializer;

    internal DurableTestCallback(Operation record, IDurableCallbackClient client, IDurableSerializer serializer)
    {
        Record = record;
        _client = client;
        _serializer = serializer;
    }

    /// <summary>
    /// Whether <paramref name="record"/> is the callback a test calls <paramref name="name"/>: a
    /// <c>CreateCallbackAsync</c> of that name, or the inner callback (<c>name-callback</c>) of a
    /// <c>WaitForCallbackAsync</c> of that name.
    /// </summary>
    internal static bool Matches(Operation record, string name) =>
        record.Name == name || record.Name == name + "-callback";

    /// <summary>The callback record when it started.</summary>
    public Operation Record { get; }

    /// <summary>The callback id.</summary>
    public string CallbackId => Record.CallbackDetails?.CallbackId ?? "";

    /// <summary>The callback's operation name.</summary>
    public string? Name => Record.Name;

    /// <summary>Completes the callback with <paramref name="result"/>, serialized as the workflow expects it.</summary>
    public Task SucceedAsync<T>(T result, CancellationToken cancellationToken = default) =>
        _client.SendCallbackSuccessAsync(CallbackId, _serializer.Serialize(result), cancellationToken);

    /// <summary>Completes the callback with raw result text.</summary>
    public Task SucceedWithTextAsync(string? result, CancellationToken cancellationToken = default) =>
        _client.SendCallbackSuccessAsync(CallbackId, result, cancellationToken);

    /// <summary>Fails the callback; the workflow sees <see cref="CallbackFailedException"/>.</summary>
    public Task FailAsync(string errorMessage, string? errorType = null, string? errorData = null,
        CancellationToken cancellationToken = default) =>
        _client.SendCallbackFailureAsync(CallbackId,
            new ErrorObject { ErrorMessage = errorMessage, ErrorType = errorType, ErrorData = errorData }, cancellationToken);

    /// <summary>Sends a heartbeat, resetting the heartbeat timeout.</summary>
    public Task HeartbeatAsync(CancellationToken cancellationToken = default) =>
        _client.SendCallbackHeartbeatAsync(CallbackId, cancellationToken);
}
