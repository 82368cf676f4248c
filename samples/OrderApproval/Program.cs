using DurableGen;
using DurableGen.Generated;

// Under a Lambda Runtime API (AWS_LAMBDA_RUNTIME_API set) this binary is the function _HANDLER names: the plain
// approver ("order-approver") runs its own Runtime API loop; otherwise the generated host runs the loop and picks the
// workflow ("order-approval" or "order-approval-handoff").
if (DurableLambdaHost.IsLambdaEnvironment)
{
    return OrderApproval.ApproverFunction.IsSelected
        ? await OrderApproval.ApproverFunction.RunLambdaAsync()
        : await DurableWorkflows.RunLambdaAsync();
}

#if LAMBDA_ONLY
System.Console.Error.WriteLine(
    "This is the published Lambda bootstrap: it runs under a Lambda Runtime API (AWS_LAMBDA_RUNTIME_API). " +
    "For the in-process demo use `dotnet run --project samples/OrderApproval`.");
return 2;
#else
return await OrderApproval.InProcessDemo.RunAsync(args);
#endif
