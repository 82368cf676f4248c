using Microsoft.Extensions.Logging;

namespace DurableGen;

/// <summary>Logger configuration of a durable context.</summary>
public sealed class LoggerConfig
{
    /// <summary>A logger to write to instead of the current one.</summary>
    public ILogger? CustomLogger { get; init; }

    /// <summary>Whether to stay silent while replaying (default <c>true</c>).</summary>
    public bool ModeAware { get; init; } = true;
}
