using System.Threading.Tasks;
using DurableGen;

namespace DurableGen.TestFunctions;

/// <summary>A human in the loop: the execution waits for the <c>approval</c> callback, which nobody but a person with
/// <c>durablegen callback succeed</c> answers, and returns who decided.</summary>
[DurableWorkflow(FunctionName = "awaits-approval")]
public sealed partial class AwaitsApprovalWorkflow
{
    public async Task<string> RunAsync(string order, IDurableContext context)
    {
        // The CLI tests watch this execution wait with nothing else pending until they answer it; a timeout would
        // schedule a second event, so here the open-ended wait DG2021 warns about is the point.
#pragma warning disable DG2021
        var approval = await context.WaitForCallbackAsync<Approval>((_, _, _) => Task.CompletedTask, "approval");
#pragma warning restore DG2021
        return $"{order} {(approval.Approved ? "approved" : "rejected")} by {approval.By}";
    }
}
