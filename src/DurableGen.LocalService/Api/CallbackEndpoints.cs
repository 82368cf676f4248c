using System.Text;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Http;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>The callback APIs external systems call (protocol §2): <c>SendDurableExecutionCallbackSuccess</c>,
/// <c>…Failure</c>, <c>…Heartbeat</c>. Each answers <c>{}</c>.</summary>
internal sealed class CallbackEndpoints(LocalDurableService service)
{
    public async Task SuccessAsync(HttpContext context, string callbackId)
    {
        InputValidation.CallbackId(callbackId);
        var body = await HttpIo.ReadBodyAsync(context, HttpIo.MaxJsonBodyBytes).ConfigureAwait(false);
        string result;
        try
        {
            result = HttpIo.StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            throw DurableServiceException.InvalidParameter("Result must be UTF-8 text.");
        }

        service.Engine.SendCallbackSuccess(callbackId, body.Length == 0 ? null : result);
        await AnsweredAsync(context).ConfigureAwait(false);
    }

    public async Task FailureAsync(HttpContext context, string callbackId)
    {
        InputValidation.CallbackId(callbackId);
        var error = await HttpIo.ReadErrorBodyAsync(context).ConfigureAwait(false);
        service.Engine.SendCallbackFailure(callbackId, error);
        await AnsweredAsync(context).ConfigureAwait(false);
    }

    public async Task HeartbeatAsync(HttpContext context, string callbackId)
    {
        InputValidation.CallbackId(callbackId);
        await HttpIo.ReadBodyAsync(context, HttpIo.MaxJsonBodyBytes).ConfigureAwait(false);
        service.Engine.SendCallbackHeartbeat(callbackId);
        await AnsweredAsync(context).ConfigureAwait(false);
    }

    private Task AnsweredAsync(HttpContext context)
    {
        service.Signal();
        return HttpIo.WriteJsonAsync(context, "{}"u8.ToArray());
    }
}
