using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Http;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>The function-facing APIs (protocol §2): <c>CheckpointDurableExecution</c> and
/// <c>GetDurableExecutionState</c>.</summary>
internal sealed class CheckpointEndpoints(LocalDurableService service)
{
    public async Task CheckpointAsync(HttpContext context, string arn)
    {
        InputValidation.ExecutionArn(arn);
        var body = await HttpIo.ReadJsonBodyAsync(context).ConfigureAwait(false);
        var request = (body.Length == 0 ? null : JsonSerializer.Deserialize(body, ProtocolJson.Rest.CheckpointDurableExecutionRequest))
                      ?? throw DurableServiceException.InvalidParameter("CheckpointToken is required.");
        if (string.IsNullOrEmpty(request.CheckpointToken))
        {
            throw DurableServiceException.InvalidParameter("CheckpointToken is required.");
        }

        request.DurableExecutionArn = arn;
        var response = await service.Engine.CheckpointAsync(request).ConfigureAwait(false);
        service.SignalIfSchedulingChanged();
        await HttpIo.WriteJsonAsync(context, response, ProtocolJson.Rest.CheckpointDurableExecutionResponse).ConfigureAwait(false);
    }

    public Task GetStateAsync(HttpContext context, string arn, Query query)
    {
        InputValidation.ExecutionArn(arn);
        var token = query.Get("CheckpointToken");
        if (string.IsNullOrEmpty(token))
        {
            throw DurableServiceException.InvalidParameter("CheckpointToken is required.");
        }

        var response = service.Engine.GetExecutionState(new GetDurableExecutionStateRequest
        {
            DurableExecutionArn = arn,
            CheckpointToken = token,
            Marker = query.Get("Marker"),
            MaxItems = query.Int("MaxItems"),
        });
        return HttpIo.WriteJsonAsync(context, response, ProtocolJson.Rest.GetDurableExecutionStateResponse);
    }
}
