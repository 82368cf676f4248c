using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>One operation of a test execution, with its children.</summary>
public sealed class DurableTestOperation
{
    private readonly IDurableSerializer _serializer;
    private readonly List<DurableTestOperation> _children = new();

    internal DurableTestOperation(Operation record, IDurableSerializer serializer)
    {
        Record = record;
        _serializer = serializer;
    }

    /// <summary>The raw record, as the service stores it.</summary>
    public Operation Record { get; }

    /// <summary>The operation id.</summary>
    public string Id => Record.Id;

    /// <summary>The enclosing context's id.</summary>
    public string? ParentId => Record.ParentId;

    /// <summary>The name.</summary>
    public string? Name => Record.Name;

    /// <summary>The type.</summary>
    public OperationType Type => Record.Type;

    /// <summary>The SDK sub-kind.</summary>
    public string? SubType => Record.SubType;

    /// <summary>The status.</summary>
    public OperationStatus Status => Record.Status;

    /// <summary>Finished attempts of a step.</summary>
    public int Attempt => Record.StepDetails?.Attempt ?? 0;

    /// <summary>When it started.</summary>
    public DateTimeOffset? StartTimestamp => Record.StartTimestamp;

    /// <summary>When it ended.</summary>
    public DateTimeOffset? EndTimestamp => Record.EndTimestamp;

    /// <summary>The callback id of a callback.</summary>
    public string? CallbackId => Record.CallbackDetails?.CallbackId;

    /// <summary>The checkpointed result text.</summary>
    public string? ResultText => Record.StepDetails?.Result ?? Record.ContextDetails?.Result ?? Record.CallbackDetails?.Result
        ?? Record.ChainedInvokeDetails?.Result;

    /// <summary>The checkpointed error.</summary>
    public ErrorObject? Error => Record.StepDetails?.Error ?? Record.ContextDetails?.Error ?? Record.CallbackDetails?.Error
        ?? Record.ChainedInvokeDetails?.Error;

    /// <summary>The operations this one contains, in creation order.</summary>
    public IReadOnlyList<DurableTestOperation> Children => _children;

    /// <summary>The checkpointed result, deserialized.</summary>
    public T? GetResult<T>() => _serializer.Deserialize<T>(ResultText);

    internal void AddChild(DurableTestOperation child) => _children.Add(child);

    /// <inheritdoc />
    public override string ToString() => $"{Type}/{SubType} {Name ?? Id} {Status}";
}
