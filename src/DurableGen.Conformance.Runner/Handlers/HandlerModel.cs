using System;
using System.Collections.Generic;
using System.Threading.Tasks;

namespace DurableGen.Conformance;

/// <summary>
/// Marks a class as the handler of one or more conformance requirement ids (like the SAM template's
/// <c>TestingMetadata.TestDescription</c>). The class implements <see cref="IConformanceCase{TInput,TOutput}"/> and
/// has a public parameterless constructor.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConformanceAttribute : Attribute
{
    /// <summary>Marks the handler of <paramref name="ids"/>.</summary>
    public ConformanceAttribute(params string[] ids) => Ids = ids;

    /// <summary>The requirement ids the class serves.</summary>
    public IReadOnlyList<string> Ids { get; }
}

/// <summary>
/// Declares a requirement the handlers do not cover yet, with the reason (like
/// <c>TestingMetadata.NotImplemented</c>): the runner reports it <c>NOT_IMPLEMENTED</c> instead of <c>UNCOVERED</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class ConformanceNotImplementedAttribute : Attribute
{
    /// <summary>Declares <paramref name="id"/> as a gap because of <paramref name="reason"/>.</summary>
    public ConformanceNotImplementedAttribute(string id, string reason)
    {
        Id = id;
        Reason = reason;
    }

    /// <summary>The requirement id.</summary>
    public string Id { get; }

    /// <summary>Why it is not implemented.</summary>
    public string Reason { get; }
}

/// <summary>
/// Marks a class as a target function (<c>echo</c>, <c>error</c>, <c>echo-tenant</c> …) that requirement handlers
/// invoke by name through <see cref="IConformanceEnv.Target"/>. It implements
/// <see cref="IConformanceCase{TInput,TOutput}"/> like a requirement handler.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class ConformanceTargetAttribute : Attribute
{
    /// <summary>Marks the target named <paramref name="name"/>.</summary>
    public ConformanceTargetAttribute(string name) => Name = name;

    /// <summary>The target's logical name.</summary>
    public string Name { get; }
}

/// <summary>A durable handler for one or more requirements, written against the public DurableGen API.</summary>
/// <typeparam name="TInput">What the requirement's <c>Input</c> deserializes to (use <c>JsonNode?</c> for null).</typeparam>
/// <typeparam name="TOutput">The execution result.</typeparam>
public interface IConformanceCase<TInput, TOutput>
{
    /// <summary>The durable function body.</summary>
    Task<TOutput> RunAsync(TInput input, IDurableContext context, IConformanceEnv env);
}

/// <summary>
/// Implemented by a handler class that runs with instrumentation plugins, as a deployed function registers them through
/// <see cref="DurableExecutionOptions.Plugins"/>: the runner asks for fresh plugins on every invocation (a plugin
/// instance lives as long as one invocation, like a cold Lambda process) and passes them in that order.
/// </summary>
public interface IConformancePlugins
{
    /// <summary>The plugins of one invocation; they write their records with <see cref="IConformanceEnv.Emit"/>.</summary>
    IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env);
}

/// <summary>What a handler gets from its environment (the deployed reference handlers get the same from Lambda).</summary>
public interface IConformanceEnv
{
    /// <summary>The durable execution ARN.</summary>
    string ExecutionArn { get; }

    /// <summary>1 for the first invocation of this execution, then 2, 3 … (re-invocations after waits, callbacks,
    /// retries and crashes). Lets a handler crash only once, as the reference handlers do with a marker file.</summary>
    int InvocationNumber { get; }

    /// <summary>The qualified function name of the target registered as <paramref name="name"/>.</summary>
    string Target(string name);

    /// <summary>The tenant id this invocation runs for (Lambda's <c>Lambda-Runtime-Aws-Tenant-Id</c>): for a target,
    /// the <c>TenantId</c> of the chained invoke that started its execution; <c>null</c> when none was given.</summary>
    string? TenantId { get; }

    /// <summary>
    /// Simulates the runtime process dying: from now on this invocation cannot reach the service (its checkpoints are
    /// lost, as they would be with a dead process), and the invocation ends with <c>Runtime.ExitError</c>. With
    /// <paramref name="afterOperationRecorded"/>, first waits until the service has recorded that operation (for
    /// example a step whose fire-and-forget START must be in the history before the crash). Never returns normally: it
    /// throws the host kit's <c>SimulatedCrashException</c>, the one crash exception of every in-process host.
    /// </summary>
    Task CrashProcessAsync(string? afterOperationRecorded = null);

    /// <summary>Writes one structured log record (its public properties or dictionary entries), stamped with the
    /// execution ARN, as a test plugin prints to stdout.</summary>
    void Emit(object record);
}
