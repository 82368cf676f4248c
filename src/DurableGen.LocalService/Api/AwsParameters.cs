using DurableGen.Protocol;

using DurableGen.Emulator.Engine;
namespace DurableGen.LocalService.Api;

/// <summary>The durable APIs' validation of path and query members, with AWS's messages.</summary>
internal static class AwsParameters
{
    // The engine's checks (the engine applies them too): refusing a malformed path member before the body is read.
    public static void ValidateArn(string arn) => InputValidation.ExecutionArn(arn);

    public static void ValidateCallbackId(string callbackId) => InputValidation.CallbackId(callbackId);

    /// <summary>A <c>Statuses</c> query value, by the protocol's own enum names.</summary>
    public static ExecutionStatus ParseStatus(string value) =>
        UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse(value, out var status) && status != ExecutionStatus.Unknown
            ? status
            : throw DurableServiceException.InvalidParameter(
                $"Value '{value}' at 'statuses' failed to satisfy constraint: Member must satisfy enum value set: [RUNNING, SUCCEEDED, FAILED, TIMED_OUT, STOPPED]");
}
