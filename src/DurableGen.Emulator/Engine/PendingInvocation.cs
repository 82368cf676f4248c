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
    DurableExecutionInvocationInput Input);
