using System.Threading.Tasks;
using Xunit;
using Verify = DurableGen.Analyzers.Tests.AnalyzerVerifier<DurableGen.Analyzers.DurableStructureAnalyzer>;

namespace DurableGen.Analyzers.Tests;

public class StructureAnalyzerTests
{
    // ---- DG2010 nested durable operations ----

    [Fact]
    public Task Durable_operation_on_the_captured_context_inside_a_step_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.StepAsync(async (step, ct) =>
                {
                    await context.{|#0:WaitAsync|}(TimeSpan.FromSeconds(1));
                    await context.{|DG2010:StepAsync|}((s, c) => Task.FromResult(1), "inner");
                }, "outer");
            }
        }
        """, Verify.Diagnostic("DG2010").WithLocation(0).WithArguments("WaitAsync", "context"));

    [Fact]
    public Task Passing_the_outer_context_to_a_helper_from_a_step_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public Task RunAsync(string input, IDurableContext context) =>
                context.StepAsync((step, ct) => {|DG2010:Helper|}(context), "outer");

            private static Task Helper(IDurableContext context) => context.WaitAsync(TimeSpan.FromSeconds(1));
        }
        """);

    [Fact]
    public Task Durable_operation_inside_a_submitter_or_condition_check_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public Task<string> RunAsync(string input, IDurableContext context) =>
                context.WaitForCallbackAsync<string>(async (id, submit, ct) =>
                    await context.{|DG2010:WaitAsync|}(TimeSpan.FromSeconds(1)), "cb",
                    new WaitForCallbackConfig { Timeout = TimeSpan.FromHours(1) });
        }
        """);

    [Fact]
    public Task Child_contexts_and_sequential_operations_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<int> RunAsync(string input, IDurableContext context)
            {
                var a = await context.StepAsync((s, ct) => Task.FromResult(1), "a");
                return await context.RunInChildContextAsync(async (child, ct) =>
                    a + await child.StepAsync((s, c) => Task.FromResult(2), "b"), "child");
            }
        }
        """);

    // ---- DG2011 captured mutation ----

    [Fact]
    public Task Captured_variable_assigned_in_a_step_body_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<int> RunAsync(int input, IDurableContext context)
            {
                var total = 0;
                var count = 0;
                await context.StepAsync((step, ct) =>
                {
                    {|#0:total|} = input * 2;
                    {|DG2011:count|}++;
                    {|DG2011:input|} += 1;
                    return Task.CompletedTask;
                }, "compute");
                return total + count;
            }
        }
        """, Verify.Diagnostic("DG2011").WithLocation(0).WithArguments("total", "StepAsync"));

    [Fact]
    public Task Captured_variable_assigned_in_a_child_context_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                string? seen = null;
                await context.RunInChildContextAsync(async (child, ct) =>
                {
                    {|DG2011:seen|} = await child.StepAsync((s, c) => Task.FromResult("x"), "x");
                }, "child");
                return seen!;
            }
        }
        """);

    [Fact]
    public Task Locals_of_the_delegate_and_returned_values_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<int> RunAsync(int input, IDurableContext context)
            {
                var total = await context.StepAsync((step, ct) =>
                {
                    var sum = 0;
                    for (var i = 0; i < input; i++) { sum += i; }
                    return Task.FromResult(sum);
                }, "sum");
                var doubled = 0;
                doubled = total * 2;
                Func<int> local = () => { doubled++; return doubled; };
                return local();
            }
        }
        """);

    // ---- DG2012 WhenAll / WhenAny ----

    [Fact]
    public Task WhenAll_over_durable_operations_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await {|#0:Task.WhenAll(context.StepAsync((s, ct) => Task.FromResult(1), "a"), context.StepAsync((s, ct) => Task.FromResult(2), "b"))|};
                var first = context.WaitAsync(TimeSpan.FromSeconds(5));
                var second = context.WaitAsync(TimeSpan.FromSeconds(9));
                await {|DG2012:Task.WhenAny(first, second)|};
                var tasks = new List<Task<int>>();
                foreach (var i in new[] { 1, 2 }) { tasks.Add(context.StepAsync((s, ct) => Task.FromResult(i), $"s{i}")); }
                await {|DG2012:Task.WhenAll(tasks)|};
                await {|DG2012:Task.WhenAll(new[] { 1, 2 }.Select(i => context.StepAsync((s, ct) => Task.FromResult(i), $"t{i}")))|};
            }
        }
        """, Verify.Diagnostic("DG2012").WithLocation(0).WithArguments("Task.WhenAll"));

    [Fact]
    public Task WhenAll_over_plain_tasks_or_inside_a_step_is_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await context.StepAsync(async (s, ct) => await Task.WhenAll(Task.FromResult(1), Task.FromResult(2)), "both");
                await Task.WhenAll(Task.CompletedTask, Task.CompletedTask);
            }
        }
        """);

    // ---- DG2013 not awaited ----

    [Fact]
    public Task Discarded_and_unused_durable_tasks_are_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                context.{|#0:WaitAsync|}(TimeSpan.FromSeconds(1));
                _ = context.{|DG2013:StepAsync|}((s, ct) => Task.FromResult(1), "a");
                var forgotten = context.{|#1:StepAsync|}((s, ct) => Task.FromResult(2), "b");
                var callback = await context.CreateCallbackAsync<string>("cb", new CallbackConfig { Timeout = TimeSpan.FromHours(1) });
                _ = callback.{|DG2013:GetResultAsync|}();
            }
        }
        """,
        Verify.Diagnostic("DG2013").WithLocation(0).WithArguments("WaitAsync", "discarded"),
        Verify.Diagnostic("DG2013").WithLocation(1).WithArguments("StepAsync", "stored in 'forgotten' and never used"));

    [Fact]
    public Task Awaited_returned_and_later_awaited_tasks_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<int> RunAsync(string input, IDurableContext context)
            {
                var pending = context.StepAsync((s, ct) => Task.FromResult(1), "a");
                await context.WaitAsync(TimeSpan.FromSeconds(1));
                var value = await pending;
                return value + await Next(context);
            }

            private static Task<int> Next(IDurableContext context) => context.StepAsync((s, ct) => Task.FromResult(2), "b");
        }
        """);
}
