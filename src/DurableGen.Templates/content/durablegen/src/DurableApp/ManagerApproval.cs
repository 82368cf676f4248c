using DurableGen;

namespace DurableApp;

/// <summary>
/// The approval callback, declared once for both sides. The workflow awaits <c>ManagerApproval.WaitAsync</c>; whoever
/// approves completes it by id, with <c>ManagerApproval.Complete(client, callbackId).SucceedAsync(approval)</c> from
/// .NET, <c>durablegen callback succeed</c> locally, or Lambda's SendDurableExecutionCallbackSuccess API on AWS.
/// Unanswered for three days, it times out.
/// </summary>
[Callback("manager-approval", typeof(Approval), TimeoutSeconds = 3 * 24 * 3600)]
public static partial class ManagerApproval;
