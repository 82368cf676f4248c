using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Conformance.Driving;
using DurableGen.Conformance.Handlers;
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Telemetry;
using DurableGen.Conformance.Validation;
using DurableGen.Emulator.Hosting;
using DurableGen.Protocol;

namespace DurableGen.Conformance.Running;

/// <summary>Settings of a run.</summary>
public sealed class RunnerOptions
{
    /// <summary>Where <c>&lt;id&gt;.json</c> (history) and <c>&lt;id&gt;.execution.json</c> go; null: nowhere.</summary>
    public string? ArtifactsDirectory { get; init; }

    /// <summary>Wall-clock guard per requirement (handler deadlocks).</summary>
    public TimeSpan WallClockLimit { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Invocation guard per requirement.</summary>
    public int MaxInvocations { get; init; } = 200;

    /// <summary>The run seed; each requirement's seed is derived from it and the id.</summary>
    public int Seed { get; init; }

    /// <summary>Requirements run at once.</summary>
    public int MaxParallelism { get; init; } = Math.Max(2, Environment.ProcessorCount);

    /// <summary>Where each requirement runs: in process (the default) or on the HTTP local service.</summary>
    public ConformanceHostKind Host { get; init; } = ConformanceHostKind.InProcess;
}

/// <summary>
/// Runs one requirement the way the Python runner validates it (conformance.md §4.7): Variables, handler lookup,
/// start with the substituted Input, drive (synchronous: run to a terminal status; asynchronous: the polling loop
/// with name repair, terminal check, no-progress rule, callback actions and history-only matching, all on the
/// requirement's virtual clock), save the artifacts, then validate history → result → logs, stopping at the first
/// failing stage, and add the callback-send errors.
/// </summary>
public sealed class RequirementRunner
{
    private readonly HandlerCatalog _catalog;
    private readonly RunnerOptions _options;

    /// <summary>Creates a runner over the handlers of <paramref name="catalog"/>.</summary>
    public RequirementRunner(HandlerCatalog catalog, RunnerOptions? options = null)
    {
        _catalog = catalog;
        _options = options ?? new RunnerOptions();
    }

    /// <summary>The per-requirement seed: the run seed mixed with a stable hash of the id.</summary>
    public int SeedFor(string id)
    {
        unchecked
        {
            var hash = (int)2166136261;
            foreach (var c in id)
            {
                hash = (hash ^ c) * 16777619;
            }

            return hash ^ _options.Seed;
        }
    }

    /// <summary>Runs one requirement.</summary>
    public Task<RequirementResult> RunAsync(Requirement requirement, CancellationToken cancellationToken = default) =>
        RunOneAsync(requirement, null, cancellationToken);

    /// <summary>
    /// Runs one OpenTelemetry case (otel.md §6.4): the requirement as usual, with the handlers told the case's view,
    /// every DurableGen span captured, a long-running delay bound to <c>LONG_DELAY_SECONDS</c> and no no-progress rule;
    /// when history, result and callbacks passed, a long-running case must not have finished before its delay, and the
    /// view's <c>TelemetryAssertions</c> judge the captured spans. The result is named <see cref="TelemetryCase.Name"/>.
    /// </summary>
    public Task<RequirementResult> RunAsync(TelemetryCase telemetryCase, CancellationToken cancellationToken = default) =>
        RunOneAsync(telemetryCase.Requirement, telemetryCase, cancellationToken);

    private async Task<RequirementResult> RunOneAsync(Requirement requirement, TelemetryCase? telemetry,
        CancellationToken cancellationToken)
    {
        var watch = Stopwatch.StartNew();
        var name = telemetry?.Name ?? requirement.Id;
        var seed = SeedFor(name);
        var warnings = new List<string>();
        _catalog.Handlers.TryGetValue(requirement.Id, out var handler);
        if (handler is null)
        {
            var declared = _catalog.NotImplemented.TryGetValue(requirement.Id, out var reason);
            return new RequirementResult
            {
                Id = name,
                Suite = requirement.Suite,
                Description = requirement.Description,
                Optional = requirement.Optional,
                Status = declared ? ConformanceStatus.NotImplemented : ConformanceStatus.Uncovered,
                Reason = declared ? reason : "No handler is marked [Conformance(\"" + requirement.Id + "\")] and no gap is declared.",
                Seed = seed,
                Duration = watch.Elapsed,
            };
        }

        if (_catalog.NotImplemented.ContainsKey(requirement.Id))
        {
            warnings.Add($"Stale declaration: {requirement.Id} is declared NOT_IMPLEMENTED but has a handler ({handler.Type.Name}); it runs.");
        }

        if (requirement.LoadError is { } loadError)
        {
            return Finish(name, requirement, handler, seed, watch, [loadError], warnings, null, 0, null, 0);
        }

        if (telemetry is not null && _options.Host != ConformanceHostKind.InProcess)
        {
            return Finish(name, requirement, handler, seed, watch,
                ["OpenTelemetry requirements run on the in-process host only: spans are captured in this process."], warnings, null, 0, null, 0);
        }

        var functionName = "conformance-" + requirement.Id;
        await using var host = await CreateHostAsync(functionName, handler, cancellationToken).ConfigureAwait(false);
        if (host is ConformanceHost inProcess && telemetry is not null)
        {
            inProcess.TelemetryView = telemetry.View.ToString().ToLowerInvariant();
            if (telemetry.DelaySeconds is { } longDelay)
            {
                // The long-running template gives the execution room for its delay; the core 300 s would time a day out.
                inProcess.ExecutionTimeoutSeconds = Math.Max(inProcess.ExecutionTimeoutSeconds, 2 * longDelay + 300);
                inProcess.TargetExecutionTimeoutSeconds = inProcess.ExecutionTimeoutSeconds; // a target may wait the delay too (long-running-4)
            }
        }

        using var capture = telemetry is null ? null : new SpanCapture(TelemetrySources.DefaultServiceName);
        var context = new PlaceholderContext(seed);
        context.EvaluateVariables(requirement.Variables);
        if (telemetry?.DelaySeconds is { } delay)
        {
            LongRunningRules.BindDelay(context, delay);
        }

        string? arn = null;
        var errors = new List<string>();
        try
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            guard.CancelAfter(_options.WallClockLimit);
            var run = RunCoreAsync(requirement, host, functionName, context, errors, a => arn = a, guard.Token, telemetry);
            await run.WaitAsync(guard.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            errors.Add($"Wall-clock guard: the requirement did not finish within {_options.WallClockLimit.TotalSeconds:0} s (handler deadlock?).");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            errors.Add($"Harness error: {ex.GetType().Name}: {ex.Message}");
        }

        string? artifact = null;
        if (arn is not null && _options.ArtifactsDirectory is { } dir)
        {
            try
            {
                artifact = await WriteArtifactsAsync(dir, name, host, arn, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is DurableServiceException or System.Net.Http.HttpRequestException)
            {
                errors.Add($"Harness error: the artifacts could not be read: {ex.Message}");
            }
        }

        var elapsed = (host.Clock.GetUtcNow() - ConformanceHost.Epoch).TotalSeconds;
        if (telemetry is not null && capture is not null && arn is not null && errors.Count == 0)
        {
            errors.AddRange(TelemetryJudge.Judge(telemetry.Assertions ?? new System.Text.Json.Nodes.JsonObject(), context, arn,
                capture.ServiceName, capture.Spans));
        }

        return Finish(name, requirement, handler, seed, watch, errors, warnings, artifact, elapsed, arn, host.InvocationsRun);
    }

    private static RequirementResult Finish(string name, Requirement requirement, HandlerEntry handler, int seed, Stopwatch watch,
        List<string> errors, List<string> warnings, string? artifact, double virtualSeconds, string? arn, int invocations)
    {
        var status = errors.Count == 0
            ? ConformanceStatus.Passed
            : requirement.Optional ? ConformanceStatus.OptionalFailed : ConformanceStatus.Failed;
        return new RequirementResult
        {
            Id = name,
            Suite = requirement.Suite,
            Description = requirement.Description,
            Function = handler.Type.FullName,
            Status = status,
            Reason = errors.Count == 0 ? null : string.Join("; ", errors.Take(5)) + (errors.Count > 5 ? $"; … ({errors.Count} errors)" : ""),
            Optional = requirement.Optional,
            Errors = errors,
            Warnings = warnings,
            Duration = watch.Elapsed,
            VirtualSeconds = virtualSeconds,
            Seed = seed,
            ArtifactPath = artifact,
            ExecutionArn = arn,
            Invocations = invocations,
        };
    }

    /// <summary>A fresh private service for one requirement, with the catalog's targets and the requirement's handler.</summary>
    private async Task<IRequirementHost> CreateHostAsync(string functionName, HandlerEntry handler,
        CancellationToken cancellationToken)
    {
        if (_options.Host == ConformanceHostKind.Http)
        {
            return await HttpConformanceHost.StartAsync(_catalog, functionName, handler, _options.MaxInvocations,
                cancellationToken).ConfigureAwait(false);
        }

        var host = new ConformanceHost(_catalog, _options.MaxInvocations) { ExecutionTimeoutSeconds = handler.ExecutionTimeoutSeconds };
        host.Register(functionName, handler);
        return host;
    }

    private async Task RunCoreAsync(Requirement requirement, IRequirementHost host, string functionName,
        PlaceholderContext context, List<string> errors, Action<string> started, CancellationToken cancellationToken,
        TelemetryCase? telemetry = null)
    {
        // The runner writes {"Input": value} and the invoker sends the bare value, JSON-encoded.
        var input = context.Substitute(requirement.Input);
        var arn = await host.StartAsync(functionName, Py.JsonDumps(input), cancellationToken).ConfigureAwait(false);
        started(arn);

        if (!requirement.AsyncInvoke)
        {
            await RunToTerminalAsync(host, arn, cancellationToken).ConfigureAwait(false);
            var history = await host.GetFirstHistoryPageJsonAsync(arn, cancellationToken).ConfigureAwait(false);
            if (requirement.ExpectedExecutionHistory.Count == 0)
            {
                errors.Add("ExpectedExecutionHistory is empty");
                return;
            }

            await ValidateOutcomeAsync(requirement, host, arn, history, context, callbackErrors: [], errors, cancellationToken)
                .ConfigureAwait(false);
            CheckPremature(telemetry, history, errors);
            return;
        }

        var callbackErrors = new List<string>();
        var longRunning = telemetry?.DelaySeconds is not null;
        var snapshot = await PollAsync(requirement, host, arn, context, callbackErrors, cancellationToken,
            noProgressRule: !longRunning,
            quiet: longRunning && host is ConformanceHost inProcess ? new QuietEngine(() => inProcess.Engine.NextDueTime, () => inProcess.InvocationsRun) : null,
            longDelay: telemetry?.DelaySeconds).ConfigureAwait(false);
        await ValidateOutcomeAsync(requirement, host, arn, snapshot, context, callbackErrors, errors, cancellationToken)
            .ConfigureAwait(false);
        CheckPremature(telemetry, snapshot, errors);
    }

    /// <summary>A long-running case that passed so far fails as premature when it ended before its delay (otel.md §4.7).</summary>
    private static void CheckPremature(TelemetryCase? telemetry, JsonObject history, List<string> errors)
    {
        if (errors.Count == 0 && telemetry?.DelaySeconds is { } delay && LongRunningRules.PrematureError(Events(history), delay) is { } premature)
        {
            errors.Add(premature);
        }
    }

    /// <summary>
    /// Checks the outcome in order (history, result, callback sends, logs) and stops at the first check that fails;
    /// the callback send errors are reported along with a failed history or result check.
    /// </summary>
    private static async Task ValidateOutcomeAsync(Requirement requirement, IRequirementHost host, string arn,
        JsonObject history, PlaceholderContext context, List<string> callbackErrors, List<string> errors,
        CancellationToken cancellationToken)
    {
        var historyErrors = HistoryMatcher.Match(requirement.ExpectedExecutionHistory, Events(history), context);
        if (historyErrors.Count > 0)
        {
            errors.AddRange(historyErrors);
            errors.AddRange(callbackErrors);
            return;
        }

        if (requirement.ExpectedResult is { } expected)
        {
            var execution = await host.GetExecutionJsonAsync(arn, cancellationToken).ConfigureAwait(false);
            var resultErrors = ResultValidator.Validate(expected, execution, context);
            if (resultErrors.Count > 0)
            {
                errors.AddRange(resultErrors);
                errors.AddRange(callbackErrors);
                return;
            }
        }

        if (callbackErrors.Count > 0)
        {
            errors.AddRange(callbackErrors);
            return;
        }

        if (requirement.ExpectedLogs is { } logs)
        {
            errors.AddRange(LogValidator.Validate(logs, host.GetLogs(arn), context));
        }
    }

    /// <summary>The synchronous invoke: returns when the execution is closed and nothing else is runnable (or nothing
    /// more can happen: the history check then reports what is missing).</summary>
    private static Task RunToTerminalAsync(IRequirementHost host, string arn, CancellationToken cancellationToken) =>
        host.RunUntilAsync(() => host.StatusOf(arn) != ExecutionStatus.Running && !host.HasRunnableExecution, null,
            cancellationToken);

    /// <summary>
    /// The asynchronous path: polls every <c>PollIntervalSeconds</c> of virtual time, interleaved with the engine's
    /// timers and invocations (timers first at equal times). Returns the last history snapshot.
    /// </summary>
    private static async Task<JsonObject> PollAsync(Requirement requirement, IRequirementHost host, string arn,
        PlaceholderContext context, List<string> callbackErrors, CancellationToken cancellationToken, bool noProgressRule = true,
        QuietEngine? quiet = null, int? longDelay = null)
    {
        var poller = new Poller(requirement, host, arn, context, callbackErrors, noProgressRule, quiet, longDelay);
        await host.RunUntilAsync(() => poller.Finished && !host.HasRunnableExecution, poller, cancellationToken)
            .ConfigureAwait(false);
        return poller.Snapshot ?? await host.GetFirstHistoryPageJsonAsync(arn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The Python runner's polling thread as an actor of the driver: it acts at its next poll, or at its next planned
    /// callback send; a polling round fetches the history, repairs names, checks for a terminal status, applies the
    /// no-progress rule, plans callback actions and, for a history-only requirement, stops once the history matches.
    /// In a long-running case (otel.md §4.7) no callback is sent before the run's start plus the delay, and a file
    /// without <c>CallbackActions</c> gets the long-running runner's own: success with <c>callback-complete</c> for the
    /// first callback.
    /// </summary>
    private sealed class Poller : ITimeParticipant
    {
        private readonly Requirement _requirement;
        private readonly IRequirementHost _host;
        private readonly string _arn;
        private readonly PlaceholderContext _context;
        private readonly List<string> _callbackErrors;
        private readonly TimeSpan _poll;
        private readonly TimeSpan _noProgress;
        private readonly CallbackPlanner _planner;
        private readonly Queue<(DateTimeOffset At, PlannedAction Action)> _sends = new();
        private DateTimeOffset _nextPoll;
        private DateTimeOffset _lastProgress;
        private int _lastCount;
        private bool _stopAfterSends;
        private bool _stopped;
        private readonly QuietEngine? _quiet;
        private readonly DateTimeOffset _firstSend;
        private int _invocationsSeen = -1;

        public Poller(Requirement requirement, IRequirementHost host, string arn, PlaceholderContext context,
            List<string> callbackErrors, bool noProgressRule = true, QuietEngine? quiet = null, int? longDelay = null)
        {
            _quiet = quiet;
            _requirement = requirement;
            _host = host;
            _arn = arn;
            _context = context;
            _callbackErrors = callbackErrors;
            _poll = TimeSpan.FromSeconds(requirement.PollIntervalSeconds);
            // A long-running case waits up to a day of virtual time without new events (otel.md §4.7).
            _noProgress = noProgressRule ? TimeSpan.FromSeconds(requirement.NoProgressTimeoutSeconds) : TimeSpan.MaxValue;
            _planner = new CallbackPlanner(longDelay is not null && requirement.CallbackActions.Count == 0
                ? [LongRunningRules.CallbackAction]
                : requirement.CallbackActions);
            _nextPoll = host.Clock.GetUtcNow() + _poll;
            _lastProgress = host.Clock.GetUtcNow();
            _firstSend = host.Clock.GetUtcNow() + TimeSpan.FromSeconds(longDelay ?? 0);
        }

        public bool Finished => _stopped || (_stopAfterSends && _sends.Count == 0);

        public JsonObject? Snapshot { get; private set; }

        public bool HoldsTime => false;

        public DateTimeOffset? NextActionTime => Finished ? null : _sends.Count > 0 ? _sends.Peek().At : SkipQuietPolls(_nextPoll);

        /// <summary>
        /// With <c>quiet</c> (long-running cases, which have no no-progress rule): while nothing can run and no invocation
        /// ran since the last poll, polls before the engine's next timer would see the history the last poll saw, so the
        /// next poll is the first one of the poll grid at or after that timer. A day's wait then costs a few polls
        /// instead of 43 200. After an invocation the next poll is never skipped: it may find a callback to complete
        /// (an open callback has no timer but the execution timeout, which a skip would reach first).
        /// </summary>
        private DateTimeOffset SkipQuietPolls(DateTimeOffset next)
        {
            if (_quiet is null || _poll <= TimeSpan.Zero || _host.HasRunnableExecution
                || _quiet.InvocationsRun() != _invocationsSeen || _quiet.NextDue() is not { } due || due <= next)
            {
                return next;
            }

            var polls = (long)Math.Ceiling((due - next).Ticks / (double)_poll.Ticks);
            return next + TimeSpan.FromTicks(polls * _poll.Ticks);
        }

        public async Task ActAsync(CancellationToken cancellationToken)
        {
            var now = _host.Clock.GetUtcNow();
            if (_sends.Count > 0)
            {
                var (_, planned) = _sends.Dequeue();
                await SendAsync(_host, planned, _context, _callbackErrors, cancellationToken).ConfigureAwait(false);
                if (_sends.Count == 0)
                {
                    _nextPoll = now + _poll; // the Python loop sleeps the poll interval after its last send
                }

                return;
            }

            _invocationsSeen = _quiet?.InvocationsRun() ?? -1;
            Snapshot = await _host.GetFirstHistoryPageJsonAsync(_arn, cancellationToken).ConfigureAwait(false);
            var events = Events(Snapshot);
            HistoryMatcher.RepairNames(events);
            if (HistoryMatcher.IsTerminal(HistoryMatcher.TerminalStatus(Snapshot)))
            {
                _stopped = true;
                return;
            }

            if (events.Count > _lastCount)
            {
                _lastCount = events.Count;
                _lastProgress = now;
            }
            else if (now - _lastProgress >= _noProgress)
            {
                _callbackErrors.Add($"No new events for {_noProgress.TotalSeconds:0} seconds; the execution made no progress.");
                _stopped = true;
                return;
            }

            var at = now;
            foreach (var planned in _planner.Plan(events, _context, _callbackErrors))
            {
                at = Max(at + TimeSpan.FromSeconds(planned.Delay), _firstSend);
                _sends.Enqueue((at, planned));
            }

            if (_sends.Count == 0)
            {
                _nextPoll = now + _poll;
            }

            if (_requirement.ExpectedResult is null && _requirement.ExpectedExecutionHistory.Count > 0
                && HistoryMatcher.Match(_requirement.ExpectedExecutionHistory, events, _context).Count == 0)
            {
                _stopAfterSends = true;
            }

            return;
        }
    }

    /// <summary>What the long-running poller reads of the in-process engine to skip quiet polls: its next due time and
    /// the invocations run so far.</summary>
    private sealed record QuietEngine(Func<DateTimeOffset?> NextDue, Func<int> InvocationsRun);

    private static async Task SendAsync(IRequirementHost host, PlannedAction planned, PlaceholderContext context,
        List<string> errors, CancellationToken cancellationToken)
    {
        var action = planned.Action;
        try
        {
            switch (action.Operation)
            {
                case "success":
                    await host.SendCallbackSuccessAsync(planned.CallbackId,
                        action.HasPayload ? Py.JsonDumps(context.Substitute(action.Payload)) : null, cancellationToken)
                        .ConfigureAwait(false);
                    break;
                case "failure":
                    var payload = context.Substitute(action.Payload);
                    if (payload is not null and not JsonObject)
                    {
                        errors.Add($"CallbackAction failure for '{planned.CallbackName}': Payload must be a mapping of ErrorType, ErrorMessage, ErrorData, StackTrace");
                        return;
                    }

                    await host.SendCallbackFailureAsync(planned.CallbackId, ToError(payload as JsonObject), cancellationToken)
                        .ConfigureAwait(false);
                    break;
                case "heartbeat":
                    await host.SendCallbackHeartbeatAsync(planned.CallbackId, cancellationToken).ConfigureAwait(false);
                    break;
            }
        }
        catch (DurableServiceException ex)
        {
            errors.Add($"Failed to send {action.Operation} for callback '{planned.CallbackName}' ({planned.CallbackId}): {ex.Message}");
        }
    }

    /// <summary>The failure <c>Error</c> argument: only ErrorType, ErrorMessage, ErrorData and StackTrace are copied.</summary>
    public static ErrorObject ToError(JsonObject? payload)
    {
        var error = new ErrorObject();
        if (payload is null)
        {
            return error;
        }

        if (payload.TryGetPropertyValue("ErrorType", out var type) && type is not null)
        {
            error.ErrorType = Py.Str(type);
        }

        if (payload.TryGetPropertyValue("ErrorMessage", out var message) && message is not null)
        {
            error.ErrorMessage = Py.Str(message);
        }

        if (payload.TryGetPropertyValue("ErrorData", out var data) && data is not null)
        {
            error.ErrorData = Py.Str(data);
        }

        if (payload.TryGetPropertyValue("StackTrace", out var stack) && stack is not null)
        {
            error.StackTrace = stack is JsonArray lines ? lines.Select(Py.Str).ToList() : [Py.Str(stack)];
        }

        return error;
    }

    private static JsonArray Events(JsonObject history) => history["Events"] as JsonArray ?? new JsonArray();

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    private static async Task<string> WriteArtifactsAsync(string dir, string id, IRequirementHost host, string arn,
        CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(dir);
        var indented = new JsonSerializerOptions
        {
            WriteIndented = true,
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
        // <id>.json is the response the requirement was judged on, as AWS's runner saves it; a history longer than that
        // first page is also written whole, so nothing past event 100 is lost to whoever reads the artifacts.
        var historyPath = Path.Combine(dir, id + ".json");
        var judged = await host.GetFirstHistoryPageJsonAsync(arn, cancellationToken).ConfigureAwait(false);
        File.WriteAllText(historyPath, judged.ToJsonString(indented));
        var fullPath = Path.Combine(dir, id + ".full-history.json");
        if (judged["NextMarker"] is not null)
        {
            var full = await host.GetFullHistoryJsonAsync(arn, cancellationToken).ConfigureAwait(false);
            File.WriteAllText(fullPath, full.ToJsonString(indented));
        }
        else
        {
            File.Delete(fullPath); // from an earlier run into the same folder
        }

        var execution = await host.GetExecutionJsonAsync(arn, cancellationToken).ConfigureAwait(false);
        File.WriteAllText(Path.Combine(dir, id + ".execution.json"), execution.ToJsonString(indented));
        var logs = new JsonArray();
        foreach (var record in host.GetLogs(arn))
        {
            logs.Add(record.Fields.DeepClone());
        }

        File.WriteAllText(Path.Combine(dir, id + ".logs.json"), logs.ToJsonString(indented));
        return historyPath;
    }
}
