using System;

namespace DurableGen;

/// <summary>A wait strategy gave up: the condition was not met within its attempts.</summary>
public class WaitForConditionException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public WaitForConditionException() { }

    /// <summary>Creates the exception with a message.</summary>
    public WaitForConditionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public WaitForConditionException(string message, Exception? innerException) : base(message, innerException) { }

    /// <summary>The number of polls made.</summary>
    public int AttemptsExhausted { get; init; }

    /// <summary>The state of the last poll.</summary>
    public object? LastState { get; init; }
}
