using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Client;
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

    /// <summary>Plans faults per checkpoint request (<see cref="CheckpointFault"/>).</summary>
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
        var faults = new InvocationFaults(_engine.GetSchedulingState(invocation.DurableExecutionArn).InvocationCount, Faults);
        try
        {
            await RunAsync(invocation, faults, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // A duplicate delivery's newer invocation runs beside this one; the driver sees both as one dispatch.
            foreach (var redelivery in faults.Redeliveries)
            {
                await redelivery.ConfigureAwait(false);
            }
        }

        foreach (var violation in faults.Violations)
        {
            throw new InvalidOperationException("The service broke the protocol under a fault: " + violation);
        }
    }

    private async Task RunAsync(PendingInvocation invocation, InvocationFaults faults, CancellationToken cancellationToken)
    {
        DurableExecutionInvocationOutput output;
        try
        {
            output = await InvokeAsync(invocation, faults).WaitAsync(cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The runtime's own service client (ClientToken, retry policy, error mapping) over the engine, for an invocation
    /// with a fault plan. Retries wait a millisecond or so: the backoff's length is not what the faults test.
    /// </summary>
    private LambdaDurableServiceClient WireClient(PendingInvocation invocation, InvocationFaults faults) =>
        new(new DurableClientOptions
        {
            Endpoint = new Uri("http://127.0.0.1:9001/"),
            Region = "us-east-1",
            Unsigned = true,
            Environment = static _ => null,
            HttpMessageHandler = new EngineHttpHandler(_engine, faults, invocation, () => Redeliver(invocation)),
            RetryBaseDelay = TimeSpan.FromMilliseconds(1),
            MaxRetryDelay = TimeSpan.FromMilliseconds(5),
        });

    /// <summary>Invokes the execution again beside the invocation the service just ended (a duplicate delivery).</summary>
    private Task Redeliver(PendingInvocation ended) =>
        _engine.TryBeginInvocationOf(ended.DurableExecutionArn) is { } next
            ? Task.Run(() => DispatchAsync(next, CancellationToken.None))
            : Task.CompletedTask;

    /// <summary>Runs one invocation and returns its output envelope.</summary>
    /// <exception cref="FunctionInvocationException">The invocation failed at the Lambda level.</exception>
    private async Task<DurableExecutionInvocationOutput> InvokeAsync(PendingInvocation invocation, InvocationFaults faults)
    {
        var arn = invocation.DurableExecutionArn;
        using var wire = faults.IsPlanned ? WireClient(invocation, faults) : null;
        var hosted = new HostedInvocation(invocation,
            EngineServiceClient.RoundTrip(invocation.Input, ProtocolJson.Envelope.DurableExecutionInvocationInput),
            new LambdaContext(invocation.RequestId, invocation.FunctionName, invocation.Version, clock: _engine.Clock,
                traceId: invocation.TraceHeader),
            new EngineServiceClient(_engine, faults, wire), _logs.CreateLogger(arn, Logger), _engine.Clock,
            faults.InvocationNumber, faults);
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
                ErrorMessage = crashed ? DurableExecutionEngine.RuntimeExitMessage(invocation.RequestId, 1) : ex.Message,
            }, ex);
        }
    }
}
