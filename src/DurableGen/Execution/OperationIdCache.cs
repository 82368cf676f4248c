using System;
using System.Collections.Concurrent;
using System.Threading;

namespace DurableGen.Execution;

/// <summary>
/// Process-wide memo of positional ids, keyed by the exact hash input (context prefix and position), so an entry is
/// right for every execution that reaches it: it is the id's definition, not a guess about which execution runs. A warm
/// sandbox replays the same execution on every invocation; with this memo it hashes each id once, as the JS SDK does.
/// </summary>
/// <remarks>
/// Bounded: at most <see cref="Capacity"/> ids (about 150 bytes each, some 20 MB when full, which only a process that
/// has already loaded a history of that many records reaches). Once full it keeps what it has and further ids are
/// hashed each time; entries are never evicted, since any of them may still be the one a later replay needs. Lock-free
/// to read; racing writers store equal strings, and a write lost to a concurrent resize is only a later miss.
/// </remarks>
internal static class OperationIdCache
{
    /// <summary>The most ids the memo holds (each table also counts one, for its own overhead).</summary>
    public const int Capacity = 128 * 1024;

    private static readonly ConcurrentDictionary<string, Table> Tables = new(StringComparer.Ordinal);
    private static int _used;

    /// <summary>The table of ids under <paramref name="prefix"/>, or <c>null</c> when the memo is full.</summary>
    public static Table? For(string prefix)
    {
        if (Tables.TryGetValue(prefix, out var table))
        {
            return table;
        }

        if (!Reserve(1))
        {
            return null;
        }

        return Tables.GetOrAdd(prefix, static _ => new Table());
    }

    /// <summary>
    /// Forgets every id: what a cold process starts from. For benchmarks that measure replay with hashing; a cleared
    /// memo is only slower, never wrong, so concurrent users are unaffected.
    /// </summary>
    internal static void Clear()
    {
        Tables.Clear();
        Volatile.Write(ref _used, 0);
    }

    private static bool Reserve(int count)
    {
        if (Volatile.Read(ref _used) >= Capacity)
        {
            return false;
        }

        return Interlocked.Add(ref _used, count) <= Capacity;
    }

    /// <summary>The ids of one prefix, by position.</summary>
    internal sealed class Table
    {
        private string?[] _ids = new string?[8];

        /// <summary>The id at <paramref name="position"/>, if it was memoised.</summary>
        public string? Get(int position)
        {
            var ids = Volatile.Read(ref _ids);
            return (uint)position < (uint)ids.Length ? ids[position] : null;
        }

        /// <summary>Memoises <paramref name="id"/> at <paramref name="position"/> when the memo has room.</summary>
        public void Set(int position, string id)
        {
            if (position < 0 || !Reserve(1))
            {
                return;
            }

            var ids = Volatile.Read(ref _ids);
            if (position >= ids.Length)
            {
                var grown = new string?[Math.Max(ids.Length * 2, position + 1)];
                Array.Copy(ids, grown, ids.Length);
                grown[position] = id;
                Volatile.Write(ref _ids, grown);
                return;
            }

            ids[position] = id;
        }
    }
}
