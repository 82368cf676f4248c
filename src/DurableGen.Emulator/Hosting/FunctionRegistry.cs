using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// The functions an in-process host runs, by name, each with the execution timeout its executions get (the engine
/// reads it through <see cref="Configuration"/>, as the service reads a deployed function's <c>DurableConfig</c>).
/// </summary>
internal sealed class FunctionRegistry
{
    private const int MaxExecutionTimeoutSeconds = 366 * 24 * 3600;

    private readonly ConcurrentDictionary<string, HostedFunction> _functions = new(StringComparer.Ordinal);

    /// <summary>The registered names.</summary>
    public IEnumerable<string> Names => _functions.Keys;

    /// <summary>Registers (or replaces) a durable function.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The timeout is not 1 second to 366 days.</exception>
    public void Register(string functionName, HostedHandler handler, TimeSpan? executionTimeout = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[functionName] = new HostedFunction(handler, TimeoutSeconds(executionTimeout), Durable: true);
    }

    /// <summary>
    /// Registers a plain (not durable) function, as Lambda runs one for a chained invoke: the handler gets the invoke's
    /// payload as its event, and its response, or its exception, becomes the invoke's outcome.
    /// </summary>
    public void RegisterPlain(string functionName,
        LambdaHandler handler)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(functionName);
        ArgumentNullException.ThrowIfNull(handler);
        _functions[functionName] = new HostedFunction(async invocation =>
        {
            string? payload = null;
            foreach (var operation in invocation.Input.InitialExecutionState?.Operations ?? [])
            {
                payload ??= operation.Type == OperationType.Execution ? operation.ExecutionDetails?.InputPayload : null;
            }

            try
            {
                var response = await handler(Encoding.UTF8.GetBytes(payload ?? "null"), invocation.Lambda,
                    CancellationToken.None).ConfigureAwait(false);
                return new DurableExecutionInvocationOutput
                {
                    Status = InvocationStatus.Succeeded, Result = Encoding.UTF8.GetString(response),
                };
            }
            catch (Exception ex)
            {
                return new DurableExecutionInvocationOutput { Status = InvocationStatus.Failed, Error = DurableErrors.FromException(ex) };
            }
        }, null, Durable: false);
    }

    /// <summary>Whether <paramref name="functionName"/> (unqualified) is registered.</summary>
    public bool Contains(string functionName) => _functions.ContainsKey(functionName);

    /// <summary>Finds a registered function.</summary>
    public bool TryGet(string functionName, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HostedFunction? function) =>
        _functions.TryGetValue(functionName, out function);

    /// <summary>The configuration the engine asks for when an execution starts (<see cref="EngineOptions.FunctionLookup"/>).</summary>
    public FunctionConfiguration? Configuration(string functionName) => _functions.TryGetValue(functionName, out var function)
        ? new FunctionConfiguration(Array.Empty<string>(), function.ExecutionTimeoutSeconds)
        : null;

    /// <summary>The execution timeout in whole seconds, as <c>DurableConfig</c> takes it (rounded up).</summary>
    private static int? TimeoutSeconds(TimeSpan? timeout)
    {
        if (timeout is not { } value)
        {
            return null;
        }

        var seconds = Math.Ceiling(value.TotalSeconds);
        return seconds is >= 1 and <= MaxExecutionTimeoutSeconds
            ? (int)seconds
            : throw new ArgumentOutOfRangeException(nameof(timeout), timeout,
                "An execution timeout is 1 second to 366 days, as the service accepts it.");
    }
}
