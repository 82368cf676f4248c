using System;

namespace DurableGen.Protocol;

/// <summary>
/// An error answered by the durable execution service: the AWS error code (for example
/// <c>InvalidParameterValueException</c>) and the HTTP status it travels with.
/// </summary>
public sealed class DurableServiceException : Exception
{
    /// <summary>Creates the exception.</summary>
    public DurableServiceException(string errorCode, int statusCode, string message)
        : base(message)
    {
        ErrorCode = errorCode;
        StatusCode = statusCode;
    }

    /// <summary>The AWS error code.</summary>
    public string ErrorCode { get; }

    /// <summary>The HTTP status code.</summary>
    public int StatusCode { get; }

    /// <summary>
    /// Whether the SDK should fail the execution (true) or let Lambda retry the invocation (false): any 4xx except 429
    /// is terminal, except an <c>Invalid Checkpoint Token</c> error, which a fresh invocation fixes.
    /// </summary>
    public bool IsTerminal => StatusCode is >= 400 and < 500 && StatusCode != 429 && !IsStaleCheckpointToken;

    /// <summary>Whether this is the service's stale or unknown checkpoint token error.</summary>
    public bool IsStaleCheckpointToken => ErrorCode == ErrorCodes.InvalidParameterValue
        && Message.StartsWith(ErrorCodes.InvalidCheckpointTokenPrefix, StringComparison.Ordinal);

    /// <summary>Creates an <c>InvalidParameterValueException</c> (400).</summary>
    public static DurableServiceException InvalidParameter(string message) =>
        new(ErrorCodes.InvalidParameterValue, 400, message);

    /// <summary>Creates a <c>ResourceNotFoundException</c> (404).</summary>
    public static DurableServiceException NotFound(string message) => new(ErrorCodes.ResourceNotFound, 404, message);
}

/// <summary>AWS error codes the durable APIs answer with.</summary>
public static class ErrorCodes
{
    /// <summary>400: a parameter is invalid (also stale checkpoint tokens).</summary>
    public const string InvalidParameterValue = "InvalidParameterValueException";

    /// <summary>404: execution, callback or function unknown.</summary>
    public const string ResourceNotFound = "ResourceNotFoundException";

    /// <summary>400: the callback timed out or is already closed.</summary>
    public const string CallbackTimeout = "CallbackTimeoutException";

    /// <summary>409: an execution with that name already exists with different input.</summary>
    public const string DurableExecutionAlreadyStarted = "DurableExecutionAlreadyStartedException";

    /// <summary>429: throttled.</summary>
    public const string TooManyRequests = "TooManyRequestsException";

    /// <summary>500: service fault.</summary>
    public const string Service = "ServiceException";

    /// <summary>413: request too large.</summary>
    public const string RequestTooLarge = "RequestTooLargeException";

    /// <summary>The message prefix every SDK matches to recognise a stale token.</summary>
    public const string InvalidCheckpointTokenPrefix = "Invalid Checkpoint Token";
}
