using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>A step failed and will not be retried (live: the inner exception is the original; replayed: none).</summary>
public class StepException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public StepException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StepException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public StepException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The full type name of the exception the step body threw.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Extra error data recorded with the failure.</summary>
    public string? ErrorData { get; init; }

    /// <summary>The stack trace of the original failure, one line per entry.</summary>
    public IReadOnlyList<string>? OriginalStackTrace { get; init; }

    /// <summary>A step failure rebuilt from its checkpointed error (replay: no inner exception).</summary>
    internal static StepException FromRecorded(ErrorObject? error) => new(error?.ErrorMessage ?? "Step failed")
    {
        ErrorType = error?.ErrorType,
        ErrorData = error?.ErrorData,
        OriginalStackTrace = error?.StackTrace,
    };

    /// <summary>A live step failure: the original is the inner exception, its type and stack are recorded.</summary>
    internal static StepException FromLive(Exception exception, IReadOnlyList<string>? stackTrace) =>
        new(exception.Message, exception) { ErrorType = exception.GetType().FullName, OriginalStackTrace = stackTrace };
}

/// <summary>
/// Given to the retry strategy when an at-most-once step is found started but unfinished: the attempt was interrupted
/// and its body is not run again.
/// </summary>
public class StepInterruptedException : StepException
{
    /// <summary>Creates the exception.</summary>
    public StepInterruptedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public StepInterruptedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public StepInterruptedException(string message, Exception? innerException) : base(message, innerException) { }
}
