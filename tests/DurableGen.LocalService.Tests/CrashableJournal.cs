using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The journal of one execution of the <c>crashable</c> test workflow: its steps (<c>before</c>, <c>blocking</c>,
/// <c>after</c>) append a <c>step pid</c> line per attempt, and the first attempt of <c>blocking</c> blocks for
/// <paramref name="blockSeconds"/> (the workflow's default, two minutes, when null).
/// </summary>
internal sealed class CrashableJournal(string path, int? blockSeconds = null)
{
    /// <summary>The workflow input that points it at this journal.</summary>
    public string Input => JsonSerializer.Serialize(blockSeconds is { } seconds
        ? new Dictionary<string, object> { ["Journal"] = path, ["BlockSeconds"] = seconds }
        : new Dictionary<string, object> { ["Journal"] = path });

    /// <summary>Every attempt so far, in order.</summary>
    public List<(string Step, int Pid)> Read() => !File.Exists(path)
        ? new()
        : File.ReadAllLines(path).Where(l => l.Length > 0).Select(l =>
        {
            var parts = l.Split(' ');
            return (parts[0], int.Parse(parts[1], CultureInfo.InvariantCulture));
        }).ToList();

    /// <summary>Waits for the first attempt of <c>blocking</c> and returns the pid of the process running it.</summary>
    public async Task<int> BlockedProcessAsync()
    {
        var pid = 0;
        await ServiceApi.EventuallyAsync(() =>
        {
            pid = Read().FirstOrDefault(l => l.Step == "blocking").Pid;
            return Task.FromResult(pid != 0);
        }, "the blocking step of " + path, seconds: 60);
        return pid;
    }
}
