namespace DurableGen.LocalService.Api;

/// <summary>One sandbox of a <see cref="LocalFunction"/>.</summary>
internal sealed class LocalSandbox
{
    public int Sandbox { get; init; }

    public int Starts { get; init; }

    public int? ProcessId { get; init; }

    public string? RuntimeApi { get; init; }

    public string? Stopped { get; init; }
}
