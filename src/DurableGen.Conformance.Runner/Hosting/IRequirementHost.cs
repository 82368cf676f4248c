using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Conformance.Validation;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Time;
using DurableGen.Protocol;

namespace DurableGen.Conformance.Hosting;

/// <summary>
/// What the requirement runner needs of one requirement's private service, whichever host runs it: in process
/// (<see cref="ConformanceHost"/>) or the HTTP local service (<see cref="HttpConformanceHost"/>). Both are driven by the
/// kit's one <see cref="ExecutionDriver"/> on a <see cref="VirtualClock"/> that skips to any due time.
/// </summary>
internal interface IRequirementHost : IAsyncDisposable
{
    /// <summary>The virtual clock the engine, the handlers and the runner's polling loop share.</summary>
    VirtualClock Clock { get; }

    /// <summary>Invocations run so far (all executions).</summary>
    int InvocationsRun { get; }

    /// <summary>Whether any execution has an invocation the driver could begin now.</summary>
    bool HasRunnableExecution { get; }

    /// <summary>Starts an execution of a registered function with a JSON payload.</summary>
    Task<string> StartAsync(string functionName, string payload, CancellationToken cancellationToken);

    /// <summary>The execution's status as the engine holds it now (the driver's view, not a management read).</summary>
    ExecutionStatus StatusOf(string durableExecutionArn);

    /// <summary>Drives until <paramref name="done"/> holds or nothing more can happen; <paramref name="actor"/> acts at
    /// its virtual times.</summary>
    Task<bool> RunUntilAsync(Func<bool> done, ITimeParticipant? actor, CancellationToken cancellationToken);

    /// <summary>The first page of <c>GetDurableExecutionHistory(IncludeExecutionData=true)</c>, as AWS-shaped JSON.</summary>
    Task<JsonObject> GetFirstHistoryPageJsonAsync(string durableExecutionArn, CancellationToken cancellationToken);

    /// <summary>Every event of the history, in the shape of one <c>GetDurableExecutionHistory</c> response.</summary>
    Task<JsonObject> GetFullHistoryJsonAsync(string durableExecutionArn, CancellationToken cancellationToken);

    /// <summary><c>GetDurableExecution</c> as AWS-shaped JSON.</summary>
    Task<JsonObject> GetExecutionJsonAsync(string durableExecutionArn, CancellationToken cancellationToken);

    /// <summary>The captured log records of an execution, in emission order.</summary>
    IReadOnlyList<LogRecord> GetLogs(string durableExecutionArn);

    /// <summary><c>SendDurableExecutionCallbackSuccess</c>.</summary>
    Task SendCallbackSuccessAsync(string callbackId, string? result, CancellationToken cancellationToken);

    /// <summary><c>SendDurableExecutionCallbackFailure</c>.</summary>
    Task SendCallbackFailureAsync(string callbackId, ErrorObject error, CancellationToken cancellationToken);

    /// <summary><c>SendDurableExecutionCallbackHeartbeat</c>.</summary>
    Task SendCallbackHeartbeatAsync(string callbackId, CancellationToken cancellationToken);
}
