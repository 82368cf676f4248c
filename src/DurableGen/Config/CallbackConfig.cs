using System;

namespace DurableGen;

/// <summary>Timeouts of a callback. <see cref="TimeSpan.Zero"/> means none; any other value must be at least one second.</summary>
public class CallbackConfig
{
    private TimeSpan _timeout;
    private TimeSpan _heartbeatTimeout;

    /// <summary>How long the external system has to complete the callback.</summary>
    public TimeSpan Timeout
    {
        get => _timeout;
        set => _timeout = Validate(value, nameof(Timeout));
    }

    /// <summary>How long the callback may go without a heartbeat.</summary>
    public TimeSpan HeartbeatTimeout
    {
        get => _heartbeatTimeout;
        set => _heartbeatTimeout = Validate(value, nameof(HeartbeatTimeout));
    }

    private static TimeSpan Validate(TimeSpan value, string name)
    {
        if (value != TimeSpan.Zero && value < TimeSpan.FromSeconds(1))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be zero (none) or at least one second.");
        }

        return value;
    }
}

/// <summary>Timeouts of the callback and the retry strategy of the submitter step of <c>WaitForCallbackAsync</c>.</summary>
public class WaitForCallbackConfig : CallbackConfig
{
    /// <summary>The submitter step's retry strategy (<c>null</c>: <see cref="DurableGen.RetryStrategy.Default"/>).</summary>
    public IRetryStrategy? RetryStrategy { get; set; }
}

/// <summary>A callback configuration with a deserializer for the result the external system sends.</summary>
/// <typeparam name="T">The callback's result type.</typeparam>
public class CallbackConfig<T> : CallbackConfig, ITypedConfig
{
    Type[] ITypedConfig.ValueTypes => [typeof(T)];

    /// <summary>Reads the result text instead of the registered serializer (only its Deserialize is used).</summary>
    public ICheckpointSerializer<T>? Serializer { get; set; }
}

/// <summary>A wait-for-callback configuration with a deserializer for the callback's result.</summary>
/// <typeparam name="T">The callback's result type.</typeparam>
public class WaitForCallbackConfig<T> : WaitForCallbackConfig, ITypedConfig
{
    Type[] ITypedConfig.ValueTypes => [typeof(T)];

    /// <summary>Reads the result text instead of the registered serializer (only its Deserialize is used).</summary>
    public ICheckpointSerializer<T>? Serializer { get; set; }
}
