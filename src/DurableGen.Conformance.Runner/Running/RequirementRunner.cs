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
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Validation;
using DurableGen.Emulator;
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
    public async Task<RequirementResult> RunAsync(Requirement requirement, CancellationToken cancellationToken = default)
    {
        var watch = Stopwatch.StartNew();
        var seed = SeedFor(requirement.Id);
        var warnings = new List<string>();
        _catalog.Handlers.TryGetValue(requirement.Id, out var handler);
        if (handler is null)
        {
            var declared = _catalog.NotImplemented.TryGetValue(requirement.Id, out var reason);
            return new RequirementResult
            {
                Id = requirement.Id,
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
            return Finish(requirement, handler, seed, watch, [loadError], warnings, null, 0, null, 0);
        }

        var host = new ConformanceHost(_catalog);
        var functionName = "conformance-" + requirement.Id;
        host.Register(functionName, handler);
        var context = new PlaceholderContext(seed);
        context.EvaluateVariables(requirement.Variables);

        string? arn = null;
        var errors = new List<string>();
        try
        {
            using var guard = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            guard.CancelAfter(_options.WallClockLimit);
            var run = RunCoreAsync(requirement, host, functionName, context, errors, a => arn = a, guard.Token);
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
            artifact = WriteArtifacts(dir, requirement.Id, host, arn);
        }

        var elapsed = (host.Clock.GetUtcNow() - ConformanceHost.Epoch).TotalSeconds;
        return Finish(requirement, handler, seed, watch, errors, warnings, artifact, elapsed, arn, host.InvocationsRun);
    }

    private static RequirementResult Finish(Requirement requirement, HandlerEntry handler, int seed, Stopwatch watch,
        List<string> errors, List<string> warnings, string? artifact, double virtualSeconds, string? arn, int invocations)
    {
        var status = errors.Count == 0
            ? ConformanceStatus.Passed
            : requirement.Optional ? ConformanceStatus.OptionalFailed : ConformanceStatus.Failed;
        return new RequirementResult
        {
            Id = requirement.Id,
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

    private async Task RunCoreAsync(Requirement requirement, ConformanceHost host, string functionName,
        PlaceholderContext context, List<string> errors, Action<string> started, CancellationToken cancellationToken)
    {
        // The runner writes {"Input": value} and the invoker sends the bare value, JSON-encoded.
        var input = context.Substitute(requirement.Input);
        var arn = host.Start(functionName, Py.JsonDumps(input));
        started(arn);

        if (!requirement.AsyncInvoke)
        {
            await RunToTerminalAsync(host, arn, cancellationToken).ConfigureAwait(false);
            var history = host.GetFirstHistoryPageJson(arn);
            if (requirement.ExpectedExecutionHistory.Count == 0)
            {
                errors.Add("ExpectedExecutionHistory is empty");
                return;
            }

            ValidateOutcome(requirement, host, arn, history, context, callbackErrors: [], errors);
            return;
        }

        var callbackErrors = new List<string>();
        var snapshot = await PollAsync(requirement, host, arn, context, callbackErrors, cancellationToken).ConfigureAwait(false);
        ValidateOutcome(requirement, host, arn, snapshot, context, callbackErrors, errors);
    }

    /// <summary>
    /// Checks the outcome in order (history, result, callback sends, logs) and stops at the first check that fails;
    /// the callback send errors are reported along with a failed history or result check.
    /// </summary>
    private static void ValidateOutcome(Requirement requirement, ConformanceHost host, string arn, JsonObject history,
        PlaceholderContext context, List<string> callbackErrors, List<string> errors)
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
            var resultErrors = ResultValidator.Validate(expected, host.GetExecutionJson(arn), context);
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

    /// <summary>The synchronous invoke: returns when the execution is closed (or nothing more can happen).</summary>
    private async Task RunToTerminalAsync(ConformanceHost host, string arn, CancellationToken cancellationToken)
    {
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            host.Engine.FireDueTimers();
            if (host.Engine.HasRunnableExecution)
            {
                await RunInvocationAsync(host, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (host.Engine.GetSchedulingState(arn).Status != ExecutionStatus.Running)
            {
                return;
            }

            if (host.Engine.NextDueTime is not { } due)
            {
                return; // stuck: the history check reports what is missing
            }

            if (due > host.Clock.GetUtcNow())
            {
                host.Clock.SetUtcNow(due);
            }
        }
    }

    private async Task RunInvocationAsync(ConformanceHost host, CancellationToken cancellationToken)
    {
        if (host.InvocationsRun >= _options.MaxInvocations)
        {
            throw new InvalidOperationException(
                $"More than {_options.MaxInvocations} invocations; the execution looks like it never finishes.");
        }

        await host.RunOnceAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The asynchronous path: polls every <c>PollIntervalSeconds</c> of virtual time, interleaved with the engine's
    /// timers and invocations. Returns the last history snapshot.
    /// </summary>
    private async Task<JsonObject> PollAsync(Requirement requirement, ConformanceHost host, string arn,
        PlaceholderContext context, List<string> callbackErrors, CancellationToken cancellationToken)
    {
        var poll = TimeSpan.FromSeconds(requirement.PollIntervalSeconds);
        var noProgress = TimeSpan.FromSeconds(requirement.NoProgressTimeoutSeconds);
        var planner = new CallbackPlanner(requirement.CallbackActions);
        var historyOnly = requirement.ExpectedResult is null;
        var sends = new Queue<(DateTimeOffset At, PlannedAction Action)>();
        var nextPoll = host.Clock.GetUtcNow() + poll;
        var lastProgress = host.Clock.GetUtcNow();
        var lastCount = 0;
        var stopAfterSends = false;
        JsonObject? snapshot = null;

        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            host.Engine.FireDueTimers();
            if (host.Engine.HasRunnableExecution)
            {
                await RunInvocationAsync(host, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (stopAfterSends && sends.Count == 0)
            {
                break;
            }

            // Timers first at equal times: the service acts, then the runner's thread.
            var driverDue = sends.Count > 0 ? sends.Peek().At : nextPoll;
            if (host.Engine.NextDueTime is { } timerDue && timerDue <= driverDue)
            {
                host.Clock.SetUtcNow(Max(timerDue, host.Clock.GetUtcNow()));
                continue;
            }

            host.Clock.SetUtcNow(Max(driverDue, host.Clock.GetUtcNow()));
            var now = host.Clock.GetUtcNow();
            if (sends.Count > 0)
            {
                var (_, planned) = sends.Dequeue();
                Send(host, planned, context, callbackErrors);
                if (sends.Count == 0)
                {
                    nextPoll = now + poll; // the Python loop sleeps the poll interval after its last send
                }

                continue;
            }

            // One polling round: fetch, repair names, terminal check, progress, callbacks, history-only match.
            snapshot = host.GetFirstHistoryPageJson(arn);
            var events = Events(snapshot);
            HistoryMatcher.RepairNames(events);
            if (HistoryMatcher.IsTerminal(HistoryMatcher.TerminalStatus(snapshot)))
            {
                break;
            }

            if (events.Count > lastCount)
            {
                lastCount = events.Count;
                lastProgress = now;
            }
            else if (now - lastProgress >= noProgress)
            {
                callbackErrors.Add($"No new events for {noProgress.TotalSeconds:0} seconds; the execution made no progress.");
                break;
            }

            var at = now;
            foreach (var planned in planner.Plan(events, context, callbackErrors))
            {
                at += TimeSpan.FromSeconds(planned.Delay);
                sends.Enqueue((at, planned));
            }

            if (sends.Count == 0)
            {
                nextPoll = now + poll;
            }

            if (historyOnly && requirement.ExpectedExecutionHistory.Count > 0
                && HistoryMatcher.Match(requirement.ExpectedExecutionHistory, events, context).Count == 0)
            {
                stopAfterSends = true;
            }
        }

        return snapshot ?? host.GetFirstHistoryPageJson(arn);
    }

    private static void Send(ConformanceHost host, PlannedAction planned, PlaceholderContext context, List<string> errors)
    {
        var action = planned.Action;
        try
        {
            switch (action.Operation)
            {
                case "success":
                    host.Engine.SendCallbackSuccess(planned.CallbackId,
                        action.HasPayload ? Py.JsonDumps(context.Substitute(action.Payload)) : null);
                    break;
                case "failure":
                    var payload = context.Substitute(action.Payload);
                    if (payload is not null and not JsonObject)
                    {
                        errors.Add($"CallbackAction failure for '{planned.CallbackName}': Payload must be a mapping of ErrorType, ErrorMessage, ErrorData, StackTrace");
                        return;
                    }

                    host.Engine.SendCallbackFailure(planned.CallbackId, ToError(payload as JsonObject));
                    break;
                case "heartbeat":
                    host.Engine.SendCallbackHeartbeat(planned.CallbackId);
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

    private static string WriteArtifacts(string dir, string id, ConformanceHost host, string arn)
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
        var judged = host.GetFirstHistoryPageJson(arn);
        File.WriteAllText(historyPath, judged.ToJsonString(indented));
        var fullPath = Path.Combine(dir, id + ".full-history.json");
        if (judged["NextMarker"] is not null)
        {
            File.WriteAllText(fullPath, host.GetFullHistoryJson(arn).ToJsonString(indented));
        }
        else
        {
            File.Delete(fullPath); // from an earlier run into the same folder
        }

        File.WriteAllText(Path.Combine(dir, id + ".execution.json"), host.GetExecutionJson(arn).ToJsonString(indented));
        var logs = new JsonArray();
        foreach (var record in host.GetLogs(arn))
        {
            logs.Add(record.Fields.DeepClone());
        }

        File.WriteAllText(Path.Combine(dir, id + ".logs.json"), logs.ToJsonString(indented));
        return historyPath;
    }
}
