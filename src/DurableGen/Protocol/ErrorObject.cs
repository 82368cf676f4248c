using System.Collections.Generic;

namespace DurableGen.Protocol;

/// <summary>An error as the durable execution service stores it: type, message, opaque data and stack lines.</summary>
public sealed class ErrorObject
{
    /// <summary>The error type: a CLR type name, or a service value such as <c>Callback.Timeout</c>.</summary>
    public string? ErrorType { get; set; }

    /// <summary>The error message.</summary>
    public string? ErrorMessage { get; set; }

    /// <summary>Opaque extra data; SDKs put serialized JSON here.</summary>
    public string? ErrorData { get; set; }

    /// <summary>The stack trace, one entry per line.</summary>
    public IReadOnlyList<string>? StackTrace { get; set; }
}
