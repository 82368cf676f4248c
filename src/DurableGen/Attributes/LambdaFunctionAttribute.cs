using System;

namespace DurableGen;

/// <summary>
/// Makes a partial class a plain (not durable) Lambda function that lives in the same binary as the workflows: an
/// approver, a notifier, anything a workflow invokes or that completes its callbacks. The class declares one handler
/// method shaped <c>(TInput input, ILambdaContext context[, CancellationToken cancellationToken]) → Task</c> or
/// <c>Task&lt;TOutput&gt;</c>; the generator writes the handler (payload JSON in, result JSON out, through the
/// assembly's <c>JsonSerializerContext</c>) and adds it to the <c>_HANDLER</c> dispatch of the generated entry point.
/// The token is cancelled when the invocation's deadline passes.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LambdaFunctionAttribute : LambdaDeploymentAttribute
{
}
