using System;
using System.Text.Json.Nodes;

namespace DurableGen.Conformance.Handlers.Parallel;

/// <summary>The projection objects the parallel and map requirements return, built from an <see cref="IBatchResult"/>.</summary>
internal static class BatchProjection
{
    /// <summary>The wire token of a completion reason (<c>ALL_COMPLETED</c> …).</summary>
    public static string Token(CompletionReason reason) => reason switch
    {
        CompletionReason.MinSuccessfulReached => "MIN_SUCCESSFUL_REACHED",
        CompletionReason.FailureToleranceExceeded => "FAILURE_TOLERANCE_EXCEEDED",
        CompletionReason.AllCompleted => "ALL_COMPLETED",
        _ => throw new ArgumentOutOfRangeException(nameof(reason), reason, null),
    };

    /// <summary><c>FAILED</c> when any unit failed, otherwise <c>SUCCEEDED</c>.</summary>
    public static string Status(IBatchResult result) => result.HasFailure ? "FAILED" : "SUCCEEDED";

    /// <summary><c>{completionReason, status, successCount, failureCount, totalCount}</c>.</summary>
    public static JsonObject Full(IBatchResult result) => new()
    {
        ["completionReason"] = Token(result.CompletionReason),
        ["status"] = Status(result),
        ["successCount"] = result.SuccessCount,
        ["failureCount"] = result.FailureCount,
        ["totalCount"] = result.TotalCount,
    };

    /// <summary><c>{completionReason, successCount, failureCount, totalCount}</c>.</summary>
    public static JsonObject Counts(IBatchResult result) => new()
    {
        ["completionReason"] = Token(result.CompletionReason),
        ["successCount"] = result.SuccessCount,
        ["failureCount"] = result.FailureCount,
        ["totalCount"] = result.TotalCount,
    };

    /// <summary><c>{completionReason, successCount, totalCount}</c>.</summary>
    public static JsonObject Successes(IBatchResult result) => new()
    {
        ["completionReason"] = Token(result.CompletionReason),
        ["successCount"] = result.SuccessCount,
        ["totalCount"] = result.TotalCount,
    };
}
