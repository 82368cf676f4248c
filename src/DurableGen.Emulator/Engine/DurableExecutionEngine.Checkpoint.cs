using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Tokens;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

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
        return Write(() => ApplyCheckpoint(request));
    }

    /// <summary><see cref="Checkpoint"/> for an asynchronous host: the same request, its wait for durability awaited
    /// rather than blocking a thread (many sandboxes checkpointing at once share one fsync).</summary>
    public Task<CheckpointDurableExecutionResponse> CheckpointAsync(CheckpointDurableExecutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(() => ApplyCheckpoint(request));
    }

    private CheckpointDurableExecutionResponse ApplyCheckpoint(CheckpointDurableExecutionRequest request)
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
            Work.AnswersFromEarlierCommitsOf = record.DurableExecutionArn;
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
        // Only the last applied checkpoint replays (§4.3), so one without a client token ends the previous one's
        // replay: a late copy of that request would otherwise be answered as if it were still the latest.
        record.LastCheckpoint = request.ClientToken is null
            ? null
            : new CheckpointReplay(request.ClientToken, request.CheckpointToken, now,
                JsonSerializer.Serialize(response, ProtocolJson.Rest.CheckpointDurableExecutionResponse));

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
    }

    /// <summary>
    /// <c>GetDurableExecutionState</c> (protocol §2.2, §4.8): one page of the replay state (pruned, creation order,
    /// EXECUTION first). Validates the checkpoint token without consuming it.
    /// </summary>
    public GetDurableExecutionStateResponse GetExecutionState(GetDurableExecutionStateRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Read(request.DurableExecutionArn, () =>
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
        });
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
        var result = new List<Operation>(active.ChangedOperationIds.Count);
        if (active.ChangedOperationIds.Count == 0)
        {
            return result;
        }

        // Creation order, found by id: the cost is the changes', not the history's.
        var positions = new List<int>(active.ChangedOperationIds.Count);
        foreach (var id in active.ChangedOperationIds)
        {
            if (record.PositionOf(id) is var position and >= 0 && !positions.Contains(position))
            {
                positions.Add(position);
            }
        }

        positions.Sort();
        foreach (var position in positions)
        {
            result.Add(CopyOperation(record.Operations[position]));
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
                var parent = record.FindOperation(parentId);
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

    /// <summary>§4.4 step 4 and §4.5: validates one update against the working copy, then applies it through its
    /// operation type's rules.</summary>
    private void ApplyUpdate(ExecutionRecord record, ActiveInvocation active, OperationUpdate update, DateTimeOffset now,
        CheckpointEffects effects)
    {
        ValidateShape(update);
        ValidateErrorSize(update.Error);
        var rules = Enum.IsDefined(update.Type) ? RulesFor(update.Type) : null;
        if (rules is null)
        {
            throw DurableServiceException.InvalidParameter("Unknown operation type.");
        }

        if (!rules.Allows(update.Action))
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

        Operation operation;
        if (update.Type == OperationType.Execution)
        {
            operation = ExecutionOperation(record); // addressed by type, not by id
        }
        else
        {
            var existing = FindOperation(record, update.Id);
            CheckPrecondition(rules, update, existing);
            rules.ValidateOptions(this, update);
            CheckConsistency(update, existing);
            operation = existing ?? CreateOperation(record, update, now);
        }

        var item = rules.Apply(this, new OperationChange(record, active, update, operation, CopyError(update.Error), now, effects));
        if (item is not null)
        {
            AppendEvent(record, item);
        }

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
        record.AddOperation(operation);
        return operation;
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

    private static void CheckPrecondition(OperationRules rules, OperationUpdate update, Operation? existing)
    {
        var status = existing?.Status;
        if (!rules.AcceptsFrom(update.Action, status))
        {
            var action = FunctionNames.WireName(update.Action.ToString());
            var type = FunctionNames.WireName(update.Type.ToString());
            throw DurableServiceException.InvalidParameter(status is null
                ? $"Invalid {action} of {type} operation {update.Id}: the operation does not exist."
                : $"Invalid {action} of {type} operation {update.Id}: the operation is {FunctionNames.WireName(status.Value.ToString())}.");
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
