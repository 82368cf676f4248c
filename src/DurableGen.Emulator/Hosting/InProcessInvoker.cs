using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// Runs invocations of an engine's executions in this process, as Lambda would run them: the registered function gets
/// the envelope after the wire's JSON round trip, a <see cref="LambdaContext"/> on the engine's clock, a service client
/// over the engine (with the fault plan and crash fencing) and a logger into the log sink; its output goes back through
/// the JSON round trip to <see cref="DurableExecutionEngine.CompleteInvocation"/>. A handler's unhandled exception is
/// recorded as that exception's type; a dead process as <see cref="DurableExecutionEngine.RuntimeExitError"/>.
/// </summary>
internal sealed class InProcessInvoker : IInvocationDispatcher
{
    /// <summary>What Lambda reports for a process that exited with an error.</summary>
    public const string ProcessExitMessage = "Runtime exited with error: exit status 1";

    private readonly DurableExecutionEngine _engine;
    private readonly FunctionRegistry _functions;
    private readonly ExecutionLogSink _logs;

    /// <summary>Creates an invoker.</summary>
    public InProcessInvoker(DurableExecutionEngine engine, FunctionRegistry functions, ExecutionLogSink logs)
    {
        _engine = engine ?? throw new ArgumentNullException(nameof(engine));
        _functions = functions ?? throw new ArgumentNullException(nameof(functions));
        _logs = logs ?? throw new ArgumentNullException(nameof(logs));
    }

    /// <summary>Plans faults per checkpoint request (crash before sending, crash after applying).</summary>
    public Func<CheckpointFaultContext, CheckpointFault>? Faults { get; init; }

    /// <summary>Where log records go in addition to the sink.</summary>
    public ILogger? Logger { get; init; }

    /// <summary>The first function invoked that is not registered, if any (the invocation failed with an error
    /// saying so; a host may also want to stop and tell the user).</summary>
    public string? UnregisteredFunction { get; private set; }

    /// <inheritdoc />
    public async Task DispatchAsync(PendingInvocation invocation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        DurableExecutionInvocationOutput output;
        try
        {
            output = await InvokeAsync(invocation).WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId,
                new ErrorObject { ErrorType = DurableExecutionEngine.RuntimeExitError, ErrorMessage = "Invocation cancelled" });
            throw;
        }
        catch (FunctionInvocationException failure)
        {
            _engine.FailInvocation(invocation.DurableExecutionArn, invocation.RequestId, failure.Error);
            return;
        }

        _engine.CompleteInvocation(invocation.DurableExecutionArn, invocation.RequestId, output);
    }

    /// <summary>Runs one invocation and returns its output envelope.</summary>
    /// <exception cref="FunctionInvocationException">The invocation failed at the Lambda level.</exception>
    public async Task<DurableExecutionInvocationOutput> InvokeAsync(PendingInvocation invocation)
    {
        ArgumentNullException.ThrowIfNull(invocation);
        var arn = invocation.DurableExecutionArn;
        var number = _engine.GetSchedulingState(arn).InvocationCount;
        var faults = new InvocationFaults(number, Faults);
        var hosted = new HostedInvocation(invocation,
            EngineServiceClient.RoundTrip(invocation.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput),
            new LambdaContext(invocation.RequestId, invocation.FunctionName, invocation.Version, clock: _engine.Clock,
                traceId: invocation.TraceHeader),
            new EngineServiceClient(_engine, faults), _logs.CreateLogger(arn, Logger), _engine.Clock, number, faults);
        try
        {
            if (!_functions.TryGet(invocation.FunctionName, out var function))
            {
                UnregisteredFunction ??= invocation.FunctionName;
                throw new InvalidOperationException($"No function named '{invocation.FunctionName}' is registered with this host.");
            }

            var output = await function.Handler(hosted).ConfigureAwait(false);
            if (faults.HasCrashed)
            {
                throw new SimulatedCrashException();
            }

            return EngineServiceClient.RoundTrip(output, ProtocolJson.Envelope.DurableExecutionInvocationOutput);
        }
        catch (Exception ex)
        {
            // What Lambda records: a dead process is an exit error whatever the SDK made of the failed call on its way
            // out; otherwise the handler's unhandled exception.
            var crashed = ex is SimulatedCrashException || faults.HasCrashed;
            throw new FunctionInvocationException(new ErrorObject
            {
                ErrorType = crashed ? DurableExecutionEngine.RuntimeExitError : ex.GetType().FullName,
                ErrorMessage = crashed ? ProcessExitMessage : ex.Message,
            }, ex);
        }
    }
}
