namespace DurableGen.LocalService.Traces;

/// <summary>One attribute of a span or of its resource, its value rendered as text (OTLP's <c>AnyValue</c>: strings as
/// they are, numbers and booleans invariant, arrays and maps JSON-like, bytes base64).</summary>
internal sealed class SpanAttribute
{
    public required string Key { get; init; }

    public required string Value { get; init; }
}
