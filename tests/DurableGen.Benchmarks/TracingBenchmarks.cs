using System;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using DurableGen.OpenTelemetry;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace DurableGen.Benchmarks;

/// <summary>
/// What tracing costs per operation: <see cref="ReplayBenchmarks"/>' invocations (N replayed steps; N fresh steps)
/// without plugins and with a <see cref="DurableTracingPlugin"/> whose spans are recorded by a listener (as an
/// OpenTelemetry tracer provider samples them) and then dropped, so the exporter's cost is not counted. Read the
/// <c>Ratio</c> column per category: traced / untraced.
/// </summary>
[MemoryDiagnoser]
[GroupBenchmarksBy(BenchmarkLogicalGroupRule.ByCategory)]
[CategoriesColumn]
public class TracingBenchmarks
{
    private static readonly Func<IStepContext, CancellationToken, Task<int>> Body = static (step, _) => Task.FromResult(7);

    private static readonly LambdaContext Lambda = new("benchmark-request");

    private static readonly DurableExecutionOptions Plain = new()
    {
        Serializer = new JsonDurableSerializer(BenchmarkJsonContext.Default),
        Logger = NullLogger.Instance,
    };

    private static readonly DurableExecutionOptions Traced = new()
    {
        Serializer = Plain.Serializer,
        Logger = NullLogger.Instance,
        Plugins = [new DurableTracingPlugin()],
    };

    private DurableExecutionInvocationInput _replayEnvelope = null!;
    private DurableExecutionInvocationInput _freshEnvelope = null!;
    private Func<string, IDurableContext, Task<int>> _workflow = null!;
    private ActivityListener _listener = null!;

    /// <summary>Steps in the workflow.</summary>
    [Params(1_000, 10_000)]
    public int N { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var count = N;
        _workflow = async (input, context) =>
        {
            var sum = 0;
            for (var i = 0; i < count; i++)
            {
                sum += await context.StepAsync(Body).ConfigureAwait(false);
            }

            return sum;
        };
        _replayEnvelope = ReplayBenchmarks.Envelope(count);
        _freshEnvelope = ReplayBenchmarks.Envelope(0);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == DurableTracing.SourceName,
            Sample = static (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(_listener);
    }

    [GlobalCleanup]
    public void Cleanup() => _listener.Dispose();

    [Benchmark(Baseline = true), BenchmarkCategory("Replay")]
    public Task<DurableExecutionInvocationOutput> Replay() => Run(_replayEnvelope, ReplayOnlyClient.Instance, Plain);

    [Benchmark, BenchmarkCategory("Replay")]
    public Task<DurableExecutionInvocationOutput> ReplayTraced() => Run(_replayEnvelope, ReplayOnlyClient.Instance, Traced);

    [Benchmark(Baseline = true), BenchmarkCategory("Fresh")]
    public Task<DurableExecutionInvocationOutput> Fresh() => Run(_freshEnvelope, new InMemoryClient(), Plain);

    [Benchmark, BenchmarkCategory("Fresh")]
    public Task<DurableExecutionInvocationOutput> FreshTraced() => Run(_freshEnvelope, new InMemoryClient(), Traced);

    private async Task<DurableExecutionInvocationOutput> Run(DurableExecutionInvocationInput envelope, IDurableServiceClient client,
        DurableExecutionOptions options)
    {
        var output = await DurableFunction.WrapAsync(_workflow, envelope, Lambda, client, options).ConfigureAwait(false);
        return output.Status == InvocationStatus.Succeeded ? output : throw new InvalidOperationException(output.Error?.ErrorMessage);
    }
}
