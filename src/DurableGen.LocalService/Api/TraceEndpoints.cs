using System;
using System.IO;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.LocalService.Http;
using DurableGen.LocalService.Traces;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>
/// The service as an OTLP/HTTP trace receiver (<c>POST /v1/traces</c>, OTLP specification "OTLP/HTTP"), so function
/// processes export to it with the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, and an execution's trace for the
/// dashboard's waterfall (<c>GET /local/executions/{arn}/trace</c>). Answers as OTLP says: 200 with an
/// <c>ExportTraceServiceResponse</c> (empty, or with <c>partial_success</c> when spans were refused) in the request's
/// encoding; 400 with a <c>google.rpc.Status</c> for a body that does not decode; 415 for another content type; 413
/// past <see cref="MaxBodyBytes"/>. Error answers also carry <c>x-amzn-ErrorType</c>, as the service's other errors do.
/// </summary>
internal sealed class TraceEndpoints(LocalDurableService service, TraceStore store)
{
    /// <summary>The largest request body read (after gzip decoding).</summary>
    public const int MaxBodyBytes = 16 * 1024 * 1024;

    private const string Protobuf = "application/x-protobuf";
    private const string Json = "application/json";

    public async Task ExportAsync(HttpContext context)
    {
        var contentType = context.Request.ContentType ?? "";
        var media = contentType.Split(';')[0].Trim();
        bool json;
        if (media.Equals(Protobuf, StringComparison.OrdinalIgnoreCase))
        {
            json = false;
        }
        else if (media.Equals(Json, StringComparison.OrdinalIgnoreCase))
        {
            json = true;
        }
        else
        {
            // No preflight-free type (text/plain, forms) is accepted, so a web page cannot post traces cross-origin.
            await FailAsync(context, json: true, 415, LocalErrorCodes.UnsupportedMediaType,
                $"POST /v1/traces takes {Protobuf} or {Json}, not '{(contentType.Length == 0 ? "(none)" : Truncate(contentType))}'.").ConfigureAwait(false);
            return;
        }

        var body = await HttpIo.TryReadBodyAsync(context, MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            await FailAsync(context, json, 413, Protocol.ErrorCodes.RequestTooLarge,
                $"The request body is larger than {MaxBodyBytes} bytes.").ConfigureAwait(false);
            return;
        }

        OtlpBatch batch;
        try
        {
            var encoding = context.Request.Headers.ContentEncoding.ToString();
            if (encoding.Equals("gzip", StringComparison.OrdinalIgnoreCase))
            {
                body = Gunzip(body);
            }
            else if (encoding.Length > 0 && !encoding.Equals("identity", StringComparison.OrdinalIgnoreCase))
            {
                await FailAsync(context, json, 415, LocalErrorCodes.UnsupportedMediaType,
                    $"The content encoding '{Truncate(encoding)}' is not supported; send gzip or none.").ConfigureAwait(false);
                return;
            }

            batch = json ? OtlpJsonReader.Read(body) : OtlpProtobufReader.Read(body);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or FormatException)
        {
            await FailAsync(context, json, 400, LocalErrorCodes.InvalidTraceData,
                "The body is not an OTLP ExportTraceServiceRequest: " + ex.Message).ConfigureAwait(false);
            return;
        }

        var refused = batch.Spans.Count > 0 ? store.Add(batch.Spans) : 0;
        if (refused > 0)
        {
            batch.RejectReason ??= $"A trace keeps at most {TraceStore.MaxSpansPerTrace} spans.";
        }

        if (batch.Spans.Count > refused)
        {
            service.NotifyTracesChanged();
        }

        var rejected = batch.Rejected + refused;
        context.Response.StatusCode = 200;
        context.Response.ContentType = json ? Json : Protobuf;
        var answer = json ? JsonResponse(rejected, batch.RejectReason) : ProtobufResponse(rejected, batch.RejectReason);
        context.Response.ContentLength = answer.Length;
        await context.Response.Body.WriteAsync(answer, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary><c>/local/executions/{arn}/trace</c>: the execution's spans laid out as a waterfall.</summary>
    public Task TraceAsync(HttpContext context, string durableExecutionArn) =>
        HttpIo.WriteJsonAsync(context, TraceView.For(durableExecutionArn, store.ForExecution(durableExecutionArn)),
            LocalJsonContext.Rest.TraceView);

    private static byte[] Gunzip(byte[] body)
    {
        using var input = new GZipStream(new MemoryStream(body), CompressionMode.Decompress);
        using var output = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = input.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (output.Length + read > MaxBodyBytes)
            {
                throw new InvalidDataException($"The decompressed body is larger than {MaxBodyBytes} bytes.");
            }

            output.Write(chunk, 0, read);
        }

        return output.ToArray();
    }

    /// <summary>ExportTraceServiceResponse { ExportTracePartialSuccess partial_success = 1 { int64 rejected_spans = 1;
    /// string error_message = 2; } }: empty when everything was kept.</summary>
    private static byte[] ProtobufResponse(long rejected, string? reason)
    {
        if (rejected == 0)
        {
            return [];
        }

        var inner = new MemoryStream();
        inner.WriteByte(0x08); // field 1, varint
        WriteVarint(inner, (ulong)rejected);
        WriteString(inner, 2, reason ?? "");
        var outer = new MemoryStream();
        outer.WriteByte(0x0A); // field 1, length-delimited
        WriteVarint(outer, (ulong)inner.Length);
        inner.WriteTo(outer);
        return outer.ToArray();
    }

    private static byte[] JsonResponse(long rejected, string? reason)
    {
        if (rejected == 0)
        {
            return "{}"u8.ToArray();
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("partialSuccess");
            writer.WriteString("rejectedSpans", rejected.ToString(System.Globalization.CultureInfo.InvariantCulture));
            writer.WriteString("errorMessage", reason ?? "");
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>An error answer: google.rpc.Status { int32 code = 1; string message = 2; } with code 3
    /// (INVALID_ARGUMENT), in the request's encoding.</summary>
    private static async Task FailAsync(HttpContext context, bool json, int status, string errorType, string message)
    {
        byte[] body;
        if (json)
        {
            using var buffer = new MemoryStream();
            using (var writer = new Utf8JsonWriter(buffer))
            {
                writer.WriteStartObject();
                writer.WriteNumber("code", 3);
                writer.WriteString("message", message);
                writer.WriteEndObject();
            }

            body = buffer.ToArray();
        }
        else
        {
            using var buffer = new MemoryStream();
            buffer.WriteByte(0x08);
            WriteVarint(buffer, 3);
            WriteString(buffer, 2, message);
            body = buffer.ToArray();
        }

        context.Response.StatusCode = status;
        context.Response.Headers["x-amzn-ErrorType"] = errorType;
        context.Response.ContentType = json ? Json : Protobuf;
        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted).ConfigureAwait(false);
    }

    private static void WriteString(MemoryStream stream, int field, string value)
    {
        var bytes = Encoding.UTF8.GetBytes(value);
        stream.WriteByte((byte)(field << 3 | 2));
        WriteVarint(stream, (ulong)bytes.Length);
        stream.Write(bytes);
    }

    private static void WriteVarint(MemoryStream stream, ulong value)
    {
        while (value >= 0x80)
        {
            stream.WriteByte((byte)(value | 0x80));
            value >>= 7;
        }

        stream.WriteByte((byte)value);
    }

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
