using System;
using System.Collections.Generic;

namespace DurableGen;

/// <summary>A chained invoke did not succeed; base of the three outcomes.</summary>
public class InvokeException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public InvokeException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InvokeException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The invoked function.</summary>
    public string? FunctionName { get; init; }

    /// <summary>The error type the invoked function failed with.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Extra error data.</summary>
    public string? ErrorData { get; init; }

    /// <summary>The invoked function's stack trace, one line per entry.</summary>
    public IReadOnlyList<string>? OriginalStackTrace { get; init; }
}

/// <summary>The invoked function failed.</summary>
public class InvokeFailedException : InvokeException
{
    /// <summary>Creates the exception.</summary>
    public InvokeFailedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InvokeFailedException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The invoked function timed out.</summary>
public class InvokeTimedOutException : InvokeException
{
    /// <summary>Creates the exception.</summary>
    public InvokeTimedOutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeTimedOutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InvokeTimedOutException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The invoked function's execution was stopped.</summary>
public class InvokeStoppedException : InvokeException
{
    /// <summary>Creates the exception.</summary>
    public InvokeStoppedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public InvokeStoppedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public InvokeStoppedException(string message, Exception? innerException) : base(message, innerException) { }
}
