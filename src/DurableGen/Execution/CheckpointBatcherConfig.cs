using System;

namespace DurableGen.Execution;

/// <summary>Limits of the checkpoint batcher. The defaults are the official .NET SDK's.</summary>
internal sealed class CheckpointBatcherConfig
{
    /// <summary>How long to keep collecting updates after the first one of a batch (default zero: send at once).</summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.Zero;

    /// <summary>The most updates in one request (default 200).</summary>
    public int MaxBatchOperations { get; init; } = 200;

    /// <summary>The most estimated bytes in one request (default 750 KiB).</summary>
    public int MaxBatchBytes { get; init; } = 750 * 1024;
}
