using System;
using System.Collections.Generic;
using DurableGen.Execution;
using Microsoft.Extensions.Logging;

namespace DurableGen;

/// <summary>Per-call settings of <see cref="DurableFunction"/>.</summary>
public sealed class DurableExecutionOptions
{
    /// <summary>The serializer; <c>null</c> uses the one registered with <see cref="DurableSerialization"/>.</summary>
    public IDurableSerializer? Serializer { get; init; }

    /// <summary>The logger contexts write to (default: JSON lines on standard output, as Lambda collects them).</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The clock operations read (waits and retries compare record times with it).</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Instrumentation plugins, called in order; see <see cref="IDurableExecutionPlugin"/>.</summary>
    public IReadOnlyList<IDurableExecutionPlugin> Plugins { get; init; } = Array.Empty<IDurableExecutionPlugin>();

    /// <summary>Limits of the checkpoint batcher (internal: the official SDK's defaults, which no user has needed to change).</summary>
    internal CheckpointBatcherConfig CheckpointBatcher { get; init; } = new();

    /// <summary>
    /// Where chained invokes go: function name → qualified ARN (see <see cref="DurableGen.FunctionArns"/>). Null (the
    /// default) reads the map the deployment put in <c>DURABLEGEN_FUNCTION_ARNS</c>.
    /// </summary>
    public IReadOnlyDictionary<string, string>? FunctionArns { get; init; }
}
