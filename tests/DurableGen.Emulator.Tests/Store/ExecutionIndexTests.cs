using System;
using System.Collections.Generic;
using System.Linq;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests.Store;

/// <summary>The index's ordered sets answer every scheduling query exactly as a scan of all entries would, through
/// random updates (runnable or not, sequences, due times, closing), and its version moves only when those answers may
/// have.</summary>
public sealed class ExecutionIndexTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Scheduling_queries_match_a_scan_of_every_entry(int seed)
    {
        var random = new Random(seed);
        var index = new ExecutionIndex();
        var model = new Dictionary<string, ExecutionIndexEntry>(StringComparer.Ordinal);
        var sequence = 0L;
        for (var step = 0; step < 5_000; step++)
        {
            var arn = $"arn:{random.Next(300):D3}";
            var closed = random.Next(10) == 0;
            var runnable = !closed && random.Next(3) == 0;
            var sequenceOf = model.TryGetValue(arn, out var old) && random.Next(2) == 0 ? old.RunnableSequence : ++sequence;
            // Few distinct times, so ties (broken by ARN) are common.
            DateTimeOffset? due = closed || random.Next(2) == 0 ? null : Start.AddSeconds(random.Next(20));
            var entry = new ExecutionIndexEntry(arn, "f", arn, "f:$LATEST", "$LATEST",
                closed ? ExecutionStatus.Succeeded : ExecutionStatus.Running, Start, null, runnable, sequenceOf, due);
            var before = Answers(index, Start.AddSeconds(10));
            var version = index.SchedulingVersion;
            index.Set(entry);
            model[arn] = entry;

            var now = Start.AddSeconds(random.Next(22));
            var expected = Scan(model.Values, now);
            var actual = Answers(index, now);
            Assert.Equal(expected, actual);
            if (index.SchedulingVersion == version)
            {
                var after = Answers(index, Start.AddSeconds(10));
                Assert.Equal((before.First, before.Runnable, before.Next, before.Due), (after.First, after.Runnable, after.Next, after.Due));
            }
        }
    }

    [Fact]
    public void An_update_that_keeps_runnability_sequence_and_due_time_keeps_the_version()
    {
        var index = new ExecutionIndex();
        var entry = new ExecutionIndexEntry("arn:a", "f", "a", "f:$LATEST", "$LATEST", ExecutionStatus.Running, Start, null,
            false, 1, Start.AddMinutes(1));
        index.Set(entry);
        var version = index.SchedulingVersion;

        index.Set(entry with { ExecutionName = "renamed" });
        Assert.Equal(version, index.SchedulingVersion);

        index.Set(entry with { NextDueTime = Start.AddMinutes(2) });
        Assert.NotEqual(version, index.SchedulingVersion);
        Assert.Equal(Start.AddMinutes(2), index.GetNextDueTime());
    }

    private static (string? First, string Runnable, DateTimeOffset? Next, string Due, string Open) Answers(ExecutionIndex index,
        DateTimeOffset now) =>
        (index.FindRunnable(), string.Join(",", index.FindRunnable(7)), index.GetNextDueTime(), string.Join(",", index.FindDue(now)),
            string.Join(",", index.ListOpen().Order(StringComparer.Ordinal)));

    private static (string? First, string Runnable, DateTimeOffset? Next, string Due, string Open) Scan(
        IEnumerable<ExecutionIndexEntry> entries, DateTimeOffset now)
    {
        var all = entries.ToList();
        var runnable = all.Where(e => e.IsRunnable).OrderBy(e => e.RunnableSequence).ThenBy(e => e.DurableExecutionArn, StringComparer.Ordinal)
            .Select(e => e.DurableExecutionArn).ToList();
        var timed = all.Where(e => e.NextDueTime is not null).ToList();
        var due = timed.Where(e => e.NextDueTime <= now).OrderBy(e => e.NextDueTime)
            .ThenBy(e => e.DurableExecutionArn, StringComparer.Ordinal).Select(e => e.DurableExecutionArn);
        return (runnable.FirstOrDefault(), string.Join(",", runnable.Take(7)), timed.Count == 0 ? null : timed.Min(e => e.NextDueTime),
            string.Join(",", due),
            string.Join(",", all.Where(e => e.Status == ExecutionStatus.Running).Select(e => e.DurableExecutionArn).Order(StringComparer.Ordinal)));
    }
}
