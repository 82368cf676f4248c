using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Http;

/// <summary>Writes AWS restJson1 error responses (protocol §1.6): header <c>x-amzn-ErrorType</c>, body
/// <see cref="AwsErrorBody"/>.</summary>
internal static class AwsErrors
{
    public static Task WriteAsync(HttpContext context, DurableServiceException error) =>
        WriteAsync(context, error.ErrorCode, error.StatusCode, error.Message);

    public static async Task WriteAsync(HttpContext context, string code, int status, string message)
    {
        var response = context.Response;
        response.StatusCode = status;
        response.Headers["x-amzn-ErrorType"] = code;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(AwsErrorBody.Serialize(code, status, message), context.RequestAborted).ConfigureAwait(false);
    }
}
