namespace DurableGen.LocalService;

/// <summary>AWS error codes the local service adds to <see cref="DurableGen.Protocol.ErrorCodes"/>.</summary>
public static class LocalErrorCodes
{
    /// <summary>415: the body has a content type the API does not read.</summary>
    public const string UnsupportedMediaType = "UnsupportedMediaTypeException";

    /// <summary>400: the Invoke payload is not JSON.</summary>
    public const string InvalidRequestContent = "InvalidRequestContentException";

    /// <summary>400: a <c>POST /v1/traces</c> body is not an OTLP <c>ExportTraceServiceRequest</c>.</summary>
    public const string InvalidTraceData = "InvalidTraceDataException";
}
