using System;

namespace DurableGen;

/// <summary>How a parallel operation runs its branches.</summary>
public class ParallelConfig
{
    private int? _maxConcurrency;

    /// <summary>The most branches running at once; <c>null</c> = all. Must be at least 1.</summary>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value is < 1
            ? throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, "MaxConcurrency must be at least 1.")
            : value;
    }

    /// <summary>When the operation is done (default <see cref="CompletionConfig.AllSuccessful"/>).</summary>
    public CompletionConfig CompletionConfig { get; set; } = CompletionConfig.AllSuccessful();

    /// <summary><see cref="NestingType.Nested"/>: a CONTEXT record per branch; <see cref="NestingType.Flat"/>: none.</summary>
    public NestingType NestingType { get; set; } = NestingType.Nested;
}

/// <summary>A parallel configuration with serializers for each branch result and for the whole batch result.</summary>
/// <typeparam name="T">The branch result type.</typeparam>
public class ParallelConfig<T> : ParallelConfig, ITypedConfig
{
    Type[] ITypedConfig.ValueTypes => [typeof(T)];

    /// <summary>Serializes each branch's result.</summary>
    public ICheckpointSerializer<T>? ItemSerializer { get; set; }

    /// <summary>Serializes the whole batch result into the operation's checkpoint instead of the default summary.</summary>
    public ICheckpointSerializer<IBatchResult<T>>? ResultSerializer { get; set; }
}

/// <summary>How a map operation runs its items.</summary>
/// <typeparam name="TItem">The item type.</typeparam>
public class MapConfig<TItem>
{
    private int? _maxConcurrency;

    /// <summary>The most items running at once; <c>null</c> = all. Must be at least 1.</summary>
    public int? MaxConcurrency
    {
        get => _maxConcurrency;
        set => _maxConcurrency = value is < 1
            ? throw new ArgumentOutOfRangeException(nameof(MaxConcurrency), value, "MaxConcurrency must be at least 1.")
            : value;
    }

    /// <summary>When the operation is done (default <see cref="CompletionConfig.AllSuccessful"/>).</summary>
    public CompletionConfig CompletionConfig { get; set; } = CompletionConfig.AllSuccessful();

    /// <summary><see cref="NestingType.Nested"/>: a CONTEXT record per item; <see cref="NestingType.Flat"/>: none.</summary>
    public NestingType NestingType { get; set; } = NestingType.Nested;

    /// <summary>Names each item's operation from the item and its index (default: the index).</summary>
    public Func<TItem, int, string>? ItemNamer { get; set; }
}

/// <summary>A map configuration with serializers for each item result and for the whole batch result.</summary>
/// <typeparam name="TItem">The item type.</typeparam>
/// <typeparam name="TResult">The item result type.</typeparam>
public class MapConfig<TItem, TResult> : MapConfig<TItem>, ITypedConfig
{
    Type[] ITypedConfig.ValueTypes => [typeof(TItem), typeof(TResult)];

    /// <summary>Serializes each item's result.</summary>
    public ICheckpointSerializer<TResult>? ItemSerializer { get; set; }

    /// <summary>Serializes the whole batch result into the operation's checkpoint instead of the default summary.</summary>
    public ICheckpointSerializer<IBatchResult<TResult>>? ResultSerializer { get; set; }
}
