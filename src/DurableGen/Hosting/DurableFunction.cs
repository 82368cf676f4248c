using System;
using System.Collections.Generic;
using System.Text;
using System.Threading.Tasks;
using DurableGen.Execution;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// Runs one invocation of a durable workflow: loads the execution's records, runs the workflow from the top (replaying
/// completed operations from their checkpoints), flushes every checkpoint, and answers SUCCEEDED, FAILED or PENDING.
/// </summary>
public static class DurableFunction
{
    /// <summary>The largest result returned inline; a larger one is checkpointed on the execution instead.</summary>
    internal const int MaxInlineResultBytes = 6 * 1024 * 1024 - 50;

    /// <summary>Runs a workflow that returns a result.</summary>
    /// <exception cref="DurableExecutionException">
    /// The invocation must be retried: the envelope is malformed, state could not be loaded, or a checkpoint failed
    /// with an error a fresh invocation can fix (throttling, a service fault, a stale checkpoint token).
    /// </exception>
    public static Task<DurableExecutionInvocationOutput> WrapAsync<TInput, TOutput>(
        Func<TInput, IDurableContext, Task<TOutput>> workflow, DurableExecutionInvocationInput invocationInput,
        ILambdaContext lambdaContext, IDurableServiceClient serviceClient, DurableExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return RunAsync<TInput, TOutput>(workflow, invocationInput, lambdaContext, serviceClient, options ?? new());
    }

    /// <summary>Runs a workflow that returns nothing.</summary>
    /// <exception cref="DurableExecutionException">The invocation must be retried (see the typed overload).</exception>
    public static Task<DurableExecutionInvocationOutput> WrapAsync<TInput>(Func<TInput, IDurableContext, Task> workflow,
        DurableExecutionInvocationInput invocationInput, ILambdaContext lambdaContext, IDurableServiceClient serviceClient,
        DurableExecutionOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        return RunAsync<TInput, object?>(async (input, context) =>
        {
            await workflow(input, context).ConfigureAwait(false);
            return null;
        }, invocationInput, lambdaContext, serviceClient, options ?? new());
    }

    private static async Task<DurableExecutionInvocationOutput> RunAsync<TInput, TOutput>(
        Func<TInput, IDurableContext, Task<TOutput>> workflow, DurableExecutionInvocationInput input,
        ILambdaContext lambdaContext, IDurableServiceClient client, DurableExecutionOptions options)
    {
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(lambdaContext);
        ArgumentNullException.ThrowIfNull(client);
        var serializer = options.Serializer ?? DurableSerialization.Default ?? throw new InvalidOperationException(
            "No serializer is registered. Call DurableSerialization.Register(YourJsonContext.Default) at start-up, " +
            "or set DurableExecutionOptions.Serializer.");
        if (string.IsNullOrEmpty(input.DurableExecutionArn) || string.IsNullOrEmpty(input.CheckpointToken))
        {
            throw new DurableExecutionException(
                "Unexpected payload provided to start the durable execution: DurableExecutionArn and CheckpointToken are required.");
        }

        var records = await LoadOperationsAsync(input, client).ConfigureAwait(false);
        var state = new ExecutionState(records.Count);
        state.Load(records);
        var userInput = ReadInput<TInput>(state, serializer);

        var logger = options.Logger ?? StandardOutputLogger.Instance;
        var plugins = new PluginDispatcher(options.Plugins, logger, input.DurableExecutionArn, state);
        var batcher = new CheckpointBatcher(client, input.DurableExecutionArn, input.CheckpointToken, state,
            options.CheckpointBatcher);
        using var core = new ExecutionCore(input.DurableExecutionArn, state, batcher, serializer, options.TimeProvider,
            lambdaContext, logger, plugins, options.FunctionArns);
        var invocation = InvocationStart(input, state, lambdaContext, plugins, core.Clock);
        var root = new DurableContext(core, OperationIdGenerator.CreateRoot());

        Task<TOutput> workflowTask;
        using (logger.BeginScope(new Dictionary<string, object>
               {
                   ["executionArn"] = input.DurableExecutionArn, ["awsRequestId"] = lambdaContext.AwsRequestId,
               }))
        {
            workflowTask = Task.Run(() => workflow(userInput!, root));
            await Task.WhenAny(workflowTask, core.Termination.Task).ConfigureAwait(false);
        }

        DurableExecutionInvocationOutput output;
        if (core.Termination.IsTripped)
        {
            // Suspended (or a checkpoint failed): the workflow task is abandoned, never awaited.
            _ = workflowTask.ContinueWith(static t => _ = t.Exception, TaskScheduler.Default);
            output = new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending };
        }
        else if (workflowTask.Exception is { } failure)
        {
            output = new DurableExecutionInvocationOutput
            {
                Status = InvocationStatus.Failed,
                Error = DurableErrors.FromException(failure.InnerExceptions.Count == 1 ? failure.InnerException! : failure),
            };
        }
        else
        {
            output = await SucceedAsync(workflowTask.Result, core).ConfigureAwait(false);
        }

        try
        {
            await batcher.DrainAsync().ConfigureAwait(false);
        }
        catch (Exception)
        {
            // Classified below from the batcher's terminal error.
        }

        output = batcher.TerminalError is { } checkpointError ? CheckpointFailed(checkpointError) : output;
        if (invocation is not null)
        {
            var end = new InvocationEndInfo
            {
                DurableExecutionArn = invocation.DurableExecutionArn, RequestId = invocation.RequestId,
                IsFirstInvocation = invocation.IsFirstInvocation, ExecutionStartTimestamp = invocation.ExecutionStartTimestamp,
                Operations = PluginDispatcher.Snapshot(state, isReplay: false, input.DurableExecutionArn), Status = output.Status, ExecutionError = output.Error,
                Timestamp = core.Clock.GetUtcNow(),
            };
            plugins.Raise(p => p.OnInvocationEnd(end), nameof(IDurableExecutionPlugin.OnInvocationEnd));
        }

        return output;
    }

    private static InvocationStartInfo? InvocationStart(DurableExecutionInvocationInput input, ExecutionState state,
        ILambdaContext lambdaContext, PluginDispatcher plugins, TimeProvider clock)
    {
        if (plugins.IsEmpty)
        {
            return null;
        }

        var updatedIds = new HashSet<string>(input.UpdatedOperationIds ?? Array.Empty<string>(), StringComparer.Ordinal);
        plugins.UpdatedExternally = updatedIds;
        var records = state.All;
        var operations = new OperationInfoSnapshot(records, isReplay: true, input.DurableExecutionArn);
        var updated = new List<OperationInfo>();
        DateTimeOffset? started = null;
        var recorded = 0;
        foreach (var record in records)
        {
            if (record.Type == OperationType.Execution)
            {
                started = record.StartTimestamp;
                continue;
            }

            recorded++;
            if (updatedIds.Contains(record.Id))
            {
                updated.Add(OperationInfo.From(record, isReplay: true, input.DurableExecutionArn));
            }
        }

        var info = new InvocationStartInfo
        {
            DurableExecutionArn = input.DurableExecutionArn,
            RequestId = lambdaContext.AwsRequestId,
            IsFirstInvocation = recorded == 0,
            Operations = operations,
            UpdatedOperations = updated,
            ExecutionStartTimestamp = started,
            Timestamp = clock.GetUtcNow(),
            Clock = clock,
            TraceHeader = lambdaContext.TraceId,
        };
        plugins.Raise(p => p.OnInvocationStart(info), nameof(IDurableExecutionPlugin.OnInvocationStart));
        return info;
    }

    private static async Task<List<Operation>> LoadOperationsAsync(DurableExecutionInvocationInput input,
        IDurableServiceClient client)
    {
        var operations = new List<Operation>();
        if (input.InitialExecutionState?.Operations is { } initial)
        {
            operations.AddRange(initial);
        }

        var marker = input.InitialExecutionState?.NextMarker;
        while (!string.IsNullOrEmpty(marker))
        {
            GetDurableExecutionStateResponse page;
            try
            {
                page = await client.GetExecutionStateAsync(new GetDurableExecutionStateRequest
                {
                    DurableExecutionArn = input.DurableExecutionArn,
                    CheckpointToken = input.CheckpointToken!,
                    Marker = marker,
                    MaxItems = 1000,
                }).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                throw new DurableExecutionException($"Could not load the execution state: {ex.Message}", ex);
            }

            operations.AddRange(page.Operations);
            marker = page.NextMarker;
        }

        return operations;
    }

    private static TInput? ReadInput<TInput>(ExecutionState state, IDurableSerializer serializer)
    {
        foreach (var operation in state.All)
        {
            if (operation.Type == OperationType.Execution && operation.ExecutionDetails?.InputPayload is { } payload)
            {
                return serializer.Deserialize<TInput>(payload);
            }
        }

        throw new DurableExecutionException(
            "Unexpected payload provided to start the durable execution: the state holds no EXECUTION record with an input.");
    }

    private static async Task<DurableExecutionInvocationOutput> SucceedAsync<TOutput>(TOutput result, ExecutionCore core)
    {
        if (result is null)
        {
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded };
        }

        string text;
        try
        {
            text = core.Serializer.Serialize(result);
        }
        catch (Exception ex)
        {
            // Terminal, like every FAILED answer: re-running the workflow would fail to serialize the same type again.
            var failure = DurableSerializationException.ForValue("the workflow's result", typeof(TOutput), false, ex);
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = DurableErrors.FromException(failure) };
        }

        if (Encoding.UTF8.GetByteCount(text) <= MaxInlineResultBytes)
        {
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = text };
        }

        // Over Lambda's response limit: the service takes the result from an EXECUTION checkpoint instead.
        var id = OperationIdGenerator.Hash($"execution-result-{core.Clock.GetUtcNow().ToUnixTimeMilliseconds()}");
        try
        {
            await core.CheckpointAsync(new OperationUpdate
            {
                Id = id, Type = OperationType.Execution, Action = OperationAction.Succeed, Payload = text,
            }).ConfigureAwait(false);
        }
        catch (Exception)
        {
            // The batcher's terminal error decides the outcome.
        }

        return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "" };
    }

    private static DurableExecutionInvocationOutput CheckpointFailed(Exception error)
    {
        if (error is DurableServiceException { IsTerminal: true } terminal)
        {
            return new DurableExecutionInvocationOutput
            {
                Status = InvocationStatus.Failed,
                Error = new ErrorObject { ErrorType = terminal.ErrorCode, ErrorMessage = terminal.Message },
            };
        }

        // Throttling, a service fault or a stale token: a fresh invocation (with a fresh token) fixes it.
        throw new DurableExecutionException($"Checkpoint failed; the invocation must be retried: {error.Message}", error);
    }
}
