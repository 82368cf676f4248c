using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Hosting;
using DurableGen.LocalService.Http;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Dispatch;

/// <summary>
/// Invocations between the engine and the functions' processes: the work queue of each function, the work items the
/// engine's pending invocations and plain Invokes become, and how what a process answers (a response, an error, an
/// exit, a timeout) is recorded: in the engine for a durable execution or a plain function's chained invoke, on the
/// waiting caller for a plain Invoke.
/// </summary>
internal sealed class InvocationDispatcher(DurableExecutionEngine engine, LocalServiceOptions options) : IInvocationDispatcher
{
    private readonly ConcurrentDictionary<string, FunctionQueue> _functions = new(StringComparer.Ordinal);

    /// <summary>The queues of every function known so far.</summary>
    public ICollection<FunctionQueue> Functions => _functions.Values;

    /// <summary>The names of every function known so far.</summary>
    public ICollection<string> Names => _functions.Keys;

    /// <summary>Adds the queue of a configured function; false when it is defined twice.</summary>
    public bool TryAdd(FunctionDefinition definition) => _functions.TryAdd(definition.Name, NewQueue(definition));

    /// <summary>The queue of <paramref name="name"/>, if the service knows the function.</summary>
    public FunctionQueue? Find(string name) => _functions.TryGetValue(name, out var queue) ? queue : null;

    /// <summary>The queue of a function, added when the service was not configured with it (a chained invoke's
    /// target, or an execution from an earlier run in the database): its Runtime API endpoint waits for a process to
    /// connect.</summary>
    public FunctionQueue For(string name) =>
        _functions.GetOrAdd(name, n => NewQueue(new FunctionDefinition { Name = n }));

    /// <summary>The function timeout of <paramref name="function"/>.</summary>
    public TimeSpan TimeoutOf(FunctionQueue function) => function.Definition.Timeout ?? options.InvocationTimeout;

    /// <summary>Hands an invocation the driver began to its function's queue; its outcome arrives later over the
    /// Runtime API (or as a process exit, or a timeout).</summary>
    public Task DispatchAsync(PendingInvocation invocation, CancellationToken cancellationToken)
    {
        Dispatch(invocation);
        return Task.CompletedTask;
    }

    /// <summary>Queues an invocation the engine began: the envelope for a durable function, the invoke's payload as
    /// the event for a plain one.</summary>
    public void Dispatch(PendingInvocation pending)
    {
        var function = For(pending.FunctionName);
        var plain = !function.Definition.Durable;
        function.Enqueue(new WorkItem
        {
            RequestId = pending.RequestId,
            Body = plain
                ? Encoding.UTF8.GetBytes(pending.Input.InitialExecutionState?.Operations?
                    .FirstOrDefault(o => o.Type == OperationType.Execution)?.ExecutionDetails?.InputPayload ?? "null")
                : JsonSerializer.SerializeToUtf8Bytes(pending.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput),
            InvokedFunctionArn = FunctionNames.FunctionArn(engine.Options, pending.FunctionName, pending.Version),
            TraceId = pending.TraceHeader,
            DurableExecutionArn = pending.DurableExecutionArn,
            PlainChild = plain,
        });
    }

    /// <summary>Queues a plain Invoke; its outcome completes the returned item's <see cref="WorkItem.Outcome"/>.</summary>
    public WorkItem InvokePlain(FunctionQueue function, string? qualifier, byte[] payload)
    {
        var item = new WorkItem
        {
            RequestId = Guid.NewGuid().ToString(),
            Body = payload.Length == 0 ? "{}"u8.ToArray() : payload,
            InvokedFunctionArn = FunctionNames.FunctionArn(engine.Options, function.Name, qualifier ?? "$LATEST"),
            TraceId = NewTraceId(),
            Outcome = new TaskCompletionSource<PlainOutcome>(TaskCreationOptions.RunContinuationsAsynchronously),
        };
        function.Enqueue(item);
        return item;
    }

    /// <summary>Records a function's response (<c>/response</c>) to the item it answers; completes once the engine's
    /// record of it is durable (awaited, so a service under load blocks no thread per answer).</summary>
    public async Task RecordResponseAsync(WorkItem item, byte[] body)
    {
        if (item.PlainChild)
        {
            await CompletePlainChildAsync(item, Encoding.UTF8.GetString(body), null).ConfigureAwait(false);
        }
        else if (item.DurableExecutionArn is { } arn)
        {
            DurableExecutionInvocationOutput? output = null;
            try
            {
                output = JsonSerializer.Deserialize(body, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
            }
            catch (JsonException)
            {
                // recorded below as an invalid output
            }

            await RecordSafelyAsync(() => output is null
                ? engine.FailInvocationAsync(arn, item.RequestId, new ErrorObject
                {
                    ErrorType = DurableExecutionEngine.InvalidOutputError,
                    ErrorMessage = "The function's response is not a durable execution invocation output.",
                })
                : engine.CompleteInvocationAsync(arn, item.RequestId, output)).ConfigureAwait(false);
        }
        else
        {
            item.Outcome?.TrySetResult(new PlainOutcome(body, null));
        }
    }

    /// <summary>Records a function's error (<c>/error</c>) to the item it answers; <paramref name="body"/> is what
    /// the function posted, kept as a plain Invoke's answer.</summary>
    public async Task RecordErrorAsync(WorkItem item, string type, string message, List<string>? stack, byte[] body)
    {
        if (item.PlainChild)
        {
            await CompletePlainChildAsync(item, null, new ErrorObject { ErrorType = type, ErrorMessage = message, StackTrace = stack })
                .ConfigureAwait(false);
        }
        else if (item.DurableExecutionArn is { } arn)
        {
            await RecordSafelyAsync(() => engine.FailInvocationAsync(arn, item.RequestId,
                new ErrorObject { ErrorType = type, ErrorMessage = message, StackTrace = stack })).ConfigureAwait(false);
        }
        else
        {
            item.Outcome?.TrySetResult(new PlainOutcome(body.Length > 0 ? body : HttpIo.LambdaErrorBody(type, message), "Unhandled"));
        }
    }

    /// <summary>Records a Lambda-level failure of an invocation a process held (its process exited, or it timed out).</summary>
    public void Fail(WorkItem item, string errorType, string message)
    {
        if (item.PlainChild)
        {
            // Called from process exits and expiry, which are synchronous and rare.
            CompletePlainChildAsync(item, null, new ErrorObject { ErrorType = errorType, ErrorMessage = message }).GetAwaiter().GetResult();
        }
        else if (item.DurableExecutionArn is { } arn)
        {
            try
            {
                engine.FailInvocation(arn, item.RequestId, new ErrorObject { ErrorType = errorType, ErrorMessage = message });
            }
            catch (DurableServiceException ex)
            {
                options.Log?.Invoke($"Cannot record the failed invocation {item.RequestId}: {ex.Message}");
            }
        }
        else
        {
            item.Outcome?.TrySetResult(new PlainOutcome(HttpIo.LambdaErrorBody(errorType, message), "Unhandled"));
        }
    }

    /// <summary>Fails the invocations past their function timeout and kills the sandboxes that held them; true when
    /// any expired.</summary>
    public bool ExpireInvocations()
    {
        var any = false;
        var now = engine.Clock.GetUtcNow();
        foreach (var function in _functions.Values)
        {
            foreach (var item in function.TakeExpired(now))
            {
                any = true;
                Fail(item, DurableExecutionEngine.SandboxTimeoutError,
                    $"Task timed out after {TimeoutOf(function).TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture)} seconds");

                // Lambda discards a timed-out sandbox; its process is restarted.
                function.Processes.Find(p => p.Sandbox == item.Sandbox)?.Kill();
            }
        }

        return any;
    }

    /// <summary>The earliest function-timeout deadline of the invocations processes hold, if any.</summary>
    public DateTimeOffset? NextDeadline()
    {
        DateTimeOffset? next = null;
        foreach (var function in _functions.Values)
        {
            if (function.EarliestDeadline() is { } deadline && (next is null || deadline < next))
            {
                next = deadline;
            }
        }

        return next;
    }

    /// <summary>Ends a plain function's chained invoke with its response or its error (see <see cref="WorkItem.PlainChild"/>).
    /// A response or error too big for the engine fails the invoke rather than the invocation, which would be retried:
    /// Lambda runs a plain function once per invoke.</summary>
    private async Task CompletePlainChildAsync(WorkItem item, string? result, ErrorObject? error)
    {
        if (error is null && result is not null && result.Length > engine.Options.MaxPayloadCharacters)
        {
            error = new ErrorObject
            {
                ErrorType = "Function.ResponseSizeTooLarge",
                ErrorMessage = $"The response is {result.Length} characters, over the {engine.Options.MaxPayloadCharacters} an invoke result may hold.",
            };
            result = null;
        }

        if (error is not null)
        {
            // Lambda reports at most a few kilobytes of a function error; the engine refuses 32 KB.
            error = new ErrorObject
            {
                ErrorType = Truncate(error.ErrorType, 256),
                ErrorMessage = Truncate(error.ErrorMessage, 4096),
                ErrorData = Truncate(error.ErrorData, 8192),
                StackTrace = error.StackTrace?.Take(32).Select(l => Truncate(l, 256)!).ToList(),
            };
        }

        try
        {
            await engine.CompleteInvocationAsync(item.DurableExecutionArn!, item.RequestId, error is null
                ? new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = result }
                : new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = error }).ConfigureAwait(false);
        }
        catch (DurableServiceException ex)
        {
            options.Log?.Invoke($"Cannot record the outcome of {item.RequestId}: {ex.Message}");
        }
    }

    private async Task RecordSafelyAsync(Func<Task> record)
    {
        try
        {
            await record().ConfigureAwait(false);
        }
        catch (DurableServiceException ex)
        {
            options.Log?.Invoke($"Cannot record an invocation outcome: {ex.Message}");
        }
    }

    private FunctionQueue NewQueue(FunctionDefinition definition) =>
        new(definition, FunctionNames.FunctionArn(engine.Options, definition.Name, "$LATEST"));

    private static string? Truncate(string? text, int length) => text is null || text.Length <= length ? text : text[..length];

    /// <summary>A plain Invoke's trace header: a trace of its own, as Lambda starts one for an untraced caller.</summary>
    private static string NewTraceId()
    {
        var epoch = DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString("x8", CultureInfo.InvariantCulture);
        var random = Guid.NewGuid().ToString("N")[..24];
        var parent = Guid.NewGuid().ToString("N")[..16];
        return $"Root=1-{epoch}-{random};Parent={parent};Sampled=0";
    }
}
