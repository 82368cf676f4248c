using System;
using DurableGen;
using DurableGen.Generated;
using DurableGen.OpenTelemetry;
using OpenTelemetry;
using OpenTelemetry.Trace;

// Under a Lambda Runtime API (AWS_LAMBDA_RUNTIME_API set) this binary is the function _HANDLER names: one of the
// workflows ("order-approval", "order-approval-handoff") or the plain approver ("order-approver"); the generated host
// picks it and runs the Runtime API loop.
if (DurableLambdaHost.IsLambdaEnvironment)
{
    // Traces leave the process only when an OTLP endpoint is configured (`durablegen run` points it at the local
    // service, whose dashboard shows them); without one the function runs exactly as it did without tracing.
    if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")))
    {
        return await DurableWorkflows.RunLambdaAsync();
    }

    // The simple processor exports each span as it ends, so nothing is left in the process when Lambda freezes it
    // after the invocation returns. The host's own Runtime API polling and checkpoints are never traced.
    using var tracing = Sdk.CreateTracerProviderBuilder()
        .AddDurableGenInstrumentation()
        .AddHttpClientInstrumentation()
        .AddOtlpExporter(o => o.ExportProcessorType = ExportProcessorType.Simple)
        .Build();
    return await DurableWorkflows.RunLambdaAsync(new DurableLambdaHostOptions
    {
        ExecutionOptions = new DurableExecutionOptions { Plugins = [new DurableTracingPlugin()] },
    });
}

#if LAMBDA_ONLY
System.Console.Error.WriteLine(
    "This is the published Lambda bootstrap: it runs under a Lambda Runtime API (AWS_LAMBDA_RUNTIME_API). " +
    "For the in-process demo use `dotnet run --project samples/OrderApproval`.");
return 2;
#else
return await OrderApproval.InProcessDemo.RunAsync(args);
#endif
