using System;
using System.Collections.Generic;
using System.Diagnostics;
using DurableGen.Protocol;

namespace DurableGen.OpenTelemetry;

/// <summary>
/// The spans of one invocation of one execution, in either view (otel.md §1): the Invocation span, the live operation
/// and attempt spans, and at a terminal end the Workflow span. Everything that must be the same in another invocation
/// (trace id, Workflow and operation span ids) is derived from the ARN and trace header, never remembered. Hooks of
/// parallel branches arrive concurrently: one lock guards the maps; nothing is created after the invocation ended.
/// </summary>
internal sealed class InvocationTrace
{
    private readonly DurableTracingOptions _options;
    private readonly SpanClock _clock;
    private readonly string _arn;
    private readonly ActivityTraceId _traceId;
    private readonly ActivityContext _workflow;
    private readonly Activity? _invocation;
    private readonly DateTimeOffset _invocationStart;
    private readonly DateTimeOffset? _executionStart;
    private readonly object _gate = new();

    // Invocation view: the live span of each operation in this invocation. Execution view: when each was seen starting.
    private readonly Dictionary<string, Activity> _operations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, DateTimeOffset> _seen = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Activity> _attempts = new(StringComparer.Ordinal);
    private bool _ended;

    public InvocationTrace(InvocationStartInfo info, DurableTracingOptions options)
    {
        _options = options;
        _clock = SpanClock.For(info.Clock);
        _arn = info.DurableExecutionArn;
        _traceId = TraceIds.Trace(_arn, info.TraceHeader);
        _workflow = new ActivityContext(_traceId, TraceIds.Workflow(_arn), ActivityTraceFlags.Recorded);
        _executionStart = info.ExecutionStartTimestamp;
        _invocationStart = _clock.After(info.Timestamp);

        // Lambda's Invocation span hangs under the (never exported) X-Ray parent of the execution's trace, so the
        // trace keeps one root, the Workflow. Without a header the Invocation roots its own trace.
        var parent = TraceIds.RootOf(info.TraceHeader) is { } root && TraceIds.ParentOf(info.TraceHeader) is { } remote
            ? new ActivityContext(root, remote, ActivityTraceFlags.Recorded, isRemote: true)
            : default;
        _invocation = Start("Invocation", parent, _invocationStart, [
            new(DurableAttributes.ExecutionArn, _arn), new(DurableAttributes.InvocationFirst, info.IsFirstInvocation),
        ], links: null, current: true);
    }

    private bool IsInvocationView => _options.View == DurableTracingView.Invocation;

    public void OperationStart(OperationInfo info)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            var now = _clock.Now();
            if (!IsInvocationView)
            {
                _seen.TryAdd(info.Id, now);
                return;
            }

            if (_operations.ContainsKey(info.Id))
            {
                // Reported again in the same invocation: the live span stands for it.
                return;
            }

            if (info.IsReplay && info.Type is not (OperationType.Step or OperationType.Context))
            {
                // A wait, callback or invoke still pending: nothing new happens to it in this invocation.
                return;
            }

            var tags = OperationTags(info, "STARTED", attempt: null);
            // The first segment takes the operation's own id; a replay segment is a new span of the same operation.
            var span = Start(SpanName(info), ParentOf(info), now, tags, [new ActivityLink(_workflow)], current: false,
                id: info.IsReplay ? null : TraceIds.Operation(_arn, info.Id));
            if (span is not null)
            {
                _operations[info.Id] = span;
            }
        }
    }

    public void OperationEnd(OperationInfo info)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            var now = _clock.Now();
            var status = Token(info.Status ?? OperationStatus.Unknown);
            int? attempt = info.Type == OperationType.Step ? info.Attempt ?? 1 : null;
            if (IsInvocationView)
            {
                if (_operations.Remove(info.Id, out var live))
                {
                    live.SetTag(DurableAttributes.OperationStatus, status);
                    if (attempt is { } count)
                    {
                        live.SetTag(DurableAttributes.AttemptNumber, count);
                    }

                    Finish(live, OtelStatus(info.Status), now);
                    return;
                }

                // Completed since the last invocation (a timer fired, a callback arrived): a continuation span.
                var continuation = Start(SpanName(info), ParentOf(info), now, OperationTags(info, status, attempt),
                    [new ActivityLink(_workflow)], current: false);
                Finish(continuation, OtelStatus(info.Status), _clock.Now());
                return;
            }

            // Execution view: the operation's one span, for its whole durable lifetime, in the invocation it ended in.
            var start = Earliest(_seen.TryGetValue(info.Id, out var seen) ? seen : null, info.StartTimestamp) ?? now;
            var end = info.EndTimestamp is { } ended && ended > now ? _clock.After(ended) : now;
            var span = Start(SpanName(info), ParentOf(info), start, OperationTags(info, status, attempt),
                _invocation is null ? null : [new ActivityLink(_invocation.Context)], current: false,
                id: TraceIds.Operation(_arn, info.Id));
            Finish(span, OtelStatus(info.Status), end);
        }
    }

    public void UserFunctionStart(UserFunctionInfo info)
    {
        if (info.Kind == UserFunctionKind.ContextFunction)
        {
            return;
        }

        Activity? span;
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            var op = info.Operation;
            var attempt = info.AttemptNumber ?? 1;
            var parent = IsInvocationView
                ? _operations.TryGetValue(op.Id, out var live) ? live.Context : InvocationContext
                : OperationContext(op.Id);
            var link = IsInvocationView ? _workflow : InvocationContext;
            span = Start($"{op.Name ?? TypeToken(op.Type)} attempt {attempt}", parent,
                _clock.After(info.StartTimestamp ?? DateTimeOffset.MinValue), [
                    new(DurableAttributes.ExecutionArn, _arn), new(DurableAttributes.OperationId, op.Id),
                    new(DurableAttributes.OperationType, TypeToken(op.Type)),
                    new(DurableAttributes.OperationSubType, op.SubType), new(DurableAttributes.OperationName, op.Name),
                    new(DurableAttributes.AttemptNumber, attempt),
                ], link == default ? null : [new ActivityLink(link)], current: false);
            if (span is null)
            {
                return;
            }

            _attempts[op.Id] = span;
        }

        // The runtime raises this hook on the user code's own flow (scoped to it): the attempt is the current span, so
        // HttpClient, database and user spans started by the attempt nest under it.
        Activity.Current = span;
    }

    public void UserFunctionEnd(UserFunctionInfo info)
    {
        if (info.Kind == UserFunctionKind.ContextFunction)
        {
            return;
        }

        lock (_gate)
        {
            if (_ended || !_attempts.Remove(info.Operation.Id, out var span))
            {
                return;
            }

            var succeeded = info.Succeeded == true;
            span.SetTag(DurableAttributes.AttemptOutcome, succeeded ? "SUCCEEDED" : "FAILED");
            Finish(span, succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error,
                _clock.After(info.EndTimestamp ?? DateTimeOffset.MinValue));
        }
    }

    public void InvocationEnd(InvocationEndInfo info)
    {
        lock (_gate)
        {
            if (_ended)
            {
                return;
            }

            _ended = true;

            // Cut by suspension: open attempts and operation segments end with the invocation, status left unset.
            var cut = _clock.Now();
            foreach (var attempt in _attempts.Values)
            {
                Finish(attempt, ActivityStatusCode.Unset, cut);
            }

            foreach (var operation in _operations.Values)
            {
                Finish(operation, ActivityStatusCode.Unset, cut);
            }

            _attempts.Clear();
            _operations.Clear();
            if (_invocation is not null)
            {
                _invocation.SetTag(DurableAttributes.InvocationStatus, Token(info.Status));
                Finish(_invocation, info.Status == InvocationStatus.Failed ? ActivityStatusCode.Error : ActivityStatusCode.Ok,
                    _clock.After(info.Timestamp));
            }

            if (info.IsTerminal)
            {
                // Only the terminal invocation knows the outcome; earlier ones linked to (or parented on) its id.
                var succeeded = info.Status == InvocationStatus.Succeeded;
                var workflow = Start(_options.WorkflowSpanName, default,
                    Earliest(info.ExecutionStartTimestamp ?? _executionStart, _invocationStart) ?? _invocationStart, [
                        new(DurableAttributes.ExecutionArn, _arn),
                        new(DurableAttributes.ExecutionStatus, succeeded ? "SUCCEEDED" : "FAILED"),
                    ], links: null, current: false, id: _workflow.SpanId, rootTrace: _traceId);
                Finish(workflow, succeeded ? ActivityStatusCode.Ok : ActivityStatusCode.Error, _clock.Now());
            }
        }
    }

    private ActivityContext InvocationContext => _invocation?.Context ?? default;

    private ActivityContext OperationContext(string id) =>
        new(_traceId, TraceIds.Operation(_arn, id), ActivityTraceFlags.Recorded);

    /// <summary>
    /// Invocation view: the live span of the parent operation, else the Invocation. Execution view: the parent
    /// operation's deterministic span (exported when it ends, perhaps in a later invocation), else the Workflow.
    /// </summary>
    private ActivityContext ParentOf(OperationInfo info)
    {
        if (IsInvocationView)
        {
            return info.ParentId is { } parentId && _operations.TryGetValue(parentId, out var live)
                ? live.Context
                : InvocationContext;
        }

        return info.ParentId is { } id ? OperationContext(id) : _workflow;
    }

    private List<KeyValuePair<string, object?>> OperationTags(OperationInfo info, string status, int? attempt)
    {
        var tags = new List<KeyValuePair<string, object?>>(7)
        {
            new(DurableAttributes.ExecutionArn, _arn), new(DurableAttributes.OperationId, info.Id),
            new(DurableAttributes.OperationType, TypeToken(info.Type)),
        };
        if (info.SubType is not null)
        {
            tags.Add(new(DurableAttributes.OperationSubType, info.SubType));
        }

        if (info.Name is not null)
        {
            tags.Add(new(DurableAttributes.OperationName, info.Name));
        }

        tags.Add(new(DurableAttributes.OperationStatus, status));
        if (attempt is { } count)
        {
            tags.Add(new(DurableAttributes.AttemptNumber, count));
        }

        return tags;
    }

    /// <summary>
    /// Starts a span without making it current: hooks run on the workflow's flow, and a span left current there
    /// would become the parent of whatever the workflow does next. <paramref name="id"/> gives it a derived span id.
    /// </summary>
    private static Activity? Start(string name, ActivityContext parent, DateTimeOffset start,
        IEnumerable<KeyValuePair<string, object?>> tags, IEnumerable<ActivityLink>? links, bool current,
        ActivitySpanId? id = null, ActivityTraceId? rootTrace = null)
    {
        var previous = Activity.Current;
        if (parent == default)
        {
            // An explicit default parent would otherwise mean "the current activity".
            Activity.Current = null;
        }

        var span = DurableTracing.Source.StartActivity(name, ActivityKind.Internal, parent, tags, links, start);
        if (!current || span is null)
        {
            Activity.Current = previous;
        }

        if (span is not null && id is { } spanId)
        {
            ActivityIdOverride.TryAssign(span, rootTrace ?? span.TraceId, spanId);
        }

        return span;
    }

    private static void Finish(Activity? span, ActivityStatusCode status, DateTimeOffset end)
    {
        if (span is null)
        {
            return;
        }

        if (status != ActivityStatusCode.Unset)
        {
            span.SetStatus(status);
        }

        // Stop makes the span's in-process parent current if the span was; anything else current stays so.
        var previous = Activity.Current;
        span.SetEndTime(end.UtcDateTime > span.StartTimeUtc ? end.UtcDateTime : span.StartTimeUtc.AddTicks(1));
        span.Stop();
        if (previous != span)
        {
            Activity.Current = previous;
        }
    }

    private static DateTimeOffset? Earliest(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a < b ? a : b;

    private static string SpanName(OperationInfo info) => info.Name ?? TypeToken(info.Type);

    private static ActivityStatusCode OtelStatus(OperationStatus? status) => status switch
    {
        OperationStatus.Succeeded => ActivityStatusCode.Ok,
        OperationStatus.Failed or OperationStatus.TimedOut or OperationStatus.Stopped or OperationStatus.Cancelled =>
            ActivityStatusCode.Error,
        _ => ActivityStatusCode.Unset,
    };

    internal static string TypeToken(OperationType type) => type switch
    {
        OperationType.Step => "STEP",
        OperationType.Wait => "WAIT",
        OperationType.Context => "CONTEXT",
        OperationType.Callback => "CALLBACK",
        OperationType.ChainedInvoke => "CHAINED_INVOKE",
        OperationType.Execution => "EXECUTION",
        _ => "UNKNOWN",
    };

    private static string Token(OperationStatus status) => status switch
    {
        OperationStatus.Started => "STARTED",
        OperationStatus.Pending => "PENDING",
        OperationStatus.Ready => "READY",
        OperationStatus.Succeeded => "SUCCEEDED",
        OperationStatus.Failed => "FAILED",
        OperationStatus.Cancelled => "CANCELLED",
        OperationStatus.Stopped => "STOPPED",
        OperationStatus.TimedOut => "TIMED_OUT",
        _ => "UNKNOWN",
    };

    private static string Token(InvocationStatus status) => status switch
    {
        InvocationStatus.Succeeded => "SUCCEEDED",
        InvocationStatus.Failed => "FAILED",
        InvocationStatus.Pending => "PENDING",
        _ => "UNKNOWN",
    };
}
