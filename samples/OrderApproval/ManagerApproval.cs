using DurableGen;

namespace OrderApproval;

/// <summary>
/// The manager-approval callback, declared once for both sides. The workflow awaits
/// <c>ManagerApproval.WaitAsync(context, submit)</c> (three days to answer, a heartbeat every twelve hours, the
/// hand-off inside the submitter step); the approver completes it with
/// <c>ManagerApproval.Complete(client, callbackId).SucceedAsync(decision)</c>, which only accepts an
/// <see cref="ApprovalDecision"/> and serializes it with <see cref="OrderApprovalJson"/>.
/// </summary>
[Callback("manager-approval", typeof(ApprovalDecision), TimeoutSeconds = 3 * 24 * 3600, HeartbeatTimeoutSeconds = 12 * 3600)]
public static partial class ManagerApproval;
