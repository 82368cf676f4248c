using System.Threading.Tasks;
using Xunit;
using Verify = DurableGen.Analyzers.Tests.AnalyzerVerifier<DurableGen.Analyzers.CancellationAnalyzer>;

namespace DurableGen.Analyzers.Tests;

public class CancellationAnalyzerTests
{
    [Fact]
    public Task Branching_on_IsCancellationRequested_in_workflow_code_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context, CancellationToken cancellationToken)
            {
                if ({|#0:cancellationToken.IsCancellationRequested|})
                {
                    return "stopped";
                }

                return await context.RunInChildContextAsync(async (child, ct) =>
                    {|DG2014:ct.IsCancellationRequested|} ? "x" : await child.StepAsync((s, c) => Task.FromResult("y"), "y"), "child");
            }
        }
        """, Verify.Diagnostic("DG2014").WithLocation(0)
            .WithArguments("cancellationToken.IsCancellationRequested", "RunAsync → IsCancellationRequested"));

    [Fact]
    public Task Cancellation_checks_inside_steps_and_throwing_checks_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context, CancellationToken cancellationToken)
            {
                cancellationToken.ThrowIfCancellationRequested();
                await context.StepAsync(async (s, ct) =>
                {
                    while (!ct.IsCancellationRequested) { await Task.Yield(); break; }
                }, "poll");
            }

            public bool Plain(CancellationToken ct) => ct.IsCancellationRequested;
        }
        """);

    [Fact]
    public Task Swallowed_cancellation_in_workflow_code_is_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                try
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch ({|#0:OperationCanceledException|})
                {
                    return "cancelled";
                }

                try
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch ({|DG2015:TaskCanceledException|} e) when (e.Message.Length > 0)
                {
                }

                return "done";
            }
        }
        """, Verify.Diagnostic("DG2015").WithLocation(0)
            .WithArguments("OperationCanceledException", "RunAsync → catch (OperationCanceledException)"));

    [Fact]
    public Task Rethrown_cancellation_other_exceptions_and_step_bodies_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<string> RunAsync(string input, IDurableContext context)
            {
                try
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(10));
                }
                catch (OperationCanceledException)
                {
                    context.Logger.LogWarning("Shutting down");
                    throw;
                }
                catch (StepException)
                {
                    return "failed";
                }

                await context.StepAsync(async (s, ct) =>
                {
                    try { await Task.Delay(10, ct); } catch (OperationCanceledException) { }
                }, "inner");
                return "done";
            }
        }
        """);
}
