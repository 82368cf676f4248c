using System;
using System.Buffers;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Http;

/// <summary>
/// Reading and writing of every endpoint: bodies read up to the API's limit with the AWS error past it, JSON bodies
/// checked for their content type, JSON answers written through source-generated metadata, and Lambda's
/// function-error body. The service's own limits, because Kestrel's are turned off.
/// </summary>
internal static class HttpIo
{
    /// <summary>The largest JSON body a durable REST API reads.</summary>
    public const int MaxJsonBodyBytes = 16 * 1024 * 1024;

    /// <summary>The largest payload of a synchronous Invoke.</summary>
    public const int MaxSyncInvokeBytes = 6 * 1024 * 1024;

    /// <summary>The largest payload of an <c>Event</c> Invoke.</summary>
    public const int MaxEventInvokeBytes = 1024 * 1024;

    /// <summary>The largest response or error a function posts to the Runtime API.</summary>
    public const int MaxRuntimeResponseBytes = 6 * 1024 * 1024 + 100;

    /// <summary>Bodies up to this declared length are read into an array of exactly that size.</summary>
    private const int ExactReadBytes = 1024 * 1024;

    /// <summary>UTF-8 that throws on invalid bytes, for bodies that must be text.</summary>
    public static readonly UTF8Encoding StrictUtf8 = new(false, true);

    /// <summary>Reads a body that must be JSON: refuses any other content type, and none, with 415. AWS clients always
    /// label these bodies (even an empty <c>{}</c>), and a request without a type is one a web page can send
    /// cross-origin without a preflight.</summary>
    public static async Task<byte[]> ReadJsonBodyAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        var media = contentType.Split(';')[0].Trim();
        if (!media.Equals("application/json", StringComparison.OrdinalIgnoreCase)
            && !media.StartsWith("application/x-amz-json", StringComparison.OrdinalIgnoreCase))
        {
            throw new DurableServiceException(LocalErrorCodes.UnsupportedMediaType, 415, contentType.Length == 0
                ? "This API takes a JSON body: send Content-Type: application/json."
                : $"The content type '{(contentType.Length <= 80 ? contentType : contentType[..80] + "…")}' is not supported; send application/json.");
        }

        return await ReadBodyAsync(context, MaxJsonBodyBytes).ConfigureAwait(false);
    }

    /// <summary>Reads an <see cref="ErrorObject"/> body; an empty body or an object with no member is no error.</summary>
    public static async Task<ErrorObject?> ReadErrorBodyAsync(HttpContext context)
    {
        var body = await ReadJsonBodyAsync(context).ConfigureAwait(false);
        if (body.Length == 0)
        {
            return null;
        }

        // An error with no member set is the engine's to normalise (InputValidation.NormalizeError), for every host.
        return JsonSerializer.Deserialize(body, ProtocolJson.Rest.ErrorObject);
    }

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; past it, throws the given AWS error (413).</summary>
    public static async Task<byte[]> ReadBodyAsync(HttpContext context, int limit, string tooLargeCode = ErrorCodes.RequestTooLarge) =>
        await TryReadBodyAsync(context, limit).ConfigureAwait(false)
        ?? throw new DurableServiceException(tooLargeCode, 413, $"Request must be smaller than {limit} bytes for this operation.");

    /// <summary>Reads the body up to <paramref name="limit"/> bytes; null past it (refused on its Content-Length before
    /// anything is read), for a caller that answers in its own API's terms.</summary>
    /// <remarks>Every AWS client sends a Content-Length: the body is read into an array of that size and nothing else.
    /// (A fresh 80 KB chunk per request was three quarters of everything the service allocated per execution.) A
    /// chunked body is read through a pooled chunk.</remarks>
    public static async Task<byte[]?> TryReadBodyAsync(HttpContext context, int limit)
    {
        if (context.Request.ContentLength > limit)
        {
            return null;
        }

        // A large declared length is read as it arrives rather than allocated before a byte did.
        if (context.Request.ContentLength is { } declared and <= ExactReadBytes)
        {
            var body = new byte[declared];
            // A body shorter than its Content-Length ends in an IOException (EndOfStreamException), as before.
            await context.Request.Body.ReadExactlyAsync(body, context.RequestAborted).ConfigureAwait(false);
            return body;
        }

        using var buffer = new MemoryStream();
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await context.Request.Body.ReadAsync(chunk, context.RequestAborted).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }

        return buffer.ToArray();
    }

    /// <summary>Answers 200 with <paramref name="value"/> serialized by <paramref name="typeInfo"/>.</summary>
    public static Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo) =>
        WriteJsonAsync(context, JsonSerializer.SerializeToUtf8Bytes(value, typeInfo));

    /// <summary>Answers 200 with a JSON body already encoded.</summary>
    public static async Task WriteJsonAsync(HttpContext context, byte[] body)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Lambda's function-error body, <c>{"errorMessage","errorType"}</c>, as Invoke answers it and the
    /// Runtime API refuses a request.</summary>
    public static byte[] LambdaErrorBody(string errorType, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("errorMessage", message);
            writer.WriteString("errorType", errorType);
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }
}
