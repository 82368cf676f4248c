using System.Collections.Generic;

namespace DurableGen.LocalService.Api;

/// <summary>A function as <c>/local/functions</c> shows it to the dashboard.</summary>
internal sealed class LocalFunction
{
    public required string Name { get; init; }

    public required string FunctionArn { get; init; }

    public bool Durable { get; init; }

    public bool Configured { get; init; }

    public required string RuntimeApi { get; init; }

    public int Concurrency { get; init; }

    /// <summary>Absent when the function's processes connect by themselves.</summary>
    public int? ProcessStarts { get; init; }

    /// <summary>Absent when the function's processes connect by themselves.</summary>
    public IReadOnlyList<LocalSandbox>? Sandboxes { get; init; }

    public int Queued { get; init; }

    public int InFlight { get; init; }

    public string? InitError { get; init; }
}
