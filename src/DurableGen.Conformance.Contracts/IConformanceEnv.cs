using System.Threading.Tasks;

namespace DurableGen.Conformance;

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
    /// example a step whose fire-and-forget START must be in the history before the crash). Never returns normally.
    /// </summary>
    Task CrashProcessAsync(string? afterOperationRecorded = null);

    /// <summary>Writes one structured log record (its public properties or dictionary entries), stamped with the
    /// execution ARN, as a test plugin prints to stdout.</summary>
    void Emit(object record);

    /// <summary>
    /// The OpenTelemetry view the runner judges this run in (<c>"invocation"</c> or <c>"execution"</c>, otel.md §1), so a
    /// handler of an <c>otel-*</c> requirement registers the tracing plugin in that view; <c>null</c> outside the
    /// OpenTelemetry suites.
    /// </summary>
    string? TelemetryView => null;
}
