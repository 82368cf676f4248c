using System;
using BenchmarkDotNet.Attributes;
using DurableGen.Emulator.Engine;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Benchmarks;

/// <summary>
/// Listing a function's executions when the service holds <see cref="N"/> of them (a local service keeps every
/// execution it ran), on the in-memory store: the newest page (what <c>ListDurableExecutionsByFunction</c> without a
/// marker returns), the running ones (a poll for what is still open), every page (what the dashboard reads on each
/// change), and a start that names an existing execution. Each one holds the engine's lock, so checkpoints wait for it.
/// </summary>
[MemoryDiagnoser]
public class ListingBenchmarks
{
    private const string Function = "listed";

    /// <summary>Executions stored; the newest 100 are running, the rest stopped.</summary>
    [Params(10_000, 100_000)]
    public int N { get; set; }

    private DurableExecutionEngine _engine = null!;

    [GlobalSetup]
    public void Setup()
    {
        var clock = new SteppingClock();
        _engine = new DurableExecutionEngine(new InMemoryExecutionStore(), clock);
        for (var i = 0; i < N; i++)
        {
            var arn = _engine.StartExecution(new StartExecutionRequest
            {
                FunctionName = Function, ExecutionName = i == N / 2 ? "middle" : null, Payload = "{}",
            }).DurableExecutionArn;
            if (i < N - 100)
            {
                _engine.StopExecution(arn);
            }
        }
    }

    [Benchmark]
    public int NewestPage() =>
        _engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest { FunctionName = Function, MaxItems = 50 })
            .DurableExecutions.Count;

    [Benchmark]
    public int Running() =>
        _engine.ListExecutionsByFunction(new ListDurableExecutionsByFunctionRequest
        {
            FunctionName = Function, MaxItems = 1000, Statuses = [ExecutionStatus.Running],
        }).DurableExecutions.Count;

    [Benchmark]
    public int EveryPage() => _engine.ListExecutions(Function).Count;

    [Benchmark]
    public bool NamedStartOfAnExistingExecution() =>
        _engine.StartExecution(new StartExecutionRequest { FunctionName = Function, ExecutionName = "middle", Payload = "{}" })
            .AlreadyExisted;

    /// <summary>A millisecond later at every read, so every execution starts at a time of its own.</summary>
    private sealed class SteppingClock : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now = _now.AddMilliseconds(1);
    }
}
