using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>A long execution in one invocation: <c>Count</c> steps, for checkpoint cost against history size.</summary>
[DurableWorkflow(FunctionName = "many-steps")]
public sealed partial class ManyStepsWorkflow
{
    public async Task<int> RunAsync(ManyStepsInput input, IDurableContext context)
    {
        var total = 0;
        for (var i = 0; i < input.Count; i++)
        {
            var before = total;
            total = await context.StepAsync((_, _) => Task.FromResult(before + 1), "step");
        }

        return total;
    }
}
