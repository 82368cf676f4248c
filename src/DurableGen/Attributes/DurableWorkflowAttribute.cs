using System;

namespace DurableGen;

/// <summary>
/// Makes a partial class a deployable durable function. The class declares one workflow method shaped
/// <c>(TInput, IDurableContext) → Task</c> or <c>Task&lt;TOutput&gt;</c>; the DurableGen generator writes the Lambda
/// handler (envelope in, envelope out through <see cref="DurableFunction"/>), the serializer registration and, for an
/// executable without its own <c>Main</c>, the Lambda entry point.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DurableWorkflowAttribute : Attribute
{
    /// <summary>The smallest execution timeout the service accepts, in seconds.</summary>
    public const int MinExecutionTimeout = 1;

    /// <summary>The largest execution timeout the service accepts, in seconds (366 days).</summary>
    public const int MaxExecutionTimeout = 31_622_400;

    /// <summary>The smallest retention period the service accepts, in days.</summary>
    public const int MinRetentionPeriodInDays = 1;

    /// <summary>The largest retention period the service accepts, in days.</summary>
    public const int MaxRetentionPeriodInDays = 90;

    /// <summary>
    /// The Lambda function name; it is also the <c>_HANDLER</c> value that selects this workflow when one assembly
    /// holds several. Default: the class name.
    /// </summary>
    public string? FunctionName { get; set; }

    /// <summary>The execution timeout in seconds (1 … 31,622,400); 0 leaves the service default.</summary>
    public int ExecutionTimeout { get; set; }

    /// <summary>How many days the service keeps a finished execution's history (1 … 90); 0 leaves the service default.</summary>
    public int RetentionPeriodInDays { get; set; }

    /// <summary>
    /// The <c>JsonSerializerContext</c> that serializes everything this workflow checkpoints. Default: the only context
    /// declared in the assembly; without any, the reflection-based serializer (not usable with Native AOT or trimming).
    /// </summary>
    public Type? JsonContext { get; set; }

    /// <summary>The workflow method's name, when the class has several methods of the workflow shape.</summary>
    public string? Method { get; set; }
}
