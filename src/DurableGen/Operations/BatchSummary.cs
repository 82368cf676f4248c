using System.Collections.Generic;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;
using DurableGen.Protocol;

namespace DurableGen.Operations;

/// <summary>
/// The checkpointed payload of a parallel or map operation (the official .NET SDK's shape): the completion reason and,
/// per declared unit, its name, status and — because the service prunes completed unit records — its result or error.
/// Statuses travel as text so an unknown value reads as STARTED rather than failing.
/// </summary>
internal sealed class BatchSummary
{
    public string? CompletionReason { get; set; }

    public List<BatchSummaryUnit>? Units { get; set; }

    public static string Status(BatchItemStatus status) => status switch
    {
        BatchItemStatus.Succeeded => "SUCCEEDED",
        BatchItemStatus.Failed => "FAILED",
        _ => "STARTED",
    };

    public static BatchItemStatus ParseStatus(string? status) => status switch
    {
        "SUCCEEDED" => BatchItemStatus.Succeeded,
        "FAILED" => BatchItemStatus.Failed,
        _ => BatchItemStatus.Started,
    };

    public static string Reason(CompletionReason reason) => reason switch
    {
        DurableGen.CompletionReason.MinSuccessfulReached => "MIN_SUCCESSFUL_REACHED",
        DurableGen.CompletionReason.FailureToleranceExceeded => "FAILURE_TOLERANCE_EXCEEDED",
        _ => "ALL_COMPLETED",
    };

    public static CompletionReason ParseReason(string? reason) => reason switch
    {
        "MIN_SUCCESSFUL_REACHED" => DurableGen.CompletionReason.MinSuccessfulReached,
        "FAILURE_TOLERANCE_EXCEEDED" => DurableGen.CompletionReason.FailureToleranceExceeded,
        _ => DurableGen.CompletionReason.AllCompleted,
    };

    public string ToJson() => JsonSerializer.Serialize(this, BatchSummaryJsonContext.Relaxed.BatchSummary);

    /// <summary>Reads a summary; garbage reads as "no summary".</summary>
    public static BatchSummary? TryParse(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(text, BatchSummaryJsonContext.Relaxed.BatchSummary);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>One declared unit of a <see cref="BatchSummary"/>.</summary>
internal sealed class BatchSummaryUnit
{
    public int Index { get; set; }

    public string? Name { get; set; }

    public string? Status { get; set; }

    public string? Result { get; set; }

    public ErrorObject? Error { get; set; }

    /// <summary>
    /// <c>true</c> on a STARTED unit that was dispatched and bailed when the batch was decided; absent on units never
    /// dispatched. The service prunes the unit's own STARTED record, so without it a replay could not tell the two
    /// apart and would drop dispatched units from <c>All</c> and <c>TotalCount</c>.
    /// </summary>
    public bool? Dispatched { get; set; }
}

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BatchSummary))]
internal sealed partial class BatchSummaryJsonContext : JsonSerializerContext
{
    public static BatchSummaryJsonContext Relaxed { get; } = new(new JsonSerializerOptions
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
