using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>An invocation the host must run now: call the function with <see cref="Input"/>, then report the outcome
/// with <see cref="DurableExecutionEngine.CompleteInvocation"/> or <see cref="DurableExecutionEngine.FailInvocation"/>.</summary>
/// <param name="DurableExecutionArn">The execution.</param>
/// <param name="FunctionName">The unqualified function name.</param>
/// <param name="Version">The function version.</param>
/// <param name="RequestId">The Lambda request id of this invocation.</param>
/// <param name="Input">The invocation envelope.</param>
public sealed record PendingInvocation(
    string DurableExecutionArn,
    string FunctionName,
    string Version,
    string RequestId,
    DurableExecutionInvocationInput Input)
{
    /// <summary>
    /// What Lambda gives a durable function in <c>Lambda-Runtime-Trace-Id</c>: the same X-Ray Root for every invocation
    /// of an execution (derived from its ARN, so every host gives the same one without state) and a Parent of this
    /// invocation's own; a tracer (DurableGen.OpenTelemetry) puts all of an execution's invocations in that one trace.
    /// </summary>
    public string TraceHeader { get; } = InvocationTraceHeader.For(DurableExecutionArn);
}
