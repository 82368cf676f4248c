using System;
using System.Collections.Generic;

namespace DurableGen;

/// <summary>Base of the exceptions a callback's result raises.</summary>
public class CallbackException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public CallbackException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CallbackException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The callback's id.</summary>
    public string? CallbackId { get; init; }

    /// <summary>The error type: the external system's, or <c>Callback.Timeout</c> / <c>Callback.Heartbeat</c>.</summary>
    public string? ErrorType { get; init; }

    /// <summary>Extra error data sent with the failure.</summary>
    public string? ErrorData { get; init; }

    /// <summary>The stack trace sent with the failure, one line per entry.</summary>
    public IReadOnlyList<string>? OriginalStackTrace { get; init; }
}

/// <summary>The external system completed the callback with a failure.</summary>
public class CallbackFailedException : CallbackException
{
    /// <summary>Creates the exception.</summary>
    public CallbackFailedException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackFailedException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CallbackFailedException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The callback timed out, overall (<c>Callback.Timeout</c>) or for lack of heartbeats (<c>Callback.Heartbeat</c>).</summary>
public class CallbackTimeoutException : CallbackException
{
    /// <summary>Creates the exception.</summary>
    public CallbackTimeoutException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackTimeoutException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CallbackTimeoutException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>The submitter of <c>WaitForCallbackAsync</c> failed after its retries.</summary>
public class CallbackSubmitterException : CallbackException
{
    /// <summary>Creates the exception.</summary>
    public CallbackSubmitterException() { }

    /// <summary>Creates the exception with a message.</summary>
    public CallbackSubmitterException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public CallbackSubmitterException(string message, Exception? innerException) : base(message, innerException) { }
}
