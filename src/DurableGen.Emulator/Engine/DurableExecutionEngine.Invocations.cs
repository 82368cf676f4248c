using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Tokens;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>The <c>ErrorType</c> recorded for a crashed invocation when the host gives none.</summary>
    public const string RuntimeExitError = "Runtime.ExitError";

    /// <summary>The error type Lambda records for an invocation that ran out of time (and answers a synchronous Invoke
    /// with when it stops waiting).</summary>
    public const string SandboxTimeoutError = "Sandbox.Timedout";

    /// <summary>The <c>ErrorMessage</c> Lambda records for a runtime that died mid-invocation (with
    /// <see cref="RuntimeExitError"/>), the same from every host.</summary>
    public static string RuntimeExitMessage(string requestId, int exitCode) =>
        $"RequestId: {requestId} Error: Runtime exited with error: exit status {exitCode}";

    /// <summary>The <c>ErrorType</c> recorded when a function returned an output the service cannot accept.</summary>
    public const string InvalidOutputError = "Runtime.InvalidOutput";

    /// <summary>
    /// Picks the runnable execution that has waited longest and has no active invocation, issues a fresh checkpoint
    /// token and returns the invocation to run (envelope: EXECUTION record first, pruned per protocol §4.8, the first
    /// page bounded by <see cref="EngineOptions.EnvelopeMaxOperations"/> and <see cref="EngineOptions.MaxPageBytes"/>).
    /// Returns null when nothing is runnable.
    /// </summary>
    public PendingInvocation? TryBeginInvocation() => Write(BeginInvocation);

    private PendingInvocation? BeginInvocation() => _store.FindRunnable() is { } arn ? BeginInvocation(Load(arn)!) : null;

    /// <summary>
    /// <see cref="TryBeginInvocation"/> for an asynchronous driver (the wait for durability is awaited, not blocked
    /// on), for up to <paramref name="max"/> runnable executions at once, longest waiting first, in one request: their begins share one store commit, so a host with several idle sandboxes hands
    /// out that much work after one durable write rather than one write per invocation. Empty when nothing is runnable.
    /// </summary>
    public Task<IReadOnlyList<PendingInvocation>> TryBeginInvocationsAsync(int max)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(max, 1);
        return WriteAsync<IReadOnlyList<PendingInvocation>>(() =>
        {
            var begun = new List<PendingInvocation>();
            foreach (var arn in _store.FindRunnable(max))
            {
                begun.Add(BeginInvocation(Load(arn)!));
            }

            return begun;
        });
    }

    /// <summary>
    /// <see cref="TryBeginInvocation"/> for one execution, whatever else is runnable: for a host that re-delivers an
    /// invocation of that execution (a duplicate delivery, after the previous invocation was fenced) while other
    /// executions wait their turn. Returns null when the execution is not runnable.
    /// </summary>
    public PendingInvocation? TryBeginInvocationOf(string durableExecutionArn)
    {
        return Write(() => Load(durableExecutionArn) is { Runnable: true, ActiveInvocation: null, IsClosed: false } record
            ? BeginInvocation(record)
            : null);
    }

    private PendingInvocation BeginInvocation(ExecutionRecord record)
    {
        var arn = record.DurableExecutionArn;
        var now = Now();
        record.InvocationCount++;
        record.TokenSequence++;
        record.Runnable = false;
        var requestId = NewId();
        record.ActiveInvocation = new ActiveInvocation
        {
            Number = record.InvocationCount,
            RequestId = requestId,
            StartTimestamp = now,
        };

        var visible = VisibleOperations(record);
        var (page, next) = Page(record, visible, 0, Math.Max(1, _options.EnvelopeMaxOperations));
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = record.DurableExecutionArn,
            CheckpointToken = CheckpointTokenCodec.Encode(arn, record.InvocationCount, record.TokenSequence),
            InitialExecutionState = new InitialExecutionState { Operations = page, NextMarker = next },
            UpdatedOperationIds = new List<string>(record.UpdatedOperationIds),
        };
        record.UpdatedOperationIds.Clear();
        Persist(record);
        return new PendingInvocation(arn, record.FunctionName, record.Version, requestId, input);
    }

    /// <summary>
    /// Reports the output of an invocation (protocol §5.3): records <c>InvocationCompleted</c>, then closes the
    /// execution on SUCCEEDED/FAILED (terminal event last). An invalid output (PENDING with nothing pending and nothing
    /// changed, SUCCEEDED with an error, FAILED with a result, no status) counts as a failed invocation. Output that
    /// arrives after the execution was closed (by an EXECUTION checkpoint, a stop or a timeout) is ignored, and so is
    /// a report for an invocation that is no longer active.
    /// </summary>
    public void CompleteInvocation(string durableExecutionArn, string requestId, DurableExecutionInvocationOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        Write(() => ApplyInvocationOutput(durableExecutionArn, requestId, output));
    }

    /// <summary><see cref="CompleteInvocation"/> for an asynchronous host: the wait for durability is awaited, not
    /// blocked on.</summary>
    public Task CompleteInvocationAsync(string durableExecutionArn, string requestId, DurableExecutionInvocationOutput output)
    {
        ArgumentNullException.ThrowIfNull(output);
        return WriteAsync(() => ApplyInvocationOutput(durableExecutionArn, requestId, output));
    }

    private bool ApplyInvocationOutput(string durableExecutionArn, string requestId, DurableExecutionInvocationOutput output)
    {
        var record = LoadOrNotFound(durableExecutionArn);
        if (record.ActiveInvocation is not { } active || !string.Equals(active.RequestId, requestId, StringComparison.Ordinal))
        {
            return false;
        }

        var now = Now();
        var invalid = record.IsClosed ? null : ValidateOutput(record, output);
        EndInvocation(record, active, invalid, now);
        if (!record.IsClosed)
        {
            if (invalid is not null)
            {
                HandleFailedInvocation(record, invalid, now);
            }
            else if (output.Status == InvocationStatus.Succeeded)
            {
                ExecutionRules.Close(record, ExecutionStatus.Succeeded, output.Result, null, now);
            }
            else if (output.Status == InvocationStatus.Failed)
            {
                ExecutionRules.Close(record, ExecutionStatus.Failed, null, CopyError(output.Error), now);
            }
            else
            {
                record.ConsecutiveFailures = 0;
            }
        }

        ApplyPendingChildCompletions(record, now);
        Persist(record);
        return true;
    }

    /// <summary>
    /// Reports that an invocation crashed at the Lambda level (unhandled exception, timeout, process exit): fences it
    /// (its token stops working), records <c>InvocationCompleted</c> with the error (default <c>ErrorType</c>
    /// <see cref="RuntimeExitError"/>) and makes the execution runnable again at once; after
    /// <see cref="EngineOptions.MaxConsecutiveInvocationFailures"/> failures in a row the execution fails.
    /// </summary>
    public void FailInvocation(string durableExecutionArn, string requestId, ErrorObject error) =>
        Write(() => ApplyInvocationFailure(durableExecutionArn, requestId, error));

    /// <summary><see cref="FailInvocation"/> for an asynchronous host: the wait for durability is awaited, not blocked
    /// on.</summary>
    public Task FailInvocationAsync(string durableExecutionArn, string requestId, ErrorObject error) =>
        WriteAsync(() => ApplyInvocationFailure(durableExecutionArn, requestId, error));

    private bool ApplyInvocationFailure(string durableExecutionArn, string requestId, ErrorObject error)
    {
        var record = LoadOrNotFound(durableExecutionArn);
        if (record.ActiveInvocation is not { } active || !string.Equals(active.RequestId, requestId, StringComparison.Ordinal))
        {
            return false;
        }

        FailActiveInvocation(record, active, error);
        return true;
    }

    /// <summary>
    /// Fails every invocation still marked in flight, as <see cref="FailInvocation"/> does one: for a host that starts
    /// on a persistent store after a crash, when no process can still be running what it handed out (the Lambda
    /// sandboxes went with it), so those executions would otherwise wait forever for an answer. Returns how many
    /// invocations it failed.
    /// </summary>
    public int FailOrphanedInvocations(ErrorObject error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return Write(() =>
        {
            var failed = 0;
            foreach (var arn in _store.ListOpen())
            {
                if (Load(arn) is { ActiveInvocation: { } active } record)
                {
                    FailActiveInvocation(record, active, error);
                    failed++;
                }
            }

            return failed;
        });
    }

    private void FailActiveInvocation(ExecutionRecord record, ActiveInvocation active, ErrorObject error)
    {
        var now = Now();
        var recorded = CopyError(error) ?? new ErrorObject();
        recorded.ErrorType ??= RuntimeExitError;
        EndInvocation(record, active, recorded, now);
        if (!record.IsClosed)
        {
            HandleFailedInvocation(record, recorded, now);
        }

        ApplyPendingChildCompletions(record, now);
        Persist(record);
    }

    private void EndInvocation(ExecutionRecord record, ActiveInvocation active, ErrorObject? error, DateTimeOffset now)
    {
        var completed = NewEvent(EventType.InvocationCompleted, now, null, null, null, null);
        completed.InvocationCompletedDetails = new InvocationCompletedDetails
        {
            StartTimestamp = active.StartTimestamp,
            EndTimestamp = now,
            RequestId = active.RequestId,
            Error = error is null ? null : new EventError { Payload = error },
        };
        AppendEvent(record, completed);
        record.ActiveInvocation = null;
        if (record.DeferredTerminalEvent is { } terminal)
        {
            record.DeferredTerminalEvent = null;
            AppendEvent(record, terminal);
        }
    }

    private void HandleFailedInvocation(ExecutionRecord record, ErrorObject error, DateTimeOffset now)
    {
        record.ConsecutiveFailures++;
        if (record.ConsecutiveFailures >= Math.Max(1, _options.MaxConsecutiveInvocationFailures))
        {
            ExecutionRules.Close(record, ExecutionStatus.Failed, null, error, now);
        }
        else
        {
            MakeRunnable(record);
        }
    }

    private ErrorObject? ValidateOutput(ExecutionRecord record, DurableExecutionInvocationOutput output)
    {
        string? problem = output.Status switch
        {
            InvocationStatus.Succeeded when output.Error is not null => "A SUCCEEDED output cannot carry an Error.",
            InvocationStatus.Succeeded when output.Result is not null && output.Result.Length > _options.MaxPayloadCharacters =>
                $"The result exceeds {_options.MaxPayloadCharacters} characters.",
            InvocationStatus.Failed when output.Result is not null => "A FAILED output cannot carry a Result.",
            InvocationStatus.Pending when !record.Runnable && !HasPendingOperations(record) =>
                "Cannot return PENDING status with no pending operations.",
            InvocationStatus.Succeeded or InvocationStatus.Failed or InvocationStatus.Pending => null,
            _ => "The invocation output has no valid Status.",
        };
        if (problem is null && output.Status == InvocationStatus.Failed && output.Error is not null
            && ErrorSize(output.Error) >= _options.MaxErrorBytes)
        {
            problem = $"Error object size must be less than {_options.MaxErrorBytes} bytes.";
        }

        return problem is null ? null : new ErrorObject { ErrorType = InvalidOutputError, ErrorMessage = problem };
    }

    private static bool HasPendingOperations(ExecutionRecord record)
    {
        foreach (var position in record.OpenPositions())
        {
            var operation = record.Operations[position];
            if (RulesFor(operation.Type)?.IsPending(operation) == true)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The replay state: creation order, EXECUTION first, children of closed contexts without
    /// <c>ReplayChildren</c> left out (transitively).</summary>
    private static List<Operation> VisibleOperations(ExecutionRecord record)
    {
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var byId = new Dictionary<string, Operation>(StringComparer.Ordinal);
        var visible = new List<Operation>(record.Operations.Count);
        foreach (var operation in record.Operations)
        {
            byId[operation.Id] = operation;
            if (operation.ParentId is { } parentId)
            {
                var prune = hidden.Contains(parentId)
                    || (byId.TryGetValue(parentId, out var parent)
                        && parent.Type == OperationType.Context
                        && parent.Status is OperationStatus.Succeeded or OperationStatus.Failed
                        && parent.ContextDetails?.ReplayChildren != true);
                if (prune)
                {
                    hidden.Add(operation.Id);
                    continue;
                }
            }

            visible.Add(operation);
        }

        return visible;
    }

    /// <summary>One page from <paramref name="start"/>, bounded by item count and serialized bytes (at least one
    /// item). The marker is <c>{tokenSequence}:{index}</c> and dies with the token.</summary>
    private (List<Operation> Page, string? NextMarker) Page(ExecutionRecord record, List<Operation> visible, int start,
        int maxItems)
    {
        var page = new List<Operation>();
        long bytes = 0;
        var index = start;
        while (index < visible.Count && page.Count < maxItems)
        {
            var copy = CopyOperation(visible[index]);
            var size = JsonSerializer.SerializeToUtf8Bytes(copy, ProtocolJson.Envelope.Operation).Length;
            if (page.Count > 0 && bytes + size > _options.MaxPageBytes)
            {
                break;
            }

            bytes += size;
            page.Add(copy);
            index++;
        }

        var next = index < visible.Count
            ? string.Create(CultureInfo.InvariantCulture, $"{record.TokenSequence}:{index}")
            : null;
        return (page, next);
    }

    private static int ParseStateMarker(ExecutionRecord record, string? marker, int count)
    {
        if (string.IsNullOrEmpty(marker))
        {
            return 0;
        }

        var separator = marker.IndexOf(':', StringComparison.Ordinal);
        if (separator > 0
            && long.TryParse(marker.AsSpan(0, separator), NumberStyles.None, CultureInfo.InvariantCulture, out var sequence)
            && int.TryParse(marker.AsSpan(separator + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index)
            && sequence == record.TokenSequence
            && index <= count)
        {
            return index;
        }

        throw DurableServiceException.InvalidParameter("Invalid or expired Marker.");
    }

    /// <summary>Hands a closed chained-invoke child's outcome to its caller, now or after the caller's active
    /// invocation ends.</summary>
    private void DeliverToParent(ExecutionRecord child)
    {
        var link = child.Parent!;
        var parent = Load(link.ParentArn);
        if (parent is null || parent.IsClosed)
        {
            return;
        }

        var completion = new ChildCompletion(link.OperationId, child.Status, child.Result, child.Error);
        if (parent.ActiveInvocation is not null)
        {
            parent.PendingChildCompletions.Add(completion);
        }
        else
        {
            ApplyChildCompletion(parent, completion, Now());
        }

        Persist(parent);
    }

    private void ApplyPendingChildCompletions(ExecutionRecord record, DateTimeOffset now)
    {
        if (record.IsClosed || record.ActiveInvocation is not null || record.PendingChildCompletions.Count == 0)
        {
            return;
        }

        var completions = new List<ChildCompletion>(record.PendingChildCompletions);
        record.PendingChildCompletions.Clear();
        foreach (var completion in completions)
        {
            ApplyChildCompletion(record, completion, now);
        }
    }

    private void ApplyChildCompletion(ExecutionRecord record, ChildCompletion completion, DateTimeOffset now)
    {
        if (ChainedInvokeRules.Complete(record, completion, now))
        {
            MarkServiceChange(record, completion.OperationId);
        }
    }

    /// <summary>Stops a chained-invoke child because its caller cancelled it (the caller already recorded that).</summary>
    private void StopChild(string childArn, DateTimeOffset now)
    {
        var child = Load(childArn);
        if (child is null || child.IsClosed)
        {
            return;
        }

        if (child.Parent is { } link)
        {
            child.Parent = link with { Delivered = true };
        }

        CloseStopped(child, new ErrorObject { ErrorMessage = "Chained invoke cancelled by the calling execution" }, now);
        Persist(child);
    }

    /// <summary>
    /// Closes an execution as STOPPED. A stop does not wait for the function: an invocation in flight ends in the
    /// history at the stop (its token already stops working with the close), so <c>InvocationCompleted</c> comes
    /// before <c>ExecutionStopped</c> at the same time, and its late output or failure finds no active invocation and
    /// is ignored. Deferring the terminal event instead left a STOPPED execution without it until the function
    /// returned, then wrote an <c>InvocationCompleted</c> later than the stop ahead of an <c>ExecutionStopped</c>
    /// stamped earlier.
    /// </summary>
    private void CloseStopped(ExecutionRecord record, ErrorObject error, DateTimeOffset now)
    {
        if (record.ActiveInvocation is { } active)
        {
            EndInvocation(record, active, null, now);
        }

        ExecutionRules.Close(record, ExecutionStatus.Stopped, null, error, now);
    }
}
