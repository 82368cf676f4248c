using System.IO;
using System.Text.Json;
using System.Text.Encodings.Web;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Http;

/// <summary>Writes AWS restJson1 error responses (protocol §1.6): header <c>x-amzn-ErrorType</c>, body
/// <c>{"__type","Type","message"}</c> (plus <c>Message</c> where the model spells it so).</summary>
internal static class AwsErrors
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteAsync(HttpContext context, DurableServiceException error) =>
        WriteAsync(context, error.ErrorCode, error.StatusCode, error.Message);

    public static async Task WriteAsync(HttpContext context, string code, int status, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers["x-amzn-ErrorType"] = code;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(Body(code, status, message), context.RequestAborted).ConfigureAwait(false);
    }

    public static byte[] Body(string code, int status, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", code);
            writer.WriteString("Type", status >= 500 ? "Service" : "User");
            writer.WriteString("message", message);
            if (MessageKey(code) == "Message")
            {
                writer.WriteString("Message", message); // the model's spelling for this error, for strict clients
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The model's spelling of the message member (§2.11).</summary>
    private static string MessageKey(string code) => code switch
    {
        ErrorCodes.CallbackTimeout or ErrorCodes.ResourceNotFound or ErrorCodes.DurableExecutionAlreadyStarted
            or ErrorCodes.Service => "Message",
        _ => "message",
    };
}
