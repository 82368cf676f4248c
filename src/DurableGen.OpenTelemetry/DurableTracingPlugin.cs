using System;
using System.Collections.Concurrent;

namespace DurableGen.OpenTelemetry;

/// <summary>
/// Traces durable executions with OpenTelemetry: each execution is one trace across all its invocations, with a
/// <c>Workflow</c> root (exported by the invocation that ends it), an <c>Invocation</c> span per invocation, a span per
/// operation and per step attempt, laid out in the <see cref="DurableTracingView"/> the options choose. Spans come from
/// the <see cref="DurableTracing.SourceName"/> activity source; span ids that other invocations refer to are derived
/// from the execution ARN, so nothing is remembered between invocations and nothing is exported twice on replay.
/// Add it to <see cref="DurableExecutionOptions.Plugins"/>; one instance serves any number of concurrent executions.
/// </summary>
public sealed class DurableTracingPlugin : IDurableExecutionPlugin
{
    private readonly ConcurrentDictionary<string, InvocationTrace> _invocations = new(StringComparer.Ordinal);

    /// <summary>Creates the plugin (default: the execution view).</summary>
    public DurableTracingPlugin(DurableTracingOptions? options = null) => Options = options ?? new DurableTracingOptions();

    /// <summary>The settings.</summary>
    public DurableTracingOptions Options { get; }

    /// <inheritdoc />
    public void OnInvocationStart(InvocationStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (DurableTracing.Source.HasListeners())
        {
            // A new invocation of the same execution replaces a stale one (a crashed invocation never ended).
            _invocations[info.DurableExecutionArn] = new InvocationTrace(info, Options);
        }
    }

    /// <inheritdoc />
    public void OnInvocationEnd(InvocationEndInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        if (_invocations.TryRemove(info.DurableExecutionArn, out var trace))
        {
            trace.InvocationEnd(info);
        }
    }

    /// <inheritdoc />
    public void OnOperationStart(OperationInfo info) => Find(info)?.OperationStart(info);

    /// <inheritdoc />
    public void OnOperationEnd(OperationInfo info) => Find(info)?.OperationEnd(info);

    /// <inheritdoc />
    public void OnUserFunctionStart(UserFunctionInfo info) => Find(info?.Operation)?.UserFunctionStart(info!);

    /// <inheritdoc />
    public void OnUserFunctionEnd(UserFunctionInfo info) => Find(info?.Operation)?.UserFunctionEnd(info!);

    private InvocationTrace? Find(OperationInfo? operation) =>
        operation is not null && _invocations.TryGetValue(operation.DurableExecutionArn, out var trace) ? trace : null;
}
