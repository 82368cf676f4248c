using System;
using Microsoft.Extensions.Logging;

namespace DurableGen.Testing;

/// <summary>One line a workflow logged (the test runner's view of the host's captured records).</summary>
/// <param name="Level">The level.</param>
/// <param name="Message">The formatted message.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
public sealed record CapturedLog(LogLevel Level, string Message, Exception? Exception);
