using System;
using System.Collections;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using DurableGen.Protocol;

namespace DurableGen.Execution;

/// <summary>
/// Every record as hook infos, built on first read. The invocation hooks offer the whole history, and most plugins
/// (a tracer among them) never read it: building it eagerly cost an info per record on every invocation, twice, which
/// dominated replay with any plugin registered. The records are taken when the snapshot is made.
/// </summary>
internal sealed class OperationInfoSnapshot : IReadOnlyDictionary<string, OperationInfo>
{
    private readonly ICollection<Operation> _records;
    private readonly bool _isReplay;
    private readonly string _arn;
    private Dictionary<string, OperationInfo>? _infos;

    public OperationInfoSnapshot(ICollection<Operation> records, bool isReplay, string executionArn)
    {
        _records = records;
        _isReplay = isReplay;
        _arn = executionArn;
    }

    private Dictionary<string, OperationInfo> Infos => _infos ??= Build();

    public OperationInfo this[string key] => Infos[key];

    public IEnumerable<string> Keys => Infos.Keys;

    public IEnumerable<OperationInfo> Values => Infos.Values;

    public int Count => Infos.Count;

    public bool ContainsKey(string key) => Infos.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out OperationInfo value) => Infos.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, OperationInfo>> GetEnumerator() => Infos.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private Dictionary<string, OperationInfo> Build()
    {
        var all = new Dictionary<string, OperationInfo>(_records.Count, StringComparer.Ordinal);
        foreach (var record in _records)
        {
            if (record.Type != OperationType.Execution)
            {
                all[record.Id] = OperationInfo.From(record, _isReplay, _arn);
            }
        }

        return all;
    }
}
