using System;

namespace DurableGen;

/// <summary>
/// Makes a partial class a deployable durable function. The class declares one workflow method shaped
/// <c>(TInput, IDurableContext) → Task</c> or <c>Task&lt;TOutput&gt;</c>; the DurableGen generator writes the Lambda
/// handler (envelope in, envelope out through <see cref="DurableFunction"/>), the serializer registration and, for an
/// executable without its own <c>Main</c>, the Lambda entry point.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class DurableWorkflowAttribute : LambdaDeploymentAttribute
{
    /// <summary>The smallest execution timeout the service accepts, in seconds.</summary>
    public const int MinExecutionTimeout = 1;

    /// <summary>The largest execution timeout the service accepts, in seconds (366 days).</summary>
    public const int MaxExecutionTimeout = 31_622_400;

    /// <summary>The execution timeout used when none is declared, in seconds (one day).</summary>
    public const int DefaultExecutionTimeout = 86_400;

    /// <summary>The smallest retention period the service accepts, in days.</summary>
    public const int MinRetentionPeriodInDays = 1;

    /// <summary>The largest retention period the service accepts, in days.</summary>
    public const int MaxRetentionPeriodInDays = 90;

    /// <summary>
    /// The execution timeout in seconds (1 … 31,622,400): how long one durable execution may run, across all its
    /// invocations and waits, before the service times it out. 0 means <see cref="DefaultExecutionTimeout"/>.
    /// </summary>
    public int ExecutionTimeout { get; set; }

    /// <summary>How many days the service keeps a finished execution's history (1 … 90); 0 leaves the service default (14).</summary>
    public int RetentionPeriodInDays { get; set; }
}
