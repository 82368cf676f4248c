using System.IO;
using System.Text.Encodings.Web;
using System.Text.Json;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>
/// The body of an AWS restJson1 error response (protocol §1.6) as the durable execution service sends it:
/// <c>{"__type","Type","message"}</c>, plus <c>Message</c> for the errors whose model spells the member so (§2.11), so a
/// strict client generated from the model finds it. One writer for every host of the engine: the local service and the
/// host kit's in-process HTTP handler answered the same error with different bodies.
/// </summary>
public static class AwsErrorBody
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The UTF-8 JSON body of an error <paramref name="code"/> answered with <paramref name="statusCode"/>.</summary>
    public static byte[] Serialize(string code, int statusCode, string message)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            writer.WriteStartObject();
            writer.WriteString("__type", code);
            writer.WriteString("Type", statusCode >= 500 ? "Service" : "User");
            writer.WriteString("message", message);
            if (ModelSpellsMessageCapitalized(code))
            {
                writer.WriteString("Message", message);
            }

            writer.WriteEndObject();
        }

        return buffer.ToArray();
    }

    /// <summary>The body of <paramref name="error"/>.</summary>
    public static byte[] Serialize(DurableServiceException error) =>
        Serialize(error.ErrorCode, error.StatusCode, error.Message);

    private static bool ModelSpellsMessageCapitalized(string code) => code is ErrorCodes.CallbackTimeout
        or ErrorCodes.ResourceNotFound or ErrorCodes.DurableExecutionAlreadyStarted or ErrorCodes.Service;
}
