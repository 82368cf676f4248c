using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen;

/// <summary>
/// Exceptions as the service's <see cref="ErrorObject"/>: what a failed invocation, a failed batch unit, a FAIL or RETRY
/// checkpoint and a failed callback report. Here rather than on <see cref="ErrorObject"/> so the wire model knows no
/// runtime exception type.
/// </summary>
public static class DurableErrors
{
    /// <summary>
    /// Maps an exception to the error reported for a failed invocation or a failed batch unit: durable exceptions keep
    /// the error type, data and stack of the operation that failed; any other exception reports its own CLR type.
    /// </summary>
    public static ErrorObject FromException(Exception exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        return exception switch
        {
            StepException e => FromRecorded(e.ErrorType, e.Message, e.ErrorData, e.OriginalStackTrace),
            ChildContextException e => FromRecorded(e.ErrorType, e.Message, e.ErrorData, e.OriginalStackTrace),
            CallbackException e => FromRecorded(e.ErrorType, e.Message, e.ErrorData, e.OriginalStackTrace),
            InvokeException e => FromRecorded(e.ErrorType, e.Message, e.ErrorData, e.OriginalStackTrace),
            _ => ForCheckpoint(exception),
        };
    }

    /// <summary>The error written into a FAIL or RETRY checkpoint for a live exception: CLR type, message, stack lines.</summary>
    internal static ErrorObject ForCheckpoint(Exception exception) => new()
    {
        ErrorType = exception.GetType().FullName,
        ErrorMessage = exception.Message,
        StackTrace = SplitStackTrace(exception.StackTrace),
    };

    internal static IReadOnlyList<string>? SplitStackTrace(string? stackTrace) =>
        string.IsNullOrEmpty(stackTrace)
            ? null
            : stackTrace.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries);

    private static ErrorObject FromRecorded(string? type, string message, string? data, IReadOnlyList<string>? stack) =>
        new() { ErrorType = type, ErrorMessage = message, ErrorData = data, StackTrace = stack };
}
