namespace DurableGen.LocalService.Dispatch;

/// <summary>The outcome of a plain (not durable) invocation: the response body, or the function error body and
/// type.</summary>
internal sealed record PlainOutcome(byte[] Body, string? FunctionError);
