using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Emulator;

/// <summary>Runs one invocation of a durable function for an <see cref="ExecutionScheduler"/>.</summary>
public interface IFunctionInvoker
{
    /// <summary>
    /// Invokes the function with <see cref="PendingInvocation.Input"/> and returns its output. Throwing means the
    /// invocation crashed at the Lambda level; the scheduler then reports it with
    /// <see cref="DurableExecutionEngine.FailInvocation"/>.
    /// </summary>
    Task<DurableExecutionInvocationOutput> InvokeAsync(PendingInvocation invocation, CancellationToken cancellationToken);
}
