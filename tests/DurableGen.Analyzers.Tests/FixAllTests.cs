using System.Threading.Tasks;
using DurableGen.Analyzers.CodeFixes;
using Xunit;

namespace DurableGen.Analyzers.Tests;

/// <summary>
/// Fix All (document, project, solution) for every analyzer code fix: what <c>dotnet format analyzers</c> and the IDE's
/// "Fix all occurrences" run. Two occurrences in one document and one in another.
/// </summary>
public class FixAllTests
{
    [Fact]
    public Task Wrap_in_step_fixes_every_occurrence() =>
        FixAllVerifier<DeterminismAnalyzer, WrapInStepCodeFixProvider>.VerifyAsync(
        [
            """
            class W
            {
                public async Task<string> RunAsync(string input, IDurableContext context)
                {
                    var id = {|DG2002:Guid.NewGuid()|};
                    var now = {|DG2001:DateTime.UtcNow|};
                    return id.ToString() + now;
                }
            }
            """,
            """
            class V
            {
                public async Task<int> RunAsync(string input, IDurableContext context)
                {
                    return {|DG2001:DateTime.UtcNow|}.Hour;
                }
            }
            """,
        ],
        [
            """
            class W
            {
                public async Task<string> RunAsync(string input, IDurableContext context)
                {
                    var id = await context.StepAsync((_, _) => Task.FromResult(Guid.NewGuid()), "new-guid");
                    var now = await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now");
                    return id.ToString() + now;
                }
            }
            """,
            """
            class V
            {
                public async Task<int> RunAsync(string input, IDurableContext context)
                {
                    return (await context.StepAsync((_, _) => Task.FromResult(DateTime.UtcNow), "utc-now")).Hour;
                }
            }
            """,
        ]);

    [Fact]
    public Task Delay_to_wait_fixes_every_occurrence() =>
        FixAllVerifier<DeterminismAnalyzer, DelayToWaitAsyncCodeFixProvider>.VerifyAsync(
        [
            """
            class W
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await {|DG2005:Task.Delay(TimeSpan.FromSeconds(1))|};
                    await {|DG2005:Task.Delay(500)|};
                }
            }
            """,
            """
            class V
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    {|DG2005:Thread.Sleep(100)|};
                }
            }
            """,
        ],
        [
            """
            class W
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromSeconds(1));
                    await context.WaitAsync(TimeSpan.FromMilliseconds(500));
                }
            }
            """,
            """
            class V
            {
                public async Task RunAsync(string input, IDurableContext context)
                {
                    await context.WaitAsync(TimeSpan.FromMilliseconds(100));
                }
            }
            """,
        ]);
}
