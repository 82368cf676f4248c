using System.Text.RegularExpressions;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Api;

/// <summary>The durable APIs' validation of path and query members, with AWS's messages. (The engine is to take the
/// ARN and callback-id checks over, so both hosts refuse the same inputs.)</summary>
internal static class AwsParameters
{
    private static readonly Regex ExecutionArnPattern = new(
        @"^arn:([a-zA-Z0-9-]+):lambda:([a-zA-Z0-9-]+):(\d{12}):function:([a-zA-Z0-9_-]+):(\$LATEST(?:\.PUBLISHED)?|[0-9]+)/durable-execution/([a-zA-Z0-9_-]+)/([a-zA-Z0-9_-]+)$",
        RegexOptions.CultureInvariant);

    public static void ValidateArn(string arn)
    {
        if (arn.Length is 0 or > 1024 || !ExecutionArnPattern.IsMatch(arn))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{Truncate(arn)}' at 'durableExecutionArn' failed to satisfy constraint: Member must satisfy regular expression pattern.");
        }
    }

    public static void ValidateCallbackId(string callbackId)
    {
        if (callbackId.Length is 0 or > 1024 || !DurableGen.Emulator.Base64Json.IsBase64Alphabet(callbackId))
        {
            throw DurableServiceException.InvalidParameter(
                $"1 validation error detected: Value '{Truncate(callbackId)}' at 'callbackId' failed to satisfy constraint: Member must satisfy regular expression pattern: [A-Za-z0-9+/]+={{0,2}}");
        }
    }

    /// <summary>A <c>Statuses</c> query value, by the protocol's own enum names.</summary>
    public static ExecutionStatus ParseStatus(string value) =>
        UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse(value, out var status) && status != ExecutionStatus.Unknown
            ? status
            : throw DurableServiceException.InvalidParameter(
                $"Value '{value}' at 'statuses' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED]");

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
