using System;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>One unit of a parallel or map operation: its name and the function run on its child context.</summary>
internal sealed record ConcurrentUnit<T>(string Name, Func<IDurableContext, CancellationToken, Task<T>> Func);

/// <summary>The settings parallel and map share.</summary>
internal sealed record ConcurrentSettings<T>(string SubType, string UnitSubType, int? MaxConcurrency,
    CompletionConfig Completion, NestingType Nesting, ICheckpointSerializer<T>? ItemSerializer,
    ICheckpointSerializer<IBatchResult<T>>? ResultSerializer);

/// <summary>
/// Parallel and map: a CONTEXT record for the operation and one child context per unit (ids <c>sha256("X-i")</c>),
/// dispatched in index order with at most <c>MaxConcurrency</c> in flight, until the completion policy is decided.
/// Every dispatched unit is waited for; then the operation SUCCEEDs with a summary of every declared unit (results
/// and errors inline, since the service prunes completed unit records) and returns the batch result. It never throws
/// because units failed.
/// </summary>
internal sealed class ConcurrentOperation<T> : DurableOperation<IBatchResult<T>>
{
    private readonly IReadOnlyList<ConcurrentUnit<T>> _units;
    private readonly ConcurrentSettings<T> _settings;
    private readonly CompletionPolicy _policy;

    public ConcurrentOperation(DurableContext context, string id, string? name, IReadOnlyList<ConcurrentUnit<T>> units,
        ConcurrentSettings<T> settings, CancellationToken cancellationToken)
        : base(context, id, name, OperationType.Context, settings.SubType, cancellationToken)
    {
        _units = units;
        _settings = settings;
        _policy = new CompletionPolicy(settings.Completion);
    }

    protected override async Task<IBatchResult<T>> StartAsync()
    {
        await Core.CheckpointAsync(Update(OperationAction.Start), CancellationToken).ConfigureAwait(false);
        return await RunAsync().ConfigureAwait(false);
    }

    protected override Task<IBatchResult<T>> ReplayAsync(Operation record) => record.Status switch
    {
        OperationStatus.Succeeded when record.ContextDetails?.ReplayChildren != true => Task.FromResult(Reconstruct(record)),
        OperationStatus.Succeeded or OperationStatus.Failed => ReplayChildrenAsync(record),
        OperationStatus.Started or OperationStatus.Pending => RunAsync(),
        _ => throw UnexpectedStatus(record),
    };

    private DurableContext UnitsContext() => new(Core, OperationIdGenerator.ForChild(Id));

    private string UnitId(int index) => OperationIdGenerator.ChildId(Id, index + 1);

    private CheckpointCodec<T> ItemCodec(int index) =>
        new(Core.Serializer, _settings.ItemSerializer, new SerializationContext(UnitId(index), Core.DurableExecutionArn));

    private CheckpointCodec<IBatchResult<T>> ResultCodec() => Codec(_settings.ResultSerializer);

    /// <summary>
    /// Runs (or replays) one unit and returns its value with the text the summary inlines. With a custom item
    /// serializer that text is the one the unit itself checkpointed or replayed from, and the value is the serializer's
    /// round trip even for flat units (which checkpoint nothing), so a first run and a replay see the same value.
    /// </summary>
    private async Task<(T Value, string? Text)> RunUnit(DurableContext unitsContext, int index, CancellationToken shortCircuit)
    {
        var capture = _settings.ItemSerializer is { } custom ? new CapturingSerializer(custom) : null;
        var value = await new ChildContextOperation<T>(unitsContext, UnitId(index), _units[index].Name, _units[index].Func,
            new ChildContextConfig<T>
            {
                SubType = _settings.UnitSubType, NestingType = _settings.Nesting, Serializer = capture,
            },
            CancellationToken, shortCircuit).ExecuteAsync().ConfigureAwait(false);
        if (capture is { HasText: true })
        {
            return (value, capture.Text);
        }

        var (text, firstRun) = ItemCodec(index).Checkpoint(value, $"the result of unit {index} of '{Name ?? Id}'");
        return (firstRun, text);
    }

    private async Task<IBatchResult<T>> RunAsync()
    {
        var total = _units.Count;
        var outcomes = new Outcome?[total];
        var gate = new object();
        var succeeded = 0;
        var failed = 0;
        var unitsContext = UnitsContext();
        using var shortCircuit = new CancellationTokenSource();
        using var control = Core.LinkShutdown(CancellationToken);
        var group = new SuspensionGroup(Core.Termination, _settings.MaxConcurrency);
        var running = new List<Task>(total);

        bool Decided()
        {
            lock (gate)
            {
                return _policy.ShouldStopDispatching(succeeded, failed, total);
            }
        }

        async Task RunOneAsync(int index, SuspensionGroup.Unit unit)
        {
            // The unit's own flow: an operation inside it that must wait for the service suspends only this unit.
            unit.EnterFlow();
            Outcome outcome;
            try
            {
                var (value, text) = await RunUnit(unitsContext, index, shortCircuit.Token).ConfigureAwait(false);
                outcome = Outcome.Success(value, text);
            }
            catch (ChildContextException ex)
            {
                outcome = Outcome.Failure(ex);
            }
            catch (DurableSerializationException ex)
            {
                // A flat unit's result (a nested unit fails in its own context): the unit failed, as it would nested.
                outcome = Outcome.Failure(ChildContextOperation<T>.Wrap(ex, _settings.UnitSubType));
            }
            catch (DurableExecutionException ex)
            {
                outcome = Outcome.Fatal(ex);
            }
            catch (OperationCanceledException ex) when (!control.IsCancellationRequested && shortCircuit.IsCancellationRequested)
            {
                _ = ex;
                outcome = Outcome.Bailed();
            }
            catch (OperationCanceledException ex) when (control.IsCancellationRequested)
            {
                outcome = Outcome.Fatal(ex);
            }
            catch (Exception ex)
            {
                outcome = Outcome.Failure(ChildContextOperation<T>.Wrap(ex, _settings.UnitSubType));
            }

            lock (gate)
            {
                outcomes[index] = outcome;
                if (outcome.Status == BatchItemStatus.Succeeded)
                {
                    succeeded++;
                }
                else if (outcome.Status == BatchItemStatus.Failed && outcome.FatalError is null)
                {
                    failed++;
                }

                if (_policy.ShouldStopDispatching(succeeded, failed, total))
                {
                    shortCircuit.Cancel();
                }
            }

            unit.Finish();
        }

        for (var index = 0; index < total; index++)
        {
            if (Decided())
            {
                break;
            }

            await group.AcquireSlotAsync().ConfigureAwait(false);
            if (Decided())
            {
                group.ReturnSlot();
                break;
            }

            // Mark dispatched before it runs, so the summary knows it even while it is in flight.
            outcomes[index] = Outcome.Bailed();
            running.Add(RunOneAsync(index, group.Enter()));
        }

        group.DispatchDone();

        if (Decided())
        {
            shortCircuit.Cancel();
        }

        await Task.WhenAll(running).ConfigureAwait(false);

        foreach (var outcome in outcomes)
        {
            if (outcome?.FatalError is { } fatal)
            {
                throw fatal;
            }
        }

        var items = new List<IBatchItem<T>>();
        for (var index = 0; index < total; index++)
        {
            if (outcomes[index] is { } outcome)
            {
                items.Add(new BatchItem<T>(index, _units[index].Name, outcome.Status, outcome.Value, outcome.Error));
            }
        }

        var reason = _policy.Evaluate(succeeded, failed, total - succeeded - failed, total);
        var result = new BatchResult<T>(items, reason);
        return await CompleteAsync(result, outcomes, reason).ConfigureAwait(false);
    }

    private async Task<IBatchResult<T>> CompleteAsync(BatchResult<T> result, Outcome?[] outcomes, CompletionReason reason)
    {
        var succeed = Update(OperationAction.Succeed);
        string? payload = _settings.ResultSerializer is null
            ? Summary(outcomes, reason, inline: true).ToJson()
            : ResultCodec().Serialize(result, $"the result of '{Name ?? Id}'");
        if (payload is not null && Encoding.UTF8.GetByteCount(payload) > ChildContextOperation<T>.MaxInlineResultBytes)
        {
            // Too big to checkpoint: keep only the statuses and let replay re-run the units over their records.
            payload = Summary(outcomes, reason, inline: false).ToJson();
            succeed.ContextOptions = new ContextOptions { ReplayChildren = true };
        }

        succeed.Payload = payload;
        await Core.CheckpointAsync(succeed, CancellationToken).ConfigureAwait(false);
        return _settings.ResultSerializer is null || succeed.ContextOptions is not null
            ? result
            : ResultCodec().FirstRun(result, payload, $"the result of '{Name ?? Id}'");
    }

    private BatchSummary Summary(Outcome?[] outcomes, CompletionReason reason, bool inline)
    {
        var units = new List<BatchSummaryUnit>(_units.Count);
        for (var index = 0; index < _units.Count; index++)
        {
            var outcome = outcomes[index];
            var status = outcome?.Status ?? BatchItemStatus.Started;
            units.Add(new BatchSummaryUnit
            {
                Index = index,
                Name = _units[index].Name,
                Status = BatchSummary.Status(status),
                Result = inline && status == BatchItemStatus.Succeeded ? outcome!.Text : null,
                Error = inline && status == BatchItemStatus.Failed ? DurableErrors.FromException(outcome!.Error!) : null,
                Dispatched = status == BatchItemStatus.Started && outcome is not null ? true : null,
            });
        }

        return new BatchSummary { CompletionReason = BatchSummary.Reason(reason), Units = units };
    }

    /// <summary>A completed operation replays from its checkpoint without running any unit.</summary>
    private IBatchResult<T> Reconstruct(Operation record)
    {
        var payload = record.ContextDetails?.Result;
        if (_settings.ResultSerializer is not null)
        {
            return ResultCodec().Deserialize(payload);
        }

        var summary = BatchSummary.TryParse(payload);
        var items = new List<IBatchItem<T>>();
        int succeeded = 0, failed = 0;
        for (var index = 0; index < _units.Count; index++)
        {
            var (unit, unitRecord, status) = Recorded(summary, index);
            switch (status)
            {
                case BatchItemStatus.Succeeded:
                    succeeded++;
                    items.Add(new BatchItem<T>(index, _units[index].Name, status,
                        ItemCodec(index).Deserialize(unit?.Result ?? unitRecord?.ContextDetails?.Result), null));
                    break;
                case BatchItemStatus.Failed:
                    failed++;
                    items.Add(new BatchItem<T>(index, _units[index].Name, status, default,
                        UnitError(unit?.Error ?? unitRecord?.ContextDetails?.Error)));
                    break;
                default:
                    if (unitRecord is not null || unit?.Dispatched == true)
                    {
                        items.Add(new BatchItem<T>(index, _units[index].Name, status, default, null));
                    }

                    break;
            }
        }

        return new BatchResult<T>(items, Reason(summary, succeeded, failed));
    }

    /// <summary>
    /// A result too big to checkpoint: re-run, one at a time in index order, the units the frozen summary says
    /// finished; their inner operations replay from their records. Nothing is checkpointed again.
    /// </summary>
    private async Task<IBatchResult<T>> ReplayChildrenAsync(Operation record)
    {
        var summary = BatchSummary.TryParse(record.ContextDetails?.Result);
        var unitsContext = UnitsContext();
        var items = new List<IBatchItem<T>>();
        int succeeded = 0, failed = 0;
        for (var index = 0; index < _units.Count; index++)
        {
            var (unit, unitRecord, status) = Recorded(summary, index);
            if (status == BatchItemStatus.Started)
            {
                // Not re-run; a dispatched unit that bailed is still part of the result, as it was on the first run.
                if (unitRecord is not null || unit?.Dispatched == true)
                {
                    items.Add(new BatchItem<T>(index, _units[index].Name, status, default, null));
                }

                continue;
            }

            try
            {
                var (value, _) = await RunUnit(unitsContext, index, CancellationToken.None).ConfigureAwait(false);
                succeeded++;
                items.Add(new BatchItem<T>(index, _units[index].Name, BatchItemStatus.Succeeded, value, null));
            }
            catch (ChildContextException ex)
            {
                failed++;
                items.Add(new BatchItem<T>(index, _units[index].Name, BatchItemStatus.Failed, default, ex));
            }
        }

        return new BatchResult<T>(items, Reason(summary, succeeded, failed));
    }

    /// <summary>The frozen summary's completion reason, or the policy's verdict when there is no readable summary.</summary>
    private CompletionReason Reason(BatchSummary? summary, int succeeded, int failed) =>
        summary?.CompletionReason is { } text
            ? BatchSummary.ParseReason(text)
            : _policy.Evaluate(succeeded, failed, _units.Count - succeeded - failed, _units.Count);

    /// <summary>
    /// Unit <paramref name="index"/> as the history has it: its entry in the frozen summary, its own record, and its
    /// status (the summary's, or inferred from the record when the summary has no entry). A renamed unit throws.
    /// </summary>
    private (BatchSummaryUnit? Unit, Operation? Record, BatchItemStatus Status) Recorded(BatchSummary? summary, int index)
    {
        var unit = Unit(summary, index);
        CheckName(unit, index);
        var unitRecord = Core.State.Get(UnitId(index));
        return (unit, unitRecord, unit is not null ? BatchSummary.ParseStatus(unit.Status) : Inferred(unitRecord));
    }

    private static BatchSummaryUnit? Unit(BatchSummary? summary, int index) =>
        summary?.Units is { } units && index < units.Count ? units[index] : null;

    private void CheckName(BatchSummaryUnit? unit, int index)
    {
        if (unit?.Name is { } recorded && _units[index].Name is { } current && recorded != current)
        {
            throw new NonDeterministicExecutionException(
                $"Operation {Id}: unit {index} is now named '{current}' where the history has '{recorded}'.");
        }
    }

    private static BatchItemStatus Inferred(Operation? unitRecord) => unitRecord?.Status switch
    {
        OperationStatus.Succeeded => BatchItemStatus.Succeeded,
        OperationStatus.Failed => BatchItemStatus.Failed,
        _ => BatchItemStatus.Started,
    };

    private ChildContextException UnitError(ErrorObject? error) => new(error?.ErrorMessage ?? "Unit failed")
    {
        SubType = _settings.UnitSubType,
        ErrorType = error?.ErrorType,
        ErrorData = error?.ErrorData,
        OriginalStackTrace = error?.StackTrace,
    };

    /// <summary>The item serializer, remembering the last text it wrote or read for its unit.</summary>
    private sealed class CapturingSerializer(ICheckpointSerializer<T> inner) : ICheckpointSerializer<T>
    {
        public bool HasText { get; private set; }

        public string? Text { get; private set; }

        public string? Serialize(T value, SerializationContext context)
        {
            var text = inner.Serialize(value, context);
            (Text, HasText) = (text, true);
            return text;
        }

        public T Deserialize(string? data, SerializationContext context)
        {
            (Text, HasText) = (data, true);
            return inner.Deserialize(data, context);
        }
    }

    private sealed record Outcome(BatchItemStatus Status, T? Value, string? Text, ChildContextException? Error,
        Exception? FatalError)
    {
        public static Outcome Success(T value, string? text) => new(BatchItemStatus.Succeeded, value, text, null, null);

        public static Outcome Failure(ChildContextException error) => new(BatchItemStatus.Failed, default, null, error, null);

        public static Outcome Bailed() => new(BatchItemStatus.Started, default, null, null, null);

        public static Outcome Fatal(Exception error) => new(BatchItemStatus.Started, default, null, null, error);
    }
}
