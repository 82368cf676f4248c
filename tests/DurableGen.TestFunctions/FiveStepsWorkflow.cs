using System;
using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>The throughput workload: five steps that each add to a running total, with an optional timer between
/// the second and the third (so many executions suspend and resume interleaved).</summary>
[DurableWorkflow(FunctionName = "five-steps")]
public sealed partial class FiveStepsWorkflow
{
    public async Task<FiveStepsResult> RunAsync(FiveStepsInput input, IDurableContext context)
    {
        var total = input.Seed;
        for (var i = 1; i <= 5; i++)
        {
            var before = total;
            var index = i;
            total = await context.StepAsync((_, _) => Task.FromResult(before + index), $"add-{i}");
            if (i == 2 && input.WaitSeconds > 0)
            {
                await context.WaitAsync(TimeSpan.FromSeconds(input.WaitSeconds), "pause");
            }
        }

        return new FiveStepsResult(input.Seed, total);
    }
}
