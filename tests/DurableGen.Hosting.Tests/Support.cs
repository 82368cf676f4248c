using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Hosting.Tests;

/// <summary>A workflow of this test project: the generator writes its handler and registration.</summary>
[DurableWorkflow(FunctionName = "greeter", JsonContext = typeof(HostingTestJson))]
public partial class GreeterWorkflow
{
    public async Task<string> RunAsync(string name, IDurableContext context)
    {
        await Task.Yield();
        return $"hello {name}";
    }
}

/// <summary>A plain function of this test project: the generator writes its handler and registration.</summary>
[LambdaFunction(FunctionName = "shouter", JsonContext = typeof(HostingTestJson))]
public sealed partial class ShouterFunction
{
    public async Task<ShoutResult> HandleAsync(ShoutRequest request, ILambdaContext context, CancellationToken cancellationToken)
    {
        if (request.WaitForDeadline)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken); // ends when the invocation's deadline passes
        }

        return new ShoutResult(request.Text.ToUpperInvariant() + "!", context.FunctionName, context.AwsRequestId);
    }
}

public sealed record ShoutRequest(string Text, bool WaitForDeadline = false);

public sealed record ShoutResult(string Text, string FunctionName, string RequestId);

[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(ShoutRequest))]
[JsonSerializable(typeof(ShoutResult))]
internal sealed partial class HostingTestJson : JsonSerializerContext;

internal static class Envelopes
{
    /// <summary>A first-invocation envelope: only the EXECUTION record, holding <paramref name="inputJson"/>.</summary>
    public static string Start(string inputJson, string arn = "arn:aws:lambda:us-east-1:123456789012:function:fn/durable-execution/x/1")
    {
        var input = new DurableExecutionInvocationInput
        {
            DurableExecutionArn = arn,
            CheckpointToken = "token-1",
            InitialExecutionState = new InitialExecutionState
            {
                Operations =
                [
                    new Operation
                    {
                        Id = "execution", Type = OperationType.Execution, Status = OperationStatus.Started,
                        ExecutionDetails = new ExecutionDetails { InputPayload = inputJson },
                    },
                ],
            },
        };
        return JsonSerializer.Serialize(input, ProtocolJson.Envelope.DurableExecutionInvocationInput);
    }

    public static DurableExecutionInvocationOutput Output(string body) =>
        JsonSerializer.Deserialize(body, ProtocolJson.Envelope.DurableExecutionInvocationOutput)!;
}

/// <summary>Runs <see cref="DurableLambdaHost"/> against a fake, with its own environment.</summary>
internal sealed class HostRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    public HostRun(FakeRuntimeApi api, IReadOnlyList<DurableWorkflowRegistration> workflows,
        Dictionary<string, string>? environment = null, IDurableServiceClient? client = null, bool noClient = false,
        IReadOnlyList<LambdaFunctionRegistration>? functions = null)
    {
        var env = environment ?? new Dictionary<string, string>();
        Options = new DurableLambdaHostOptions
        {
            RuntimeApi = api.Address,
            Environment = name => env.TryGetValue(name, out var value) ? value : null,
            ServiceClient = noClient ? null : client ?? new ReplayOnlyServiceClient(),
            Log = Log,
        };
        Exit = Task.Run(() => DurableLambdaHost.RunAsync(workflows, functions ?? [], Options, _stop.Token));
    }

    public DurableLambdaHostOptions Options { get; }

    public StringWriter Log { get; } = new();

    public Task<int> Exit { get; }

    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await Exit.WaitAsync(TimeSpan.FromSeconds(30));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Exit.WaitAsync(TimeSpan.FromSeconds(30));
        }
        catch (Exception)
        {
            // The test already asserted what it needed.
        }

        _stop.Dispose();
    }
}
