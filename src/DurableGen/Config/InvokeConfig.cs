namespace DurableGen;

/// <summary>How a chained invoke calls its target.</summary>
public class InvokeConfig
{
    /// <summary>The tenant id to invoke the target with.</summary>
    public string? TenantId { get; set; }
}

/// <summary>A chained-invoke configuration with serializers for the payload and the result.</summary>
/// <typeparam name="TPayload">The payload type.</typeparam>
/// <typeparam name="TResult">The result type.</typeparam>
public class InvokeConfig<TPayload, TResult> : InvokeConfig, ITypedConfig
{
    System.Type[] ITypedConfig.ValueTypes => [typeof(TPayload), typeof(TResult)];

    /// <summary>Serializes the payload sent to the target.</summary>
    public ICheckpointSerializer<TPayload>? PayloadSerializer { get; set; }

    /// <summary>Reads the target's result.</summary>
    public ICheckpointSerializer<TResult>? ResultSerializer { get; set; }
}
