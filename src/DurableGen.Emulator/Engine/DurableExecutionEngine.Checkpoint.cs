using System;
using System.Collections.Generic;
using System.Text.Json;
using DurableGen.Protocol;

namespace DurableGen.Emulator;

public sealed partial class DurableExecutionEngine
{
    /// <summary>
    /// <c>CheckpointDurableExecution</c> (protocol §2.1, §4): validates the token and every update in the §4.4 order,
    /// applies the whole request atomically, records one event per update, and returns a new token plus every record
    /// changed since the last response to this invocation.
    /// </summary>
    public CheckpointDurableExecutionResponse Checkpoint(CheckpointDurableExecutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(() =>
        {
            InputValidation.ExecutionArn(request.DurableExecutionArn);
            var now = Now();
            if (request.ClientToken is not null && !FunctionNames.IsPrintableAscii(request.ClientToken, 64, '\x21'))
            {
                throw DurableServiceException.InvalidParameter("ClientToken must be 1-64 printable ASCII characters.");
            }

            var record = LoadForFunction(request.DurableExecutionArn);

            // §4.3: a retried request (same client token and checkpoint token) gets the cached response.
            if (request.ClientToken is { } clientToken && record.LastCheckpoint is { } last
                && string.Equals(last.ClientToken, clientToken, StringComparison.Ordinal)
                && string.Equals(last.CheckpointToken, request.CheckpointToken, StringComparison.Ordinal)
                && now - last.AppliedAt <= _options.ClientTokenWindow)
            {
                return JsonSerializer.Deserialize(last.ResponseJson, ProtocolJson.Rest.CheckpointDurableExecutionResponse)!;
            }

            var active = ValidateToken(record, request.CheckpointToken);
            var effects = new CheckpointEffects();
            var updates = request.Updates ?? Array.Empty<OperationUpdate>();
            if (updates.Count > 0)
            {
                ValidateBatch(record, updates);
                for (var i = 0; i < updates.Count; i++)
                {
                    ApplyUpdate(record, active, updates[i], now, effects);
                }
            }

            record.TokenSequence++;
            var response = new CheckpointDurableExecutionResponse
            {
                CheckpointToken = CheckpointTokenCodec.Encode(record.DurableExecutionArn, active.Number, record.TokenSequence),
                NewExecutionState = new CheckpointUpdatedExecutionState { Operations = TakeChangedOperations(record, active) },
            };
            if (request.ClientToken is not null)
            {
                record.LastCheckpoint = new CheckpointReplay(request.ClientToken, request.CheckpointToken, now,
                    JsonSerializer.Serialize(response, ProtocolJson.Rest.CheckpointDurableExecutionResponse));
            }

            Persist(record);
            foreach (var child in effects.NewChildren)
            {
                Work.Insert(child);
            }

            foreach (var childArn in effects.ChildrenToStop)
            {
                StopChild(childArn, now);
            }

            return response;
        });
    }

    /// <summary>
    /// <c>GetDurableExecutionState</c> (protocol §2.2, §4.8): one page of the replay state (pruned, creation order,
    /// EXECUTION first). Validates the checkpoint token without consuming it.
    /// </summary>
    public GetDurableExecutionStateResponse GetExecutionState(GetDurableExecutionStateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (_gate)
        {
            InputValidation.ExecutionArn(request.DurableExecutionArn);
            var record = LoadForFunction(request.DurableExecutionArn);
            ValidateToken(record, request.CheckpointToken);
            var maxItems = request.MaxItems ?? 0;
            if (maxItems is < 0 or > 1000)
            {
                throw DurableServiceException.InvalidParameter("MaxItems must be between 0 and 1000.");
            }

            var visible = VisibleOperations(record);
            var start = ParseStateMarker(record, request.Marker, visible.Count);
            var (page, next) = Page(record, visible, start, maxItems == 0 ? 100 : maxItems);
            return new GetDurableExecutionStateResponse { Operations = page, NextMarker = next };
        }
    }

    private ExecutionRecord LoadForFunction(string durableExecutionArn)
    {
        if (string.IsNullOrEmpty(durableExecutionArn))
        {
            throw DurableServiceException.InvalidParameter("DurableExecutionArn is required.");
        }

        return Load(durableExecutionArn)
            ?? throw DurableServiceException.InvalidParameter($"Durable execution {durableExecutionArn} does not exist.");
    }

    private static ActiveInvocation ValidateToken(ExecutionRecord record, string? token)
    {
        if (!CheckpointTokenCodec.TryDecode(token, out var data))
        {
            throw InvalidToken("the token is malformed.");
        }

        if (!string.Equals(data.Arn, record.DurableExecutionArn, StringComparison.Ordinal))
        {
            throw InvalidToken("the token belongs to another execution.");
        }

        if (record.IsClosed)
        {
            throw InvalidToken("the execution is closed.");
        }

        if (record.ActiveInvocation is not { } active || active.Number != data.Invocation)
        {
            throw InvalidToken("the token belongs to an invocation that has ended.");
        }

        if (data.Sequence != record.TokenSequence)
        {
            throw InvalidToken("the token has already been used.");
        }

        return active;
    }

    private static DurableServiceException InvalidToken(string reason) =>
        DurableServiceException.InvalidParameter($"{ErrorCodes.InvalidCheckpointTokenPrefix}: {reason}");

    private static List<Operation> TakeChangedOperations(ExecutionRecord record, ActiveInvocation active)
    {
        var result = new List<Operation>();
        if (active.ChangedOperationIds.Count == 0)
        {
            return result;
        }

        var changed = new HashSet<string>(active.ChangedOperationIds, StringComparer.Ordinal);
        foreach (var operation in record.Operations)
        {
            if (changed.Contains(operation.Id))
            {
                result.Add(CopyOperation(operation));
            }
        }

        active.ChangedOperationIds.Clear();
        return result;
    }

    /// <summary>§4.4 step 3: rules about the request as a whole.</summary>
    private void ValidateBatch(ExecutionRecord record, IReadOnlyList<OperationUpdate> updates)
    {
        var seen = new Dictionary<string, (OperationUpdate Update, int Count)>(StringComparer.Ordinal);
        var startedContexts = new HashSet<string>(StringComparer.Ordinal);
        var executionUpdates = 0;
        foreach (var update in updates)
        {
            if (update is { Type: OperationType.Execution })
            {
                executionUpdates++;
            }
        }

        for (var i = 0; i < updates.Count; i++)
        {
            var update = updates[i] ?? throw DurableServiceException.InvalidParameter("Updates must not contain null.");
            if (string.IsNullOrEmpty(update.Id))
            {
                throw DurableServiceException.InvalidParameter("Every update must have an Id.");
            }

            if (update.Type == OperationType.Execution)
            {
                if (executionUpdates > 1)
                {
                    throw DurableServiceException.InvalidParameter("Cannot checkpoint multiple EXECUTION updates.");
                }

                if (i != updates.Count - 1)
                {
                    throw DurableServiceException.InvalidParameter("EXECUTION checkpoint must be the last update.");
                }

                continue;
            }

            if (seen.TryGetValue(update.Id, out var earlier))
            {
                var allowed = earlier.Count == 1
                    && earlier.Update.Action == OperationAction.Start
                    && update.Action != OperationAction.Start
                    && update.Type == earlier.Update.Type
                    && update.Type is OperationType.Step or OperationType.Context;
                if (!allowed)
                {
                    throw DurableServiceException.InvalidParameter(
                        $"Cannot update the same operation twice in a single request (operation {update.Id}).");
                }

                seen[update.Id] = (update, earlier.Count + 1);
            }
            else
            {
                seen[update.Id] = (update, 1);
            }

            if (update.ParentId is { } parentId)
            {
                var parent = FindOperation(record, parentId);
                var known = parent is { Type: OperationType.Context } || startedContexts.Contains(parentId);
                if (!known)
                {
                    throw DurableServiceException.InvalidParameter($"Invalid parent operation id. ({parentId})");
                }
            }

            if (update.Type == OperationType.Context && update.Action == OperationAction.Start)
            {
                startedContexts.Add(update.Id);
            }
        }
    }

    /// <summary>§4.4 step 4 and §4.5: validates one update against the working copy, then applies it.</summary>
    private void ApplyUpdate(ExecutionRecord record, ActiveInvocation active, OperationUpdate update, DateTimeOffset now,
        CheckpointEffects effects)
    {
        ValidateShape(update);
        ValidateErrorSize(update.Error);
        if (update.Type == OperationType.Unknown || !Enum.IsDefined(update.Type))
        {
            throw DurableServiceException.InvalidParameter("Unknown operation type.");
        }

        if (!IsAllowed(update.Type, update.Action))
        {
            throw DurableServiceException.InvalidParameter("Invalid action for the given operation type.");
        }

        if (update.Action == OperationAction.Succeed && update.Error is not null)
        {
            throw DurableServiceException.InvalidParameter($"A SUCCEED update cannot carry an Error (operation {update.Id}).");
        }

        if (update.Action == OperationAction.Fail && update.Payload is not null)
        {
            throw DurableServiceException.InvalidParameter($"A FAIL update cannot carry a Payload (operation {update.Id}).");
        }

        if (update.Type == OperationType.Execution)
        {
            ApplyExecutionUpdate(record, active, update, now);
            return;
        }

        var existing = FindOperation(record, update.Id);
        CheckPrecondition(update, existing);
        CheckOptions(update);
        CheckConsistency(update, existing);

        var operation = existing ?? CreateOperation(record, update, now);
        var error = CopyError(update.Error);
        Event item;
        switch (update.Type, update.Action)
        {
            case (OperationType.Step, OperationAction.Start):
                operation.Status = OperationStatus.Started;
                operation.StepDetails ??= new StepDetails();
                operation.StepDetails.NextAttemptTimestamp = null;
                item = UpdateEvent(EventType.StepStarted, now, update);
                item.StepStartedDetails = new EmptyEventDetails();
                break;
            case (OperationType.Step, _):
            {
                var details = operation.StepDetails ??= new StepDetails();
                details.Attempt = (details.Attempt ?? 0) + 1;
                var retry = new RetryDetails { CurrentAttempt = details.Attempt };
                if (update.Action == OperationAction.Retry)
                {
                    var delay = update.StepOptions!.NextAttemptDelaySeconds!.Value;
                    operation.Status = OperationStatus.Pending;
                    details.NextAttemptTimestamp = now.AddSeconds(delay);
                    details.Result = update.Payload;
                    details.Error = error;
                    retry.NextAttemptDelaySeconds = delay;
                }
                else
                {
                    operation.Status = update.Action == OperationAction.Succeed ? OperationStatus.Succeeded : OperationStatus.Failed;
                    operation.EndTimestamp = now;
                    details.NextAttemptTimestamp = null;
                    details.Result = update.Action == OperationAction.Succeed ? update.Payload : null;
                    details.Error = update.Action == OperationAction.Fail ? error : null;
                }

                if (update.Action == OperationAction.Fail || (update.Action == OperationAction.Retry && error is not null))
                {
                    item = UpdateEvent(EventType.StepFailed, now, update);
                    item.StepFailedDetails = new EventErrorDetails { Error = new EventError { Payload = error }, RetryDetails = retry };
                }
                else
                {
                    item = UpdateEvent(EventType.StepSucceeded, now, update);
                    item.StepSucceededDetails = new EventResultDetails
                    {
                        // The service marks step and context results as not truncated (step 1-18 asserts it).
                        Result = new EventPayload { Payload = update.Payload, Truncated = false },
                        RetryDetails = retry,
                    };
                }

                break;
            }

            case (OperationType.Context, OperationAction.Start):
                operation.Status = OperationStatus.Started;
                operation.ContextDetails = new ContextDetails { ReplayChildren = update.ContextOptions?.ReplayChildren };
                item = UpdateEvent(EventType.ContextStarted, now, update);
                item.ContextStartedDetails = new EmptyEventDetails();
                break;
            case (OperationType.Context, _):
            {
                var details = operation.ContextDetails ??= new ContextDetails();
                if (update.ContextOptions?.ReplayChildren is { } replayChildren)
                {
                    details.ReplayChildren = replayChildren;
                }

                operation.EndTimestamp = now;
                if (update.Action == OperationAction.Succeed)
                {
                    operation.Status = OperationStatus.Succeeded;
                    details.Result = update.Payload;
                    item = UpdateEvent(EventType.ContextSucceeded, now, update);
                    item.ContextSucceededDetails = new EventResultDetails
                    {
                        Result = new EventPayload { Payload = update.Payload, Truncated = false },
                    };
                }
                else
                {
                    operation.Status = OperationStatus.Failed;
                    details.Error = error;
                    item = UpdateEvent(EventType.ContextFailed, now, update);
                    item.ContextFailedDetails = new EventErrorDetails { Error = new EventError { Payload = error } };
                }

                break;
            }

            case (OperationType.Wait, OperationAction.Start):
            {
                var seconds = update.WaitOptions!.WaitSeconds!.Value;
                operation.Status = OperationStatus.Started;
                operation.WaitDetails = new WaitDetails { ScheduledEndTimestamp = now.AddSeconds(seconds) };
                Bookkeeping(record, operation.Id).WaitSeconds = seconds;
                item = UpdateEvent(EventType.WaitStarted, now, update);
                item.WaitStartedDetails = new WaitStartedDetails
                {
                    Duration = seconds,
                    ScheduledEndTimestamp = operation.WaitDetails.ScheduledEndTimestamp,
                };
                break;
            }

            case (OperationType.Wait, _):
                operation.Status = OperationStatus.Cancelled;
                operation.EndTimestamp = now;
                item = UpdateEvent(EventType.WaitCancelled, now, update);
                item.WaitCancelledDetails = new EventErrorDetails { Error = error is null ? null : new EventError { Payload = error } };
                break;
            case (OperationType.Callback, OperationAction.Start):
            {
                var timeout = update.CallbackOptions?.TimeoutSeconds ?? 0;
                var heartbeat = update.CallbackOptions?.HeartbeatTimeoutSeconds ?? 0;
                var callbackId = CallbackIdCodec.Encode(record.DurableExecutionArn, operation.Id, NewId());
                operation.Status = OperationStatus.Started;
                operation.CallbackDetails = new CallbackDetails { CallbackId = callbackId };
                var bookkeeping = Bookkeeping(record, operation.Id);
                bookkeeping.CallbackTimeoutSeconds = timeout;
                bookkeeping.HeartbeatTimeoutSeconds = heartbeat;
                bookkeeping.CallbackTimeoutAt = timeout > 0 ? now.AddSeconds(timeout) : null;
                bookkeeping.HeartbeatDeadline = heartbeat > 0 ? now.AddSeconds(heartbeat) : null;
                item = UpdateEvent(EventType.CallbackStarted, now, update);
                item.CallbackStartedDetails = new CallbackStartedDetails
                {
                    CallbackId = callbackId,
                    Timeout = timeout > 0 ? timeout : null,
                    HeartbeatTimeout = heartbeat > 0 ? heartbeat : null,
                };
                break;
            }

            case (OperationType.Callback, _):
            {
                operation.Status = OperationStatus.Cancelled;
                operation.EndTimestamp = now;
                var bookkeeping = Bookkeeping(record, operation.Id);
                bookkeeping.CallbackTimeoutAt = null;
                bookkeeping.HeartbeatDeadline = null;
                active.ChangedOperationIds.Add(operation.Id);
                return; // no CallbackCancelled event type exists (protocol §4.5)
            }

            case (OperationType.ChainedInvoke, OperationAction.Start):
            {
                var options = update.ChainedInvokeOptions!;
                var (name, qualifier) = FunctionNames.Parse(options.FunctionName);
                var child = CreateExecution(name, ResolveVersion(name, qualifier), NewId(), update.Payload,
                    Configuration(name)?.ExecutionTimeoutSeconds, now);
                child.Parent = new ParentLink(record.DurableExecutionArn, operation.Id);
                effects.NewChildren.Add(child);
                operation.Status = OperationStatus.Started;
                operation.ChainedInvokeDetails = new ChainedInvokeDetails();
                Bookkeeping(record, operation.Id).ChildExecutionArn = child.DurableExecutionArn;
                item = UpdateEvent(EventType.ChainedInvokeStarted, now, update);
                item.ChainedInvokeStartedDetails = new ChainedInvokeStartedDetails
                {
                    FunctionName = options.FunctionName,
                    TenantId = options.TenantId,
                    Input = new EventPayload { Payload = update.Payload },
                    ExecutedVersion = child.Version,
                    DurableExecutionArn = child.DurableExecutionArn,
                };
                break;
            }

            default: // CHAINED_INVOKE CANCEL
            {
                operation.Status = OperationStatus.Stopped;
                operation.EndTimestamp = now;
                item = UpdateEvent(EventType.ChainedInvokeStopped, now, update);
                item.ChainedInvokeStoppedDetails = new EventErrorDetails { Error = error is null ? null : new EventError { Payload = error } };
                if (Bookkeeping(record, operation.Id).ChildExecutionArn is { } childArn)
                {
                    effects.ChildrenToStop.Add(childArn);
                }

                break;
            }
        }

        AppendEvent(record, item);
        if (!active.ChangedOperationIds.Contains(operation.Id))
        {
            active.ChangedOperationIds.Add(operation.Id);
        }
    }

    private static Operation CreateOperation(ExecutionRecord record, OperationUpdate update, DateTimeOffset now)
    {
        var operation = new Operation
        {
            Id = update.Id,
            ParentId = update.ParentId,
            Name = update.Name,
            Type = update.Type,
            SubType = update.SubType,
            StartTimestamp = now,
        };
        record.Operations.Add(operation);
        return operation;
    }

    private static Event UpdateEvent(EventType type, DateTimeOffset now, OperationUpdate update) =>
        NewEvent(type, now, update.Id, update.Name, update.SubType, update.ParentId);

    private void ApplyExecutionUpdate(ExecutionRecord record, ActiveInvocation active, OperationUpdate update,
        DateTimeOffset now)
    {
        var operation = ExecutionOperation(record);
        if (update.Action == OperationAction.Succeed)
        {
            CloseExecution(record, ExecutionStatus.Succeeded, update.Payload, null, now);
        }
        else
        {
            CloseExecution(record, ExecutionStatus.Failed, null, CopyError(update.Error), now);
        }

        if (!active.ChangedOperationIds.Contains(operation.Id))
        {
            active.ChangedOperationIds.Add(operation.Id);
        }
    }

    private void ValidateShape(OperationUpdate update)
    {
        if (!FunctionNames.IsIdentifier(update.Id, 64))
        {
            throw DurableServiceException.InvalidParameter($"Invalid operation Id '{update.Id}': 1-64 characters of [a-zA-Z0-9-_].");
        }

        if (update.ParentId is not null && !FunctionNames.IsIdentifier(update.ParentId, 64))
        {
            throw DurableServiceException.InvalidParameter($"Invalid ParentId '{update.ParentId}': 1-64 characters of [a-zA-Z0-9-_].");
        }

        if (update.Name is not null && !FunctionNames.IsPrintableAscii(update.Name, 256, '\x20'))
        {
            throw DurableServiceException.InvalidParameter($"Invalid Name for operation {update.Id}: 1-256 printable ASCII characters.");
        }

        if (update.SubType is not null && !FunctionNames.IsIdentifier(update.SubType, 32))
        {
            throw DurableServiceException.InvalidParameter($"Invalid SubType for operation {update.Id}: 1-32 characters of [a-zA-Z0-9-_].");
        }

        if (update.Payload is not null && update.Payload.Length > _options.MaxPayloadCharacters)
        {
            throw DurableServiceException.InvalidParameter(
                $"Payload of operation {update.Id} exceeds {_options.MaxPayloadCharacters} characters.");
        }
    }

    private static bool IsAllowed(OperationType type, OperationAction action) => (type, action) switch
    {
        (OperationType.Execution, OperationAction.Succeed or OperationAction.Fail) => true,
        (OperationType.Step, OperationAction.Start or OperationAction.Succeed or OperationAction.Fail or OperationAction.Retry) => true,
        (OperationType.Context, OperationAction.Start or OperationAction.Succeed or OperationAction.Fail) => true,
        (OperationType.Wait or OperationType.Callback or OperationType.ChainedInvoke, OperationAction.Start or OperationAction.Cancel) => true,
        _ => false,
    };

    private static void CheckPrecondition(OperationUpdate update, Operation? existing)
    {
        var status = existing?.Status;
        var ok = (update.Type, update.Action) switch
        {
            (OperationType.Step, OperationAction.Start) => status is null or OperationStatus.Ready,
            (OperationType.Step, _) => status is null or OperationStatus.Started or OperationStatus.Ready,
            (OperationType.Context, OperationAction.Start) => status is null,
            (OperationType.Context, _) => status is null or OperationStatus.Started,
            (_, OperationAction.Start) => status is null,
            _ => status == OperationStatus.Started, // CANCEL of WAIT / CALLBACK / CHAINED_INVOKE
        };
        if (!ok)
        {
            var action = FunctionNames.WireName(update.Action.ToString());
            var type = FunctionNames.WireName(update.Type.ToString());
            throw DurableServiceException.InvalidParameter(status is null
                ? $"Invalid {action} of {type} operation {update.Id}: the operation does not exist."
                : $"Invalid {action} of {type} operation {update.Id}: the operation is {FunctionNames.WireName(status.Value.ToString())}.");
        }
    }

    private void CheckOptions(OperationUpdate update)
    {
        switch (update.Type, update.Action)
        {
            case (OperationType.Step, OperationAction.Retry):
                if (update.StepOptions is null)
                {
                    throw DurableServiceException.InvalidParameter($"StepOptions is required for a STEP RETRY (operation {update.Id}).");
                }

                if (update.StepOptions.NextAttemptDelaySeconds is not (>= 1 and <= FunctionNames.MaxDurationSeconds))
                {
                    throw DurableServiceException.InvalidParameter(
                        $"StepOptions.NextAttemptDelaySeconds must be between 1 and {FunctionNames.MaxDurationSeconds} (operation {update.Id}).");
                }

                if (update.Error is not null && update.Payload is not null)
                {
                    throw DurableServiceException.InvalidParameter(
                        $"A STEP RETRY cannot carry both Error and Payload (operation {update.Id}).");
                }

                break;
            case (OperationType.Wait, OperationAction.Start):
                if (update.WaitOptions?.WaitSeconds is not (>= 1 and <= FunctionNames.MaxDurationSeconds))
                {
                    throw DurableServiceException.InvalidParameter(
                        $"WaitOptions.WaitSeconds must be between 1 and {FunctionNames.MaxDurationSeconds} (operation {update.Id}).");
                }

                break;
            case (OperationType.Callback, OperationAction.Start):
                if (update.CallbackOptions is { TimeoutSeconds: < 0 } or { HeartbeatTimeoutSeconds: < 0 })
                {
                    throw DurableServiceException.InvalidParameter(
                        $"CallbackOptions timeouts must not be negative (operation {update.Id}).");
                }

                break;
            case (OperationType.ChainedInvoke, OperationAction.Start):
                if (string.IsNullOrEmpty(update.ChainedInvokeOptions?.FunctionName))
                {
                    throw DurableServiceException.InvalidParameter(
                        $"ChainedInvokeOptions.FunctionName is required (operation {update.Id}).");
                }

                var (target, qualifier) = FunctionNames.Parse(update.ChainedInvokeOptions.FunctionName);
                ResolveVersion(target, qualifier); // an unknown alias is refused before anything is applied
                break;
        }
    }

    private static void CheckConsistency(OperationUpdate update, Operation? existing)
    {
        if (existing is null)
        {
            return;
        }

        if (existing.Type != update.Type)
        {
            throw DurableServiceException.InvalidParameter($"Inconsistent operation type. (operation {update.Id})");
        }

        if (update.SubType is not null && !string.Equals(update.SubType, existing.SubType, StringComparison.Ordinal))
        {
            throw DurableServiceException.InvalidParameter($"Inconsistent operation subtype. (operation {update.Id})");
        }

        if (update.Name is not null && !string.Equals(update.Name, existing.Name, StringComparison.Ordinal))
        {
            throw DurableServiceException.InvalidParameter($"Inconsistent operation name. (operation {update.Id})");
        }

        if (update.ParentId is not null && !string.Equals(update.ParentId, existing.ParentId, StringComparison.Ordinal))
        {
            throw DurableServiceException.InvalidParameter($"Inconsistent parent operation id. (operation {update.Id})");
        }
    }

    /// <summary>Side effects on other executions, carried out only after the whole request was applied (and committed
    /// with it).</summary>
    private sealed class CheckpointEffects
    {
        public List<ExecutionRecord> NewChildren { get; } = new();

        public List<string> ChildrenToStop { get; } = new();
    }
}
