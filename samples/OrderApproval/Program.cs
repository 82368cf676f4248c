using DurableGen;
using DurableGen.Generated;

// Under a Lambda Runtime API (AWS_LAMBDA_RUNTIME_API set) this binary is the function _HANDLER names: one of the
// workflows ("order-approval", "order-approval-handoff") or the plain approver ("order-approver"); the generated host
// picks it and runs the Runtime API loop.
if (DurableLambdaHost.IsLambdaEnvironment)
{
    return await DurableWorkflows.RunLambdaAsync();
}

#if LAMBDA_ONLY
System.Console.Error.WriteLine(
    "This is the published Lambda bootstrap: it runs under a Lambda Runtime API (AWS_LAMBDA_RUNTIME_API). " +
    "For the in-process demo use `dotnet run --project samples/OrderApproval`.");
return 2;
#else
return await OrderApproval.InProcessDemo.RunAsync(args);
#endif
