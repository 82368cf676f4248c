using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using DurableGen.Client;
using DurableGen.Protocol;

namespace DurableGen.Testing;

/// <summary>The state of a test execution: status, result or error, operations, history and logs.</summary>
/// <typeparam name="TOutput">The workflow's result type.</typeparam>
public sealed class DurableTestResult<TOutput>
{
    private readonly Dictionary<string, DurableTestOperation> _byId;

    internal DurableTestResult(string arn, GetDurableExecutionResponse execution, IReadOnlyList<Operation> operations,
        IReadOnlyList<Event> history, int invocationCount, IReadOnlyList<CapturedLog> logs, IDurableSerializer serializer)
    {
        DurableExecutionArn = arn;
        Status = execution.Status;
        Error = execution.Error;
        ResultText = execution.Result;
        Result = execution.Status == ExecutionStatus.Succeeded ? serializer.Deserialize<TOutput>(execution.Result) : default;
        InvocationCount = invocationCount;
        History = history;
        Logs = logs;

        var all = new List<DurableTestOperation>();
        _byId = new Dictionary<string, DurableTestOperation>(StringComparer.Ordinal);
        foreach (var record in operations)
        {
            if (record.Type == OperationType.Execution)
            {
                continue;
            }

            var operation = new DurableTestOperation(record, serializer);
            all.Add(operation);
            _byId[record.Id] = operation;
        }

        var roots = new List<DurableTestOperation>();
        foreach (var operation in all)
        {
            if (operation.ParentId is { } parent && _byId.TryGetValue(parent, out var owner))
            {
                owner.AddChild(operation);
            }
            else
            {
                roots.Add(operation);
            }
        }

        AllOperations = all;
        Operations = roots;
    }

    /// <summary>The execution ARN.</summary>
    public string DurableExecutionArn { get; }

    /// <summary>The execution status (<see cref="ExecutionStatus.Running"/> while it waits on something).</summary>
    public ExecutionStatus Status { get; }

    /// <summary>The deserialized result, when succeeded.</summary>
    public TOutput? Result { get; }

    /// <summary>The result text as the service stores it.</summary>
    public string? ResultText { get; }

    /// <summary>The error, when failed.</summary>
    public ErrorObject? Error { get; }

    /// <summary>Invocations the function received.</summary>
    public int InvocationCount { get; }

    /// <summary>Top-level operations, in creation order, each with its children.</summary>
    public IReadOnlyList<DurableTestOperation> Operations { get; }

    /// <summary>Every operation, in creation order.</summary>
    public IReadOnlyList<DurableTestOperation> AllOperations { get; }

    /// <summary>Every history event, oldest first, as <c>GetDurableExecutionHistory</c> returns them over all its pages.</summary>
    public IReadOnlyList<Event> History { get; }

    /// <summary>What the workflow logged (lines suppressed during replay are absent).</summary>
    public IReadOnlyList<CapturedLog> Logs { get; }

    /// <summary>The operation with <paramref name="id"/>, or null.</summary>
    public DurableTestOperation? GetOperation(string id) => _byId.TryGetValue(id, out var operation) ? operation : null;

    /// <summary>The operations in <paramref name="status"/>.</summary>
    public IReadOnlyList<DurableTestOperation> GetOperations(OperationStatus status) =>
        AllOperations.Where(o => o.Status == status).ToList();

    /// <summary>Every step (sub-kind <c>Step</c>), in creation order.</summary>
    public IReadOnlyList<DurableTestOperation> GetSteps() =>
        AllOperations.Where(o => o.Type == OperationType.Step && o.SubType == "Step").ToList();

    /// <summary>The first operation named <paramref name="name"/>, or null.</summary>
    public DurableTestOperation? FindOperation(string name) => AllOperations.FirstOrDefault(o => o.Name == name);

    /// <summary>The first step named <paramref name="name"/>, or null.</summary>
    public DurableTestOperation? FindStep(string name) =>
        AllOperations.FirstOrDefault(o => o.Type == OperationType.Step && o.Name == name);

    /// <summary>The first step named <paramref name="name"/>.</summary>
    /// <exception cref="InvalidOperationException">There is none; the message lists the steps there are.</exception>
    public DurableTestOperation GetStep(string name) => FindStep(name) ?? throw new InvalidOperationException(
        $"No step named '{name}'. Steps: {string.Join(", ", GetSteps().Select(s => s.Name ?? s.Id))}.");

    /// <summary>Throws unless the execution succeeded, with the error or what it waits on in the message.</summary>
    public DurableTestResult<TOutput> EnsureSucceeded()
    {
        if (Status == ExecutionStatus.Succeeded)
        {
            return this;
        }

        var reason = Status == ExecutionStatus.Running
            ? "it is still running; waiting on: " + string.Join(", ", AllOperations
                .Where(o => o.Status is OperationStatus.Started or OperationStatus.Pending && o.Type != OperationType.Context)
                .Select(o => o.ToString()))
            : $"{Error?.ErrorType}: {Error?.ErrorMessage}";
        throw new InvalidOperationException($"The execution did not succeed ({Status}): {reason}");
    }

    /// <summary>The history as the JSON body of <c>GetDurableExecutionHistory</c>.</summary>
    public string GetHistoryJson() => JsonSerializer.Serialize(
        new GetDurableExecutionHistoryResponse { Events = History }, ProtocolJson.Rest.GetDurableExecutionHistoryResponse);

    /// <summary>A printable timeline: one line per event, nested operations indented.</summary>
    public string FormatTimeline() => HistoryTimeline.Format(History);
}
