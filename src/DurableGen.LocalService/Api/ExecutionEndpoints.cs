using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>Durable execution management (protocol §2): <c>GetDurableExecution</c>, <c>GetDurableExecutionHistory</c>,
/// <c>ListDurableExecutionsByFunction</c>, <c>StopDurableExecution</c>.</summary>
internal sealed class ExecutionEndpoints(LocalDurableService service, InvocationDispatcher dispatcher)
{
    private DurableExecutionEngine Engine => service.Engine;

    public async Task GetExecutionAsync(HttpContext context, string arn, Query query)
    {
        InputValidation.ExecutionArn(arn);
        var include = query.Bool("IncludeExecutionData") ?? true;
        var response = await Engine.GetExecutionAsync(arn, include).ConfigureAwait(false);
        response.ExecutionDataIncluded = include;
        await HttpIo.WriteJsonAsync(context, response, ProtocolJson.Rest.GetDurableExecutionResponse).ConfigureAwait(false);
    }

    public Task GetHistoryAsync(HttpContext context, string arn, Query query)
    {
        InputValidation.ExecutionArn(arn);
        var response = Engine.GetExecutionHistory(arn, query.Get("Marker"), query.Int("MaxItems"),
            query.Bool("ReverseOrder") ?? false, query.Bool("IncludeExecutionData") ?? true);
        return HttpIo.WriteJsonAsync(context, response, ProtocolJson.Rest.GetDurableExecutionHistoryResponse);
    }

    public Task ListExecutionsAsync(HttpContext context, string functionName, Query query)
    {
        var statuses = query.All("Statuses").Select(AwsParameters.ParseStatus).ToList();
        var result = Engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest
        {
            FunctionName = functionName,
            Qualifier = query.Get("Qualifier"),
            DurableExecutionName = query.Get("DurableExecutionName"),
            Statuses = query.Has("Statuses") ? statuses : null,
            StartedAfter = query.Timestamp("StartedAfter"),
            StartedBefore = query.Timestamp("StartedBefore"),
            ReverseOrder = query.Bool("ReverseOrder") ?? false,
            Marker = query.Get("Marker"),
            MaxItems = query.Int("MaxItems"),
        });

        // After the members are validated, as AWS does: a function the service does not know has no executions to
        // list, and AWS says so rather than answering an empty page.
        var (name, _) = FunctionNames.Parse(functionName);
        if (dispatcher.Find(name) is null)
        {
            throw DurableServiceException.NotFound($"Function not found: {FunctionNames.FunctionArn(Engine.Options, name, "$LATEST")}");
        }

        return HttpIo.WriteJsonAsync(context, new ListDurableExecutionsByFunctionResponse
        {
            DurableExecutions = result.DurableExecutions.Select(e => new DurableExecutionSummary
            {
                DurableExecutionArn = e.DurableExecutionArn,
                DurableExecutionName = e.DurableExecutionName,
                FunctionArn = e.FunctionArn,
                Status = e.Status,
                StartTimestamp = e.StartTimestamp,
                EndTimestamp = e.EndTimestamp,
            }).ToList(),
            NextMarker = result.NextMarker,
        }, ProtocolJson.Rest.ListDurableExecutionsByFunctionResponse);
    }

    public async Task StopAsync(HttpContext context, string arn)
    {
        InputValidation.ExecutionArn(arn);
        var error = await HttpIo.ReadErrorBodyAsync(context).ConfigureAwait(false);
        var stopped = Engine.StopExecution(arn, error);
        service.Signal();
        await HttpIo.WriteJsonAsync(context, new StopDurableExecutionResponse { StopTimestamp = stopped },
            ProtocolJson.Rest.StopDurableExecutionResponse).ConfigureAwait(false);
    }
}
