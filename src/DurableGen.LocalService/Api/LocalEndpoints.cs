using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Dashboard;
using DurableGen.LocalService.Dispatch;
using DurableGen.LocalService.Http;
using DurableGen.LocalService.Sandboxes;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>The service's own JSON for the dashboard (not AWS APIs): <c>/local/functions</c> (functions, sandboxes,
/// queues), <c>/local/executions</c> (every function's executions), an execution's timeline, the pending callbacks,
/// and the change stream.</summary>
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

    /// <summary>Executions of every function, newest first, filtered by <c>FunctionName</c>, <c>Status</c> and
    /// <c>Search</c> (part of the ARN or name, any case), one <c>Page</c> (1-based) of <c>PageSize</c> (50 unless
    /// given, at most 1000); <c>Counts</c> per status are of the executions the function and search filters keep.</summary>
    /// <remarks>The page reads on every change, so it is one pass over the executions: each function's list comes
    /// newest first from the engine and is merged, not sorted, and only the page becomes <see cref="LocalExecution"/>s.</remarks>
    public Task ExecutionsAsync(HttpContext context, Query query)
    {
        var filter = query.Get("FunctionName");
        var status = query.Get("Status");
        var search = query.Get("Search");
        var pageSize = Math.Clamp(query.Int("PageSize") ?? 50, 1, 1000);
        var page = Math.Max(1, query.Int("Page") ?? 1);
        var lists = new List<(string Function, IReadOnlyList<ExecutionSummary> Executions)>();
        foreach (var name in dispatcher.Names)
        {
            if (filter is null || filter.Length == 0 || filter == name)
            {
                lists.Add((name, service.Engine.ListExecutions(name)));
            }
        }

        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        var shown = new List<LocalExecution>(pageSize);
        var total = 0;
        var skip = (long)(page - 1) * pageSize;
        foreach (var (function, e) in NewestFirst(lists))
        {
            if (!string.IsNullOrEmpty(search)
                && !e.DurableExecutionArn.Contains(search, StringComparison.OrdinalIgnoreCase)
                && !e.DurableExecutionName.Contains(search, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var wire = Wire(e.Status);
            counts[wire] = counts.GetValueOrDefault(wire) + 1;
            if (!string.IsNullOrEmpty(status) && wire != status)
            {
                continue;
            }

            if (total++ >= skip && shown.Count < pageSize)
            {
                shown.Add(new LocalExecution
                {
                    DurableExecutionArn = e.DurableExecutionArn,
                    DurableExecutionName = e.DurableExecutionName,
                    FunctionArn = e.FunctionArn,
                    FunctionName = function,
                    Status = e.Status,
                    StartTimestamp = e.StartTimestamp,
                    EndTimestamp = e.EndTimestamp,
                });
            }
        }

        return HttpIo.WriteJsonAsync(context,
            new LocalExecutionList { DurableExecutions = shown, Total = total, Page = page, PageSize = pageSize, Counts = counts },
            LocalJsonContext.Rest.LocalExecutionList);
    }

    /// <summary>Merges lists that are each newest first into one, newest first; a tie goes to the earlier list, as a
    /// stable sort of the lists one after another would order it.</summary>
    private static IEnumerable<(string Function, ExecutionSummary Execution)> NewestFirst(
        List<(string Function, IReadOnlyList<ExecutionSummary> Executions)> lists)
    {
        var next = new int[lists.Count];
        while (true)
        {
            var best = -1;
            for (var i = 0; i < lists.Count; i++)
            {
                if (next[i] < lists[i].Executions.Count
                    && (best < 0 || lists[i].Executions[next[i]].StartTimestamp > lists[best].Executions[next[best]].StartTimestamp))
                {
                    best = i;
                }
            }

            if (best < 0)
            {
                yield break;
            }

            yield return (lists[best].Function, lists[best].Executions[next[best]++]);
        }
    }

    /// <summary><c>/local/executions/{arn}/timeline</c>: the execution page's layout and data.</summary>
    public Task TimelineAsync(HttpContext context, string durableExecutionArn) =>
        HttpIo.WriteJsonAsync(context, TimelineBuilder.Build(service.Engine, durableExecutionArn), LocalJsonContext.Rest.TimelineView);

    /// <summary><c>/local/callbacks</c>: the callbacks that running executions wait on, with their deadlines.</summary>
    public Task CallbacksAsync(HttpContext context)
    {
        var callbacks = new List<PendingCallback>();
        foreach (var name in dispatcher.Names)
        {
            foreach (var execution in service.Engine.ListExecutions(name, statuses: [ExecutionStatus.Running]))
            {
                ExecutionSnapshot snapshot;
                try
                {
                    snapshot = service.Engine.GetSnapshot(execution.DurableExecutionArn, includeHistory: false);
                }
                catch (DurableServiceException)
                {
                    continue; // gone since it was listed
                }

                foreach (var deadlines in snapshot.Callbacks)
                {
                    var operation = snapshot.Operations.First(o => o.Id == deadlines.OperationId);
                    callbacks.Add(new PendingCallback
                    {
                        DurableExecutionArn = execution.DurableExecutionArn,
                        DurableExecutionName = execution.DurableExecutionName,
                        FunctionName = name,
                        OperationId = operation.Id,
                        Name = operation.Name,
                        CallbackId = operation.CallbackDetails?.CallbackId ?? "",
                        StartTimestamp = operation.StartTimestamp,
                        TimeoutAt = deadlines.TimeoutAt,
                        HeartbeatTimeoutAt = deadlines.HeartbeatTimeoutAt,
                        HeartbeatTimeoutSeconds = deadlines.HeartbeatTimeoutSeconds,
                    });
                }
            }
        }

        return HttpIo.WriteJsonAsync(context,
            new PendingCallbackList
            {
                Now = service.Engine.Clock.GetUtcNow(),
                Callbacks = callbacks.OrderBy(c => c.StartTimestamp ?? DateTimeOffset.MaxValue).ToList(),
            },
            LocalJsonContext.Rest.PendingCallbackList);
    }

    /// <summary><c>/local/events</c>: a change notice per engine change (server-sent events).</summary>
    public Task EventsAsync(HttpContext context) => ChangeStream.ServeAsync(context, service);

    private static string Wire(ExecutionStatus status) => status switch
    {
        ExecutionStatus.Running => "RUNNING",
        ExecutionStatus.Succeeded => "SUCCEEDED",
        ExecutionStatus.Failed => "FAILED",
        ExecutionStatus.TimedOut => "TIMED_OUT",
        ExecutionStatus.Stopped => "STOPPED",
        _ => status.ToString().ToUpperInvariant(),
    };
}
