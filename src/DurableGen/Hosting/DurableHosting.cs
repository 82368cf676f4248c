namespace DurableGen;

/// <summary>Helpers the generated handlers call.</summary>
public static class DurableHosting
{
    /// <summary>
    /// <paramref name="options"/> with <paramref name="serializer"/> as its serializer, unless the caller already chose
    /// one (a host or a test that passes its own serializer wins).
    /// </summary>
    public static DurableExecutionOptions WithDefaultSerializer(DurableExecutionOptions? options, IDurableSerializer serializer)
    {
        System.ArgumentNullException.ThrowIfNull(serializer);
        if (options is null)
        {
            return new DurableExecutionOptions { Serializer = serializer };
        }

        // Keep in step with DurableExecutionOptions: every property but Serializer is copied.
        return options.Serializer is not null
            ? options
            : new DurableExecutionOptions
            {
                Serializer = serializer,
                Logger = options.Logger,
                TimeProvider = options.TimeProvider,
                Plugins = options.Plugins,
                CheckpointBatcher = options.CheckpointBatcher,
                FunctionArns = options.FunctionArns,
            };
    }
}
