using System;

namespace DurableGen;

/// <summary>Base of every exception DurableGen raises for a durable operation or the execution itself.</summary>
public class DurableExecutionException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableExecutionException() { }

    /// <summary>Creates the exception with a message.</summary>
    public DurableExecutionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public DurableExecutionException(string message, Exception? innerException) : base(message, innerException) { }
}

/// <summary>
/// The workflow did not make the same durable calls, in the same order, as the run that recorded the history: an
/// operation found a record of another type or name at its position.
/// </summary>
public class NonDeterministicExecutionException : DurableExecutionException
{
    /// <summary>Creates the exception.</summary>
    public NonDeterministicExecutionException() { }

    /// <summary>Creates the exception with a message.</summary>
    public NonDeterministicExecutionException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the exception that caused it.</summary>
    public NonDeterministicExecutionException(string message, Exception? innerException) : base(message, innerException) { }
}
