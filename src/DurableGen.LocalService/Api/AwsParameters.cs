using DurableGen.Emulator.Engine;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Api;

/// <summary>The durable APIs' validation of query members, with AWS's messages. The path members (execution ARN,
/// callback id) are checked by the engine's <see cref="DurableGen.Emulator.Engine.InputValidation"/>, which the endpoints call
/// before reading a body, as AWS validates a request's members before its payload.</summary>
internal static class AwsParameters
{
    /// <summary>A <c>Statuses</c> query value, by the protocol's own enum names.</summary>
    public static ExecutionStatus ParseStatus(string value) =>
        UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse(value, out var status) && status != ExecutionStatus.Unknown
            ? status
            : throw DurableServiceException.InvalidParameter(
                $"Value '{value}' at 'statuses' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED]");
}
