using System;
using System.Linq;

namespace DurableGen;

/// <summary>A configuration subclass that carries serializers for specific value types.</summary>
internal interface ITypedConfig
{
    /// <summary>The value types its serializers are for.</summary>
    Type[] ValueTypes { get; }
}

/// <summary>
/// Reads the typed subclass of an operation's configuration. A typed configuration whose value types do not match the
/// operation's is a mistake that would silently drop its serializers, so it is rejected.
/// </summary>
internal static class TypedConfig
{
    public static TTyped? As<TTyped>(object? config, Type expected) where TTyped : class =>
        config is null or TTyped ? config as TTyped : Mismatch<TTyped>(config, [expected]);

    public static TTyped? As<TTyped>(object? config, Type first, Type second) where TTyped : class =>
        config is null or TTyped ? config as TTyped : Mismatch<TTyped>(config, [first, second]);

    // Off the hot path: the type list is only built when the config is not the expected typed subclass.
    private static TTyped? Mismatch<TTyped>(object config, Type[] expected) where TTyped : class =>
        config is ITypedConfig typed
            ? throw new ArgumentException(
                $"A configuration typed for <{Names(typed.ValueTypes)}> was passed to an operation of <{Names(expected)}>: " +
                "its serializers would never be used. Use the configuration type with the operation's type arguments.",
                "config")
            : null;

    private static string Names(Type[] types) => string.Join(", ", types.Select(t => t.Name));
}
