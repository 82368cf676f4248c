using System;

namespace DurableGen;

/// <summary>How a step runs and retries.</summary>
public class StepConfig
{
    /// <summary>
    /// The retry strategy. <c>null</c> means <see cref="DurableGen.RetryStrategy.Default"/> (the cross-SDK default; the
    /// official .NET SDK does not retry); use <see cref="DurableGen.RetryStrategy.None"/> to fail on the first error.
    /// </summary>
    public IRetryStrategy? RetryStrategy { get; set; }

    /// <summary>At-least-once (default) or at-most-once execution of each attempt.</summary>
    public StepSemantics Semantics { get; set; } = StepSemantics.AtLeastOncePerRetry;
}

/// <summary>A step configuration with a serializer for the step's result.</summary>
/// <typeparam name="T">The step's result type.</typeparam>
public class StepConfig<T> : StepConfig, ITypedConfig
{
    Type[] ITypedConfig.ValueTypes => [typeof(T)];

    /// <summary>Serializes the step's result instead of the registered serializer.</summary>
    public ICheckpointSerializer<T>? Serializer { get; set; }
}

/// <summary>How often one attempt of a step may run its body.</summary>
public enum StepSemantics
{
    /// <summary>
    /// The body may run again if the process dies before the result is checkpointed. The START checkpoint is sent
    /// without waiting.
    /// </summary>
    AtLeastOncePerRetry,

    /// <summary>
    /// The START checkpoint is durable before the body runs; a started but unfinished attempt counts as failed with
    /// <see cref="StepInterruptedException"/> and is never run again.
    /// </summary>
    AtMostOncePerRetry,
}
