using System.Text.RegularExpressions;
using DurableGen.Emulator.Tokens;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>
/// The input shapes AWS's request validation refuses before any durable API runs (an execution ARN, a callback id) and
/// the empty error object it treats as absent. In the engine so that every host refuses the same inputs with the same
/// error code and message, not only the one that happens to parse HTTP. Public so that an HTTP host can run the path
/// checks where AWS does, before it reads the request body.
/// </summary>
public static partial class InputValidation
{
    private const int MaxLength = 1024;

    /// <summary>Refuses an execution ARN that does not have AWS's shape (<c>InvalidParameterValueException</c>, the
    /// message AWS's validator gives).</summary>
    public static void ExecutionArn(string? arn)
    {
        if (arn is null || arn.Length is 0 or > MaxLength || !ExecutionArnPattern().IsMatch(arn))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{Truncate(arn ?? "")}' at 'durableExecutionArn' failed to satisfy constraint: Member must satisfy regular expression pattern.");
        }
    }

    /// <summary>Refuses a callback id that is not 1-1024 characters of base64 (<c>InvalidParameterValueException</c>,
    /// the message AWS's validator gives).</summary>
    public static void CallbackId(string? callbackId)
    {
        if (callbackId is null || callbackId.Length is 0 or > MaxLength || !Base64Json.IsBase64Alphabet(callbackId))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{Truncate(callbackId ?? "")}' at 'callbackId' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9+/]+={{0,2}}");
        }
    }

    /// <summary>An error with no field set is no error: AWS records a stop or callback failure sent with <c>{}</c> as
    /// one sent without an error.</summary>
    public static ErrorObject? NormalizeError(ErrorObject? error) =>
        error is null || (error.ErrorType is null && error.ErrorMessage is null && error.ErrorData is null && error.StackTrace is null)
            ? null
            : error;

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";

    // \z, not $: a .NET $ also matches before a final newline, which let "ARN\n" through. [0-9], not \d: \d takes
    // every Unicode digit.
    [GeneratedRegex(@"^arn:([a-zA-Z0-9-]+):lambda:([a-zA-Z0-9-]+):([0-9]{12}):function:([a-zA-Z0-9_-]+):(\$LATEST(?:\.PUBLISHED)?|[0-9]+)/durable-execution/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)\z",
        RegexOptions.CultureInvariant)]
    private static partial Regex ExecutionArnPattern();
}
