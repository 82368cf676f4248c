using System.Threading.Tasks;
using DurableGen.Analyzers.CodeFixes;
using Xunit;

namespace DurableGen.Analyzers.Tests;

public class WrapInStepCodeFixTests
{
    private static Task Verify(string source, string fixedSource) =>
        CodeFixVerifier<DeterminismAnalyzer, WrapInStepCodeFixProvider>.VerifyAsync(source, fixedSource);

    [Fact]
    public Task Value_is_read_in_a_step() => Verify("""
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                var id = {|DG2002:Guid.NewGuid()|};
                return id.ToString();
            }
        }
        """, """
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                var id = await context.StepAsync((_, _) => Task.FromResult(Guid.NewGuid()), "new-guid");
                return id.ToString();
            }
        }
        """);

    [Fact]
    public Task Member_access_on_the_value_keeps_parentheses() => Verify("""
        class W
        {
            public async Task<int> RunAsync(string input, IDurableContext context)
            {
                return {|DG2001:DateTime.UtcNow|}.Hour;
            }
        }
        """, """
        class W
        {
            public async Task<int> RunAsync(string input, IDurableContext context)
            {
                return (await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now")).Hour;
            }
        }
        """);

    [Fact]
    public Task Awaited_io_becomes_the_step_task() => Verify("""
        class W(System.Net.Http.HttpClient http)
        {
            public async Task<string> RunAsync(string input, IDurableContext ctx)
            {
                var text = await {|DG2003:http.GetStringAsync(input)|};
                return text;
            }
        }
        """, """
        class W(System.Net.Http.HttpClient http)
        {
            public async Task<string> RunAsync(string input, IDurableContext ctx)
            {
                var text = await ctx.StepAsync((_, _) => http.GetStringAsync(input), "get-string");
                return text;
            }
        }
        """);

    [Fact]
    public Task Void_call_becomes_a_statement_step() => Verify("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                {|DG2003:System.IO.File.WriteAllText("/tmp/out", input)|};
            }
        }
        """, """
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.StepAsync((_, _) => { System.IO.File.WriteAllText("/tmp/out", input); return Task.CompletedTask; }, "write-all-text");
            }
        }
        """);

    [Fact]
    public Task Transitive_call_into_a_helper_is_wrapped() =>
        CodeFixVerifier<DeterminismAnalyzer, WrapInStepCodeFixProvider>.VerifyAsync("""
        class W
        {
            public async Task<decimal> RunAsync(decimal amount, IDurableContext context)
            {
                var price = {|#0:PriceOrder(amount)|};
                return price;
            }

            private static decimal PriceOrder(decimal amount) => DateTime.UtcNow.Hour < 12 ? amount : amount * 2;
        }
        """, """
        class W
        {
            public async Task<decimal> RunAsync(decimal amount, IDurableContext context)
            {
                var price = await context.StepAsync((_, _) => Task.FromResult(PriceOrder(amount)), "price-order");
                return price;
            }

            private static decimal PriceOrder(decimal amount) => DateTime.UtcNow.Hour < 12 ? amount : amount * 2;
        }
        """, expected: AnalyzerVerifier<DeterminismAnalyzer>.Diagnostic("DG2001").WithLocation(0)
            .WithSpan("/0/Test0.cs", 16, 58, 16, 73)
            .WithArguments("DateTime.UtcNow", "RunAsync → PriceOrder → DateTime.UtcNow"));

    [Fact]
    public Task Workflow_lambda_is_the_context_source() => Verify("""
        class W
        {
            public Func<string, IDurableContext, Task<string>> Workflow => async (input, durable) => {|DG2004:Environment.GetEnvironmentVariable(input)|} ?? "";
        }
        """, """
        class W
        {
            public Func<string, IDurableContext, Task<string>> Workflow => async (input, durable) => await durable.StepAsync((_, _) => Task.FromResult(Environment.GetEnvironmentVariable(input)), "get-environment-variable") ?? "";
        }
        """);
}

public class DelayToWaitAsyncCodeFixTests
{
    private static Task Verify(string source, string fixedSource) =>
        CodeFixVerifier<DeterminismAnalyzer, DelayToWaitAsyncCodeFixProvider>.VerifyAsync(source, fixedSource);

    [Fact]
    public Task Delay_with_a_timespan_becomes_WaitAsync() => Verify("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await {|DG2005:Task.Delay(TimeSpan.FromMinutes(5))|};
            }
        }
        """, """
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.WaitAsync(TimeSpan.FromMinutes(5));
            }
        }
        """);

    [Fact]
    public Task Delay_in_milliseconds_with_a_token_keeps_both() => Verify("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context, CancellationToken ct)
            {
                await {|DG2005:Task.Delay(5000, ct)|};
            }
        }
        """, """
        class W
        {
            public async Task RunAsync(string input, IDurableContext context, CancellationToken ct)
            {
                await context.WaitAsync(TimeSpan.FromMilliseconds(5000), cancellationToken: ct);
            }
        }
        """);

    [Fact]
    public Task Sleep_becomes_an_awaited_wait() => Verify("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                {|DG2005:Thread.Sleep(TimeSpan.FromSeconds(30))|};
            }
        }
        """, """
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.WaitAsync(TimeSpan.FromSeconds(30));
            }
        }
        """);
}

public class WhenAllToParallelCodeFixTests
{
    [Fact]
    public Task WhenAll_statement_becomes_ParallelAsync_with_ThrowIfError() =>
        CodeFixVerifier<DurableStructureAnalyzer, WhenAllToParallelCodeFixProvider>.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await {|DG2012:Task.WhenAll(context.StepAsync((s, ct) => Task.FromResult(1), "a"), context.StepAsync((s, ct) => Task.FromResult(2), "b"))|};
            }
        }
        """, """
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                (await context.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<int>>[] { (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(1), "a"), (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(2), "b") })).ThrowIfError();
            }
        }
        """);

    [Fact]
    public Task WhenAll_value_becomes_GetResults() =>
        CodeFixVerifier<DurableStructureAnalyzer, WhenAllToParallelCodeFixProvider>.VerifyAsync("""
        class W
        {
            public async Task<int> RunAsync(string input, IDurableContext ctx)
            {
                var results = await {|DG2012:Task.WhenAll(ctx.StepAsync((s, ct) => Task.FromResult(1), "a"), ctx.StepAsync((s, ct) => Task.FromResult(2), "b"))|};
                return results.Sum();
            }
        }
        """, """
        class W
        {
            public async Task<int> RunAsync(string input, IDurableContext ctx)
            {
                var results = (await ctx.ParallelAsync(new Func<IDurableContext, CancellationToken, Task<int>>[] { (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(1), "a"), (branch, _) => branch.StepAsync((s, ct) => Task.FromResult(2), "b") })).GetResults();
                return results.Sum();
            }
        }
        """);
}

public class CallbackHandOffCodeFixTests
{
    private const string Approver = """
        public interface IApprover { Task AskAsync(string callbackId, string order); }

        """;

    [Fact]
    public Task Hand_off_is_wrapped_in_a_step() =>
        CodeFixVerifier<CallbackAnalyzer, CallbackHandOffCodeFixProvider>.VerifyAsync(Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await {|DG2020:approver.AskAsync(callback.CallbackId, order)|};
                return await callback.GetResultAsync();
            }
        }
        """, Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await context.StepAsync((_, _) => approver.AskAsync(callback.CallbackId, order), "ask");
                return await callback.GetResultAsync();
            }
        }
        """);

    [Fact]
    public Task Create_hand_off_and_await_become_WaitForCallbackAsync() =>
        CodeFixVerifier<CallbackAnalyzer, CallbackHandOffCodeFixProvider>.VerifyAsync(Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var callback = await context.CreateCallbackAsync<bool>("approval", new CallbackConfig { Timeout = TimeSpan.FromDays(1) });
                await {|DG2020:approver.AskAsync(callback.CallbackId, order)|};
                var approved = await callback.GetResultAsync();
                return approved;
            }
        }
        """, Approver + """
        class W(IApprover approver)
        {
            public async Task<bool> RunAsync(string order, IDurableContext context)
            {
                var approved = await context.WaitForCallbackAsync<bool>(async (callbackId, _, _) => await approver.AskAsync(callbackId, order), "approval", new WaitForCallbackConfig { Timeout = TimeSpan.FromDays(1) });
                return approved;
            }
        }
        """, codeActionIndex: 1);
}
