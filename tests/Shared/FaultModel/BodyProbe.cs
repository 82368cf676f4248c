using System.Collections.Concurrent;
using System.Collections.Generic;

namespace DurableGen.TestSupport.FaultModel;

/// <summary>Counts how often each step body ran, per attempt number.</summary>
internal sealed class BodyProbe
{
    private readonly ConcurrentDictionary<(string Name, int Attempt), int> _counts = new();

    public IEnumerable<KeyValuePair<(string Name, int Attempt), int>> Counts => _counts;

    public void Ran(string name, int attempt) => _counts.AddOrUpdate((name, attempt), 1, static (_, n) => n + 1);

    public int Count(string name, int attempt) => _counts.TryGetValue((name, attempt), out var n) ? n : 0;
}
