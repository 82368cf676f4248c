using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Client;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Validation;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Time;
using DurableGen.LocalService;
using DurableGen.Protocol;

namespace DurableGen.Conformance.Hosting;

/// <summary>
/// One requirement's private service over HTTP: a fresh <see cref="LocalDurableService"/> on 127.0.0.1 (in memory, any
/// free port) whose driver runs on a <see cref="VirtualClock"/> skipping to any due time, as in process. Every function
/// runs through the production path: <see cref="RuntimeSandbox"/>es run the runtime's Runtime API loop against the
/// service, and checkpoint and read state over HTTP; the runner starts executions, reads them and sends callbacks with
/// the runtime's <see cref="DurableExecutionClient"/>. Logs are captured in process, as in process.
/// </summary>
internal sealed class HttpConformanceHost : IRequirementHost
{
    /// <summary>Sandboxes per function: an invocation of a function may wait on another of the same function.</summary>
    private const int SandboxesPerFunction = 2;

    private readonly LocalDurableService _service;
    private readonly DurableExecutionClient _client;
    private readonly ExecutionLogSink _logs = new();
    private readonly Dictionary<string, IHostedFunction> _functions = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _targetNames = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _started = new();
    private readonly List<RuntimeSandbox> _sandboxes = new();
    private bool _disposed;

    private HttpConformanceHost(LocalDurableService service, VirtualClock clock)
    {
        _service = service;
        Clock = clock;
        _client = new DurableExecutionClient(new DurableClientOptions
        {
            Endpoint = service.BaseAddress,
            Region = service.Engine.Options.Region,
            Unsigned = true,
            Environment = _ => null,
        });
    }

    public VirtualClock Clock { get; }

    public int InvocationsRun => _service.Driver.InvocationsRun;

    public bool HasRunnableExecution => _service.Engine.HasRunnableExecution;

    /// <summary>Starts the service with the catalog's targets and <paramref name="handler"/> as
    /// <paramref name="functionName"/> (with the handler's execution timeout: 300 s as the reference templates
    /// configure, unless the handler declares its own), and their sandboxes.</summary>
    public static async Task<HttpConformanceHost> StartAsync(HandlerCatalog catalog, string functionName, HandlerEntry handler,
        int maxInvocations, CancellationToken cancellationToken)
    {
        var clock = new VirtualClock(ConformanceHost.Epoch);
        var options = new LocalServiceOptions
        {
            Port = 0,
            Driver = new ExecutionDriverOptions
            {
                TimeSkip = TimeSkipPolicy.AnyDueTime,
                Clock = clock,
                MaxInvocations = maxInvocations,
                // A dispatched invocation completes over HTTP and signals; a run with nothing in flight and nothing
                // to skip to is stuck, and stops after this long.
                IdleTimeout = TimeSpan.FromSeconds(2),
            },
            RunsDriver = false, // the runner drives, so its polling loop shares the driver and the clock
        };
        options.Functions.Add(new FunctionDefinition { Name = functionName, ExecutionTimeoutSeconds = handler.ExecutionTimeoutSeconds });
        var functions = new Dictionary<string, HandlerEntry>(StringComparer.Ordinal) { [functionName] = handler };
        var targets = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, entry) in catalog.Targets)
        {
            var targetFunction = "conformance-target-" + name;
            options.Functions.Add(new FunctionDefinition { Name = targetFunction });
            functions[targetFunction] = entry;
            targets[name] = targetFunction + ":$LATEST";
        }

        var service = new LocalDurableService(options);
        await service.StartAsync(cancellationToken).ConfigureAwait(false);
        var host = new HttpConformanceHost(service, clock);
        foreach (var (name, qualified) in targets)
        {
            host._targetNames[name] = qualified;
        }

        foreach (var (name, entry) in functions)
        {
            host._functions[name] = entry.CreateFunction();
            for (var i = 0; i < SandboxesPerFunction; i++)
            {
                host.StartSandbox(name);
            }
        }

        return host;
    }

    public async Task<string> StartAsync(string functionName, string payload, CancellationToken cancellationToken)
    {
        var response = await _client.InvokeAsync(new InvokeDurableExecutionRequest
        {
            FunctionName = functionName,
            Qualifier = "$LATEST",
            InvocationType = DurableInvocationType.Event,
            Payload = payload,
        }, cancellationToken).ConfigureAwait(false);
        var arn = response.DurableExecutionArn
                  ?? throw new InvalidOperationException($"Invoke of {functionName} answered {response.StatusCode} without an execution ARN.");
        _started.Enqueue(arn);
        return arn;
    }

    public ExecutionStatus StatusOf(string durableExecutionArn) =>
        _service.Engine.GetSchedulingState(durableExecutionArn).Status;

    public async Task<bool> RunUntilAsync(Func<bool> done, ITimeParticipant? actor, CancellationToken cancellationToken)
    {
        using var membership = actor is null ? null : _service.Driver.Join(actor);
        return await _service.Driver.RunUntilAsync(done, cancellationToken).ConfigureAwait(false);
    }

    public async Task<JsonObject> GetFirstHistoryPageJsonAsync(string durableExecutionArn, CancellationToken cancellationToken)
    {
        var page = await _client.GetDurableExecutionHistoryAsync(new GetDurableExecutionHistoryRequest
        {
            DurableExecutionArn = durableExecutionArn,
            IncludeExecutionData = true,
        }, cancellationToken).ConfigureAwait(false);
        return ToJson(page, ProtocolJson.Rest.GetDurableExecutionHistoryResponse);
    }

    public async Task<JsonObject> GetFullHistoryJsonAsync(string durableExecutionArn, CancellationToken cancellationToken)
    {
        var events = new List<Event>();
        await foreach (var item in _client.GetAllDurableExecutionHistoryAsync(new GetDurableExecutionHistoryRequest
                       {
                           DurableExecutionArn = durableExecutionArn,
                           IncludeExecutionData = true,
                       }, cancellationToken).ConfigureAwait(false))
        {
            events.Add(item);
        }

        return ToJson(new GetDurableExecutionHistoryResponse { Events = events },
            ProtocolJson.Rest.GetDurableExecutionHistoryResponse);
    }

    public async Task<JsonObject> GetExecutionJsonAsync(string durableExecutionArn, CancellationToken cancellationToken) =>
        ToJson(await _client.GetDurableExecutionAsync(durableExecutionArn, cancellationToken).ConfigureAwait(false),
            ProtocolJson.Rest.GetDurableExecutionResponse);

    public IReadOnlyList<LogRecord> GetLogs(string durableExecutionArn) =>
        _logs.Get(durableExecutionArn).Select(r => new LogRecord(r.Sequence, r.Fields)).ToList();

    public Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken) =>
        _client.SendCallbackSuccessAsync(callbackId, result, cancellationToken);

    public Task SendCallbackFailureAsync(string callbackId, ErrorObject error, CancellationToken cancellationToken) =>
        _client.SendCallbackFailureAsync(callbackId, error, cancellationToken);

    public Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken) =>
        _client.SendCallbackHeartbeatAsync(callbackId, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        RuntimeSandbox[] sandboxes;
        lock (_sandboxes)
        {
            _disposed = true;
            sandboxes = _sandboxes.ToArray();
        }

        await Task.WhenAll(sandboxes.Select(s => s.DisposeAsync().AsTask())).ConfigureAwait(false);
        _client.Dispose();
        await _service.DisposeAsync().ConfigureAwait(false);
    }

    private static JsonObject ToJson<T>(T value, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type) =>
        (JsonObject)JsonNode.Parse(JsonSerializer.Serialize(value, type))!;

    /// <summary>Starts a sandbox of <paramref name="functionName"/> (at start, and in place of one that died).</summary>
    private void StartSandbox(string functionName)
    {
        var sandbox = new RuntimeSandbox(_service.BaseAddress, _service.Engine.Options.Region, functionName,
            _service.RuntimeApiFor(functionName));
        lock (_sandboxes)
        {
            if (_disposed)
            {
                return;
            }

            _sandboxes.Add(sandbox);
        }

        var function = _functions[functionName];
        sandbox.Start((input, lambda, client, _) =>
        {
            var arn = input.DurableExecutionArn;
            return function.InvokeAsync(input, lambda, client, new DurableExecutionOptions
            {
                Serializer = ConformanceHost.Serializer, Logger = _logs.CreateLogger(arn), TimeProvider = Clock,
            }, new Env(this, sandbox, arn, lambda.AwsRequestId));
        });
    }

    private string TargetName(string name) =>
        _targetNames.TryGetValue(name, out var qualified)
            ? qualified
            : throw new InvalidOperationException(
                $"No target named '{name}' is registered (known: {string.Join(", ", _targetNames.Keys)}). Mark a handler class with [ConformanceTarget(\"{name}\")].");

    private sealed class Env(HttpConformanceHost host, RuntimeSandbox sandbox, string arn, string requestId) : IConformanceEnv
    {
        private readonly int _invocationNumber = host._service.Engine.GetSchedulingState(arn).InvocationCount;

        public string ExecutionArn => arn;

        public string? TenantId { get; } = ConformanceHost.FindTenantId(host._service.Engine, host._started, arn);

        public int InvocationNumber => _invocationNumber;

        public string Target(string name) => host.TargetName(name);

        public async Task CrashProcessAsync(string? afterOperationRecorded = null)
        {
            await ConformanceHost.WaitForOperationAsync(host._service.Engine, arn, afterOperationRecorded).ConfigureAwait(false);
            sandbox.Die(requestId, () =>
            {
                lock (host._sandboxes)
                {
                    host._sandboxes.Remove(sandbox);
                }

                host.StartSandbox(sandbox.FunctionName);
                return sandbox.DisposeAsync().AsTask();
            });
            throw new SimulatedCrashException();
        }

        public void Emit(object record) => host._logs.Emit(arn, ConformanceHost.RecordFields(record));
    }
}
