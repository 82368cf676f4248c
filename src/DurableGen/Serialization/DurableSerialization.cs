using System;
using System.Text.Json.Serialization;

namespace DurableGen;

/// <summary>
/// The process-wide serializer registration that generated handlers (and hand-written ones) make once at start-up.
/// <see cref="DurableExecutionOptions.Serializer"/> overrides it per call.
/// </summary>
public static class DurableSerialization
{
    private static volatile IDurableSerializer? s_default;

    /// <summary>The registered serializer, if any.</summary>
    public static IDurableSerializer? Default => s_default;

    /// <summary>Registers the application's source-generated JSON context.</summary>
    public static void Register(JsonSerializerContext context) => s_default = new JsonDurableSerializer(context);

    /// <summary>Registers a custom serializer.</summary>
    public static void Register(IDurableSerializer serializer)
    {
        ArgumentNullException.ThrowIfNull(serializer);
        s_default = serializer;
    }
}
