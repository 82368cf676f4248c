using System;
using System.Collections.Generic;

namespace DurableGen;

/// <summary>A child context's function threw (live) or its record is failed (replay).</summary>
public class ChildContextException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public ChildContextException() { }

    /// <summary>Creates the exception with a message.</summary>
    public ChildContextException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public ChildContextException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The child context's sub-kind.</summary>
    public string? SubType { get; init; }

    /// <summary>The full type name of the exception the child function threw.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Extra error data recorded with the failure.</summary>
    public string? ErrorData { get; init; }

    /// <summary>The stack trace of the original failure, one line per entry.</summary>
    public IReadOnlyList<string>? OriginalStackTrace { get; init; }
}
