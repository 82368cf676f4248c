using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>
/// A caller that chained-invokes <see cref="ChainedCalleeWorkflow"/> and returns what it answered. Its one step
/// journals the caller's process, so a crash test can count its runs and clean up after a killed service.
/// </summary>
[DurableWorkflow(FunctionName = "chained-caller")]
public sealed partial class ChainedCallerWorkflow
{
    public async Task<string> RunAsync(CrashableInput input, IDurableContext context)
    {
        await context.StepAsync((_, _) => Journal.WriteAsync(input.Journal, "caller"), "caller");
        var answer = await context.InvokeAsync<CrashableInput, string>("chained-callee", input, "call");
        return "caller got " + answer;
    }
}

/// <summary>The invoked side: one step that journals its process and attempt, whose answer the caller returns.</summary>
[DurableWorkflow(FunctionName = "chained-callee")]
public sealed partial class ChainedCalleeWorkflow
{
    public async Task<string> RunAsync(CrashableInput input, IDurableContext context)
    {
        var attempt = await context.StepAsync((_, _) => Journal.WriteAsync(input.Journal, "callee"), "callee");
        return $"callee:{attempt}";
    }
}
