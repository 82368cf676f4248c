using System.Threading.Tasks;
using Xunit;
using Verify = DurableGen.Analyzers.Tests.AnalyzerVerifier<DurableGen.Analyzers.CallbackAnalyzer>;

namespace DurableGen.Analyzers.Tests;

public class CallbackAnalyzerTests
{
    private const string Approver = """
        public interface IApprover { Task AskAsync(string callbackId, CancellationToken cancellationToken = default); }
        public record Request(string CallbackId, string Order);
        public interface IQueue { Task SendAsync(Request request); }

        """;

    [Fact]
    public Task Callback_id_handed_out_outside_a_step_is_reported() => Verify.VerifyAsync(Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await {|#0:approver.AskAsync(callback.CallbackId)|};
                return await callback.GetResultAsync();
            }
        }
        """, Verify.Diagnostic("DG2020").WithLocation(0)
            .WithArguments("IApprover.AskAsync", "callback.CallbackId", "RunAsync → IApprover.AskAsync"));

    [Fact]
    public Task Id_flowing_through_locals_records_and_http_is_reported() => Verify.VerifyAsync(Approver + """
        class W(IQueue queue, System.Net.Http.HttpClient http)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { HeartbeatTimeout = TimeSpan.FromHours(1) });
                var id = callback.CallbackId;
                var request = new Request(id, order);
                await {|DG2020:queue.SendAsync(request)|};
                await {|DG2020:http.PostAsync($"https://approvals/{id}", null)|};
                return await callback.GetResultAsync();
            }
        }
        """);

    [Fact]
    public Task Submitter_id_escaping_the_submitter_is_reported() => Verify.VerifyAsync(Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                string? escaped = null;
                var approved = await context.WaitForCallbackAsync<bool>((id, submit, ct) =>
                {
                    escaped = id;
                    return approver.AskAsync(id, ct);
                }, "approval", new WaitForCallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await {|DG2020:approver.AskAsync(escaped!)|};
                return approved;
            }
        }
        """);

    [Fact]
    public Task Id_escaping_a_submitter_that_a_helper_forwards_is_reported() => Verify.VerifyAsync(Approver + DeterminismAnalyzerTests.TypedCallback + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var seen = "";
                var approved = await ManagerApproval.WaitAsync(context, async (id, ct) =>
                {
                    await approver.AskAsync(id, ct);
                    seen = id;
                });
                await {|DG2020:approver.AskAsync(seen)|};
                return approved;
            }
        }
        """);

    [Fact]
    public Task Passing_the_callback_to_an_unknown_helper_is_reported() => Verify.VerifyAsync(Approver + """
        static class Notify { public static Task SendAsync<T>(ICallback<T> callback, IApprover approver) => approver.AskAsync(callback.CallbackId); }
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await {|DG2020:Notify.SendAsync(callback, approver)|};
                return await callback.GetResultAsync();
            }
        }
        """);

    [Fact]
    public Task Hand_off_inside_a_step_and_in_the_submitter_is_not_reported() => Verify.VerifyAsync(Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await context.StepAsync((step, ct) => approver.AskAsync(callback.CallbackId, ct), "ask");
                context.Logger.LogInformation("Waiting for {CallbackId}", callback.CallbackId);
                var label = Label(callback.CallbackId).ToUpperInvariant();
                var first = await callback.GetResultAsync();
                var second = await context.WaitForCallbackAsync<bool>((id, submit, ct) => approver.AskAsync(id, ct), "again",
                    new WaitForCallbackConfig { Timeout = TimeSpan.FromDays(1) });
                return first && second && label.Length > 0;
            }

            private static string Label(string id) => "cb-" + id.Trim();
        }
        """);

    [Fact]
    public Task Callback_ids_stored_in_static_state_are_reported() => Verify.VerifyAsync("""
        using System.Collections.Concurrent;

        class W
        {
            private static string? s_lastId;
            private static readonly List<string> Pending = new();
            private static readonly ConcurrentDictionary<string, string> ByOrder = new();

            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                {|#0:s_lastId = callback.CallbackId|};
                var id = callback.CallbackId;
                {|DG2020:Pending.Add(id)|};
                {|DG2020:ByOrder[order] = id|};
                {|DG2020:ByOrder.TryAdd(order, callback.CallbackId)|};
                return await callback.GetResultAsync();
            }
        }
        """, Verify.Diagnostic("DG2020").WithLocation(0).WithArguments("W.s_lastId", "callback.CallbackId", "RunAsync → W.s_lastId"));

    [Fact]
    public Task Callback_ids_stored_in_static_state_inside_a_step_or_in_locals_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            private static readonly List<string> Pending = new();
            private string? _lastId;

            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                var mine = new List<string> { callback.CallbackId };
                _lastId = callback.CallbackId;
                await context.StepAsync((step, ct) => { Pending.Add(callback.CallbackId); return Task.CompletedTask; }, "remember");
                var second = await context.WaitForCallbackAsync<bool>((id, submit, ct) => { Pending.Add(id); return Task.CompletedTask; }, "again",
                    new WaitForCallbackConfig { Timeout = TimeSpan.FromDays(1) });
                return await callback.GetResultAsync() && second && mine.Count > 0;
            }
        }
        """);

    [Fact]
    public Task Results_of_callbacks_are_not_ids() => Verify.VerifyAsync(Approver + """
        class W(IApprover approver)
        {
            public async Task RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<string>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await context.StepAsync((step, ct) => approver.AskAsync(callback.CallbackId, ct), "ask");
                var answer = await callback.GetResultAsync();
                await approver.AskAsync(answer);
            }
        }
        """);

    // ---- DG2021 ----

    [Fact]
    public Task Callbacks_without_timeouts_are_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                var a = await context.{|#0:CreateCallbackAsync|}<string>("a");
                var b = await context.{|DG2021:CreateCallbackAsync|}<string>("b", new CallbackConfig());
                var c = await context.{|DG2021:CreateCallbackAsync|}<string>("c", null);
                await context.{|DG2021:WaitForCallbackAsync|}<string>((id, s, ct) => Task.CompletedTask, "d",
                    new WaitForCallbackConfig { RetryStrategy = RetryStrategy.None });
                await context.StepAsync((s, ct) => Task.FromResult(a.CallbackId + b.CallbackId + c.CallbackId), "ids");
            }
        }
        """, Verify.Diagnostic("DG2021").WithLocation(0).WithArguments("CreateCallbackAsync"));

    [Fact]
    public Task Callbacks_with_a_timeout_or_heartbeat_or_a_config_variable_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context, CallbackConfig shared)
            {
                await context.CreateCallbackAsync<string>("a", new CallbackConfig { Timeout = TimeSpan.FromHours(1) });
                await context.CreateCallbackAsync<string>("b", new CallbackConfig { HeartbeatTimeout = TimeSpan.FromHours(1) });
                await context.CreateCallbackAsync<string>("c", shared);
            }
        }
        """);
}
