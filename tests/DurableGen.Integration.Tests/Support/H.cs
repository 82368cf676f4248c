using System;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Support;

/// <summary>Shared helpers: positional ids, history projections and polling.</summary>
internal static class H
{
    public const string Root1 = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
    public const string Root2 = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35";

    /// <summary>Lower-case hex SHA-256 of the raw id.</summary>
    public static string Sha(string raw) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(raw))).ToLowerInvariant();

    /// <summary>The id of the n-th root operation.</summary>
    public static string RootId(int n) => Sha(n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The id of the n-th operation inside the context <paramref name="parent"/>.</summary>
    public static string ChildId(string parent, int n) => Sha(parent + "-" + n.ToString(System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>Event types after <c>ExecutionStarted</c>.</summary>
    public static EventType[] Types<T>(DurableTestResult<T> result) =>
        result.History.Where(e => e.EventType != EventType.ExecutionStarted).Select(e => e.EventType).ToArray();

    /// <summary>Asserts the exact event-type sequence after <c>ExecutionStarted</c>, printing the timeline on mismatch.</summary>
    public static void AssertEvents<T>(DurableTestResult<T> result, params EventType[] expected)
    {
        var actual = Types(result);
        Assert.True(expected.SequenceEqual(actual),
            $"Expected: {string.Join(", ", expected)}\nActual:   {string.Join(", ", actual)}\n{result.FormatTimeline()}");
    }

    /// <summary>Events (after <c>ExecutionStarted</c>) of one type.</summary>
    public static List<Event> Of<T>(DurableTestResult<T> result, EventType type) =>
        result.History.Where(e => e.EventType == type).ToList();

    /// <summary>The single event of a type.</summary>
    public static Event One<T>(DurableTestResult<T> result, EventType type) => Assert.Single(Of(result, type));

    /// <summary>Polls until <paramref name="condition"/> holds (fails the test after 10 s).</summary>
    public static async Task WaitUntilAsync(Func<bool> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException("Timed out waiting for " + what);
            }

            await Task.Delay(5).ConfigureAwait(false);
        }
    }

    /// <summary>Runs the host until <paramref name="count"/> invocations have finished for the execution.</summary>
    public static Task RunInvocationsAsync(InProcessHost host, string arn, int count) =>
        host.RunUntilAsync(() => host.GetInvocationCount(arn) >= count && !host.Engine.HasActiveInvocation(arn));
}

/// <summary>A custom exception type whose full name the tests check.</summary>
public sealed class TransientError : Exception
{
    public TransientError() : base("transient") { }

    public TransientError(string message) : base(message) { }

    public TransientError(string message, Exception inner) : base(message, inner) { }
}

/// <summary>A thread-safe counter a workflow captures.</summary>
internal sealed class Counter
{
    private int _value;

    public int Value => Volatile.Read(ref _value);

    public int Increment() => Interlocked.Increment(ref _value);
}
