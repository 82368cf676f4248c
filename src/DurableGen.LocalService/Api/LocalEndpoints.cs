using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.LocalService.Sandboxes;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>The service's own JSON for the dashboard (not AWS APIs): <c>/local/functions</c> (functions, sandboxes,
/// queues) and <c>/local/executions</c> (every function's executions).</summary>
internal sealed class LocalEndpoints(LocalDurableService service, LocalServiceOptions options, InvocationDispatcher dispatcher,
    SandboxSupervisor sandboxes)
{
    public Task FunctionsAsync(HttpContext context)
    {
        var functions = dispatcher.Functions.OrderBy(f => f.Name, StringComparer.Ordinal).Select(function => new LocalFunction
        {
            Name = function.Name,
            FunctionArn = function.FunctionArn,
            Durable = function.Definition.Durable,
            Configured = options.Functions.Any(f => f.Name == function.Name),
            RuntimeApi = sandboxes.RuntimeApiFor(function.Name),
            Concurrency = function.Definition.Concurrency,
            ProcessStarts = function.Processes.Count > 0 ? function.Processes.Sum(p => p.Starts) : null,
            Sandboxes = function.Processes.Count > 0
                ? function.Processes.Select(process => new LocalSandbox
                {
                    Sandbox = process.Sandbox,
                    Starts = process.Starts,
                    ProcessId = process.ProcessId,
                    RuntimeApi = process.RuntimeApi,
                    Stopped = process.Stopped?.Message,
                }).ToList()
                : null,
            Queued = function.QueueLength,
            InFlight = function.InFlightCount,
            InitError = function.InitError,
        }).ToList();
        return HttpIo.WriteJsonAsync(context, functions, LocalJsonContext.Rest.IReadOnlyListLocalFunction);
    }

    public Task ExecutionsAsync(HttpContext context, Query query)
    {
        var filter = query.Get("FunctionName");
        var all = new List<LocalExecution>();
        foreach (var name in dispatcher.Names)
        {
            if (filter is null || filter == name)
            {
                all.AddRange(service.Engine.ListExecutions(name).Select(e => new LocalExecution
                {
                    DurableExecutionArn = e.DurableExecutionArn,
                    DurableExecutionName = e.DurableExecutionName,
                    FunctionArn = e.FunctionArn,
                    FunctionName = name,
                    Status = e.Status,
                    StartTimestamp = e.StartTimestamp,
                    EndTimestamp = e.EndTimestamp,
                }));
            }
        }

        return HttpIo.WriteJsonAsync(context,
            new LocalExecutionList { DurableExecutions = all.OrderByDescending(e => e.StartTimestamp).ToList() },
            LocalJsonContext.Rest.LocalExecutionList);
    }
}
