using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Execution;

/// <summary>
/// Calls the registered <see cref="IDurableExecutionPlugin"/>s, each call isolated (an exception is logged and the
/// next plugin still runs), and keeps the bookkeeping that makes operation hooks fire once: an operation ends once,
/// and a finished operation never starts again.
/// </summary>
internal sealed class PluginDispatcher
{
    private readonly IReadOnlyList<IDurableExecutionPlugin> _plugins;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, byte> _ended = new(StringComparer.Ordinal);

    private readonly string _arn;
    private readonly ExecutionState _state;

    public PluginDispatcher(IReadOnlyList<IDurableExecutionPlugin>? plugins, ILogger logger, string executionArn,
        ExecutionState state)
    {
        _arn = executionArn;
        _state = state;
        _plugins = plugins ?? Array.Empty<IDurableExecutionPlugin>();
        _logger = logger;
    }

    public bool IsEmpty => _plugins.Count == 0;

    /// <summary>Ids the service changed since the previous invocation (from the envelope).</summary>
    public IReadOnlySet<string> UpdatedExternally { get; set; } = new HashSet<string>();

    public void Raise(Action<IDurableExecutionPlugin> hook, string name)
    {
        foreach (var plugin in _plugins)
        {
            try
            {
                hook(plugin);
            }
            catch (Exception ex)
            {
                _logger.LogWarning(ex, "Plugin {Plugin} threw from {Hook}; ignored.", plugin.GetType().FullName, name);
            }
        }
    }

    /// <summary>The workflow reached an operation that has never run.</summary>
    public void Start(OperationInfo info) =>
        Raise(p => p.OnOperationStart(info), nameof(IDurableExecutionPlugin.OnOperationStart));

    /// <summary>The workflow reached an operation that has a record.</summary>
    public void Observe(Operation record)
    {
        if (IsEmpty)
        {
            return;
        }

        if (!Operation.IsTerminal(record.Status))
        {
            var info = OperationInfo.From(record, isReplay: true, _arn);
            Raise(p => p.OnOperationStart(info), nameof(IDurableExecutionPlugin.OnOperationStart));
        }
        else if (UpdatedExternally.Contains(record.Id))
        {
            // Finished by the service since the last invocation (a timer, a callback): this is its end.
            End(record, isReplay: true);
        }
        // Otherwise it ended in an earlier invocation: never reported again (End checks the load state, so replaying a
        // long history records nothing per operation).
    }

    /// <summary>The service reported changed records in a checkpoint response.</summary>
    public void Changed(IReadOnlyList<Operation>? changed, Func<IReadOnlyDictionary<string, OperationInfo>> all, string arn)
    {
        if (IsEmpty || changed is null || changed.Count == 0)
        {
            return;
        }

        var updated = new List<OperationInfo>(changed.Count);
        foreach (var record in changed)
        {
            if (record.Type == OperationType.Execution)
            {
                continue;
            }

            updated.Add(OperationInfo.From(record, isReplay: false, arn));
            if (Operation.IsTerminal(record.Status))
            {
                End(record, isReplay: false);
            }
        }

        var info = new OperationChangeInfo { DurableExecutionArn = arn, UpdatedOperations = updated, AllOperations = all() };
        Raise(p => p.OnOperationChange(info), nameof(IDurableExecutionPlugin.OnOperationChange));
    }

    public void UserFunctionStart(UserFunctionInfo info)
    {
        if (!IsEmpty)
        {
            Raise(p => p.OnUserFunctionStart(info), nameof(IDurableExecutionPlugin.OnUserFunctionStart));
        }
    }

    public void UserFunctionEnd(UserFunctionInfo info, Exception? error, DateTimeOffset ended)
    {
        if (!IsEmpty)
        {
            var end = info with { Succeeded = error is null, Error = error, EndTimestamp = ended };
            Raise(p => p.OnUserFunctionEnd(end), nameof(IDurableExecutionPlugin.OnUserFunctionEnd));
        }
    }

    /// <summary>
    /// A flat child context (no record) starts or ends. Raised only when it happens live: while replaying, the flat
    /// context re-runs over recorded children, and its live start and end were reported when they happened.
    /// </summary>
    public void Virtual(OperationInfo info, bool replaying, bool end)
    {
        if (IsEmpty || replaying)
        {
            return;
        }

        if (end)
        {
            Raise(p => p.OnOperationEnd(info), nameof(IDurableExecutionPlugin.OnOperationEnd));
        }
        else
        {
            Raise(p => p.OnOperationStart(info), nameof(IDurableExecutionPlugin.OnOperationStart));
        }
    }

    private void End(Operation record, bool isReplay)
    {
        if ((!_state.WasTerminalAtLoad(record.Id) || UpdatedExternally.Contains(record.Id)) && _ended.TryAdd(record.Id, 0))
        {
            var info = OperationInfo.From(record, isReplay, _arn);
            Raise(p => p.OnOperationEnd(info), nameof(IDurableExecutionPlugin.OnOperationEnd));
        }
    }

    /// <summary>A snapshot of every record as hook infos (built when a plugin first reads it).</summary>
    public static IReadOnlyDictionary<string, OperationInfo> Snapshot(ExecutionState state, bool isReplay, string executionArn) =>
        new OperationInfoSnapshot(state.All, isReplay, executionArn);
}
