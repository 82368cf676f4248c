using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using CsCheck;
using DurableGen.Emulator.Hosting;
using DurableGen.Protocol;
using DurableGen.Integration.Tests.Support;
using DurableGen.Testing;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Integration.Tests.PropertyTests;

/// <summary>
/// Crash anywhere (design §5): random workflow programs run once without faults (the reference) and once with the
/// process killed at random checkpoint requests of random invocations. The crashed run must end the same way, with
/// the same operation records and (when no step is at-most-once) the same history, and no at-most-once step body may
/// run twice for one attempt.
/// </summary>
public sealed class CrashAnywhereTests(ITestOutputHelper output)
{
    /// <summary>Programs per test run; each is run twice (reference and crashed).</summary>
    private const int Iterations = 300;

    [Fact]
    public async Task Crashing_at_any_checkpoint_gives_the_reference_outcome()
    {
        var stats = new Stats();
        await Generators.Case.SampleAsync(c => Check(c, stats), output.WriteLine, iter: Iterations, print: Print);
        output.WriteLine(stats.ToString());
        Assert.True(stats.FiredAfter > 0 && stats.FiredBefore > 0, "The fault plans never hit a checkpoint: " + stats);
        Assert.True(stats.Kinds.Count(k => k.Value > 0) == 4, "Some node kind was never generated: " + stats);
    }

    /// <summary>
    /// Seeds that once failed (issue 10): their histories run past the first page of 100 events, which the test runner
    /// used to stand for the whole history, so the crashed run's extra InvocationCompleted events pushed the tail off.
    /// </summary>
    [Theory]
    [InlineData("eiAelAErwoR7")]
    [InlineData("ccVsanqnFYD4")]
    [InlineData("eKssoMDJzzh5")]
    [InlineData("0Tvao50h9mZ4")]
    [InlineData("71LaPVhaHl14")]
    public Task A_seed_that_once_failed_gives_the_reference_outcome(string seed) =>
        Generators.Case.SampleAsync(c => Check(c), output.WriteLine, seed: seed, iter: 1, threads: 1, print: Print);

    /// <summary>A fixed program with a fault at every kind of update, so the property never goes vacuous.</summary>
    [Fact]
    public async Task A_known_program_survives_a_crash_at_each_of_its_first_checkpoints()
    {
        var program = Generators.Rename(new Node[]
        {
            new StepNode("", 1, AtMostOnce: false, FailFirst: 1, Delay: 1),
            new StepNode("", 2, AtMostOnce: true, FailFirst: 0, Delay: 2),
            new WaitNode("", 3),
            new CallbackNode("", Succeeds: false, ViaWaitFor: true),
            new ChildNode("", new Node[] { new CallbackNode("", Succeeds: true, ViaWaitFor: false), new StepNode("", 3, false, 0, 1) }),
            new ChildNode("", new Node[] { new StepNode("", 4, false, FailFirst: 2, Delay: 1, Exhausts: true) }, Flat: true),
        });
        for (var invocation = 1; invocation <= 8; invocation++)
        {
            for (var checkpoint = 1; checkpoint <= 4; checkpoint++)
            {
                foreach (var kind in new[] { CheckpointFault.CrashBeforeSending, CheckpointFault.CrashAfterApplying })
                {
                    await Check(new Case(program, new[] { new PlannedFault(invocation, checkpoint, kind) }));
                }
            }
        }
    }

    /// <summary>A fixed program of batches, polls and invokes, crashed at each of its first checkpoints.</summary>
    [Fact]
    public async Task A_known_program_with_batches_polls_and_invokes_survives_a_crash_at_each_of_its_first_checkpoints()
    {
        var program = Generators.Rename(new Node[]
        {
            new ParallelNode("", new Node[] { new StepNode("", 1, false, FailFirst: 1, Delay: 1), new PollNode("", Target: 2, Delay: 1) }),
            new MapNode("", new[] { new StepNode("", 2, true, 0, 1), new StepNode("", 3, false, FailFirst: 1, Delay: 2, Exhausts: true) }),
            new InvokeNode("", 5),
            new PollNode("", Target: 3, Delay: 2),
        });
        for (var invocation = 1; invocation <= 6; invocation++)
        {
            for (var checkpoint = 1; checkpoint <= 3; checkpoint++)
            {
                foreach (var kind in new[] { CheckpointFault.CrashBeforeSending, CheckpointFault.CrashAfterApplying })
                {
                    await Check(new Case(program, new[] { new PlannedFault(invocation, checkpoint, kind) }));
                }
            }
        }
    }

    private static async Task Check(Case testCase, Stats? stats = null)
    {
        var reference = await Run(testCase.Program, Array.Empty<PlannedFault>());
        if (reference.Result.Status != ExecutionStatus.Succeeded)
        {
            throw new InvalidOperationException(
                $"The reference run did not succeed ({reference.Result.Status}: {reference.Result.Error?.ErrorType}: " +
                $"{reference.Result.Error?.ErrorMessage}); the interpreter is wrong.\n{reference.Result.FormatTimeline()}");
        }

        var crashed = await Run(testCase.Program, testCase.Faults);
        stats?.Add(testCase, reference, crashed);
        var problems = new List<string>();
        Compare(problems, "status", reference.Result.Status, crashed.Result.Status);
        Compare(problems, "result", reference.Result.Result, crashed.Result.Result);
        CompareLists(problems, "operation records", Records(reference), Records(crashed));
        if (!testCase.Program.Flatten().Any(n => n is StepNode { AtMostOnce: true }))
        {
            CompareLists(problems, "history without InvocationCompleted", Events(reference), Events(crashed));
        }

        CheckBodies(problems, "reference", testCase.Program, reference);
        CheckBodies(problems, "crashed run", testCase.Program, crashed);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", problems)
                + $"\nFaults fired: {string.Join(", ", crashed.Fired)}"
                + $"\n--- reference timeline ---\n{reference.Result.FormatTimeline()}"
                + $"--- crashed timeline ---\n{crashed.Result.FormatTimeline()}");
        }
    }

    /// <summary>Runs <paramref name="program"/> to the end, answering each callback once the execution is idle on it.</summary>
    private static async Task<RunOutcome> Run(IReadOnlyList<Node> program, IReadOnlyList<PlannedFault> faults)
    {
        var probe = new BodyProbe();
        var fired = new ConcurrentQueue<string>();
        var plan = faults.GroupBy(f => (f.Invocation, f.Checkpoint)).ToDictionary(g => g.Key, g => g.First().Kind);
        var runner = ReflectionRunner.Create<string, string>(
            (input, context) => Interpreter.RunAsync(context, program, probe),
            new DurableTestRunnerOptions
            {
                Host = new InProcessHostOptions
                {
                    MaxInvocations = 200,
                    Faults = fault =>
                    {
                        if (!plan.TryGetValue((fault.InvocationNumber, fault.CheckpointNumber), out var kind))
                        {
                            return CheckpointFault.None;
                        }

                        fired.Enqueue($"inv {fault.InvocationNumber} cp {fault.CheckpointNumber} {kind} [" + string.Join(" ",
                            fault.Request.Updates?.Select(u => $"{u.Type}:{u.Action}:{u.Name}") ?? Array.Empty<string>()) + "]");
                        return kind;
                    },
                },
            });

        runner.Host.RegisterFunction<int, int>(Interpreter.InvokeTarget, (value, _) => Task.FromResult(value + 1));
        var execution = await runner.StartAsync("in");
        var host = runner.Host;
        var arn = execution.DurableExecutionArn;

        // The program is sequential, so its callbacks start in program order. Each is answered once it waits: created,
        // and for wait-for-callback once its submitter step has succeeded (as a real external system only learns the id
        // from the submitter). Host.RunUntilAsync checks the condition before moving the virtual clock, so the answer
        // comes at the same virtual time in every run.
        foreach (var callback in program.Flatten().OfType<CallbackNode>())
        {
            var callbackName = callback.ViaWaitFor ? callback.Name + "-callback" : callback.Name;
            Operation? waiting = null;
            await host.RunUntilAsync(() =>
            {
                if (execution.Status != ExecutionStatus.Running)
                {
                    return true;
                }

                var operations = host.GetOperations(arn);
                waiting = operations.FirstOrDefault(o => o.Name == callbackName && o.Status == OperationStatus.Started);
                return waiting is not null && (!callback.ViaWaitFor || operations.Any(o =>
                    o.Name == callback.Name + "-submitter" && o.Status == OperationStatus.Succeeded));
            });
            if (waiting is null)
            {
                break;
            }

            if (callback.Succeeds)
            {
                await host.Callbacks.SendCallbackSuccessAsync(waiting.CallbackDetails!.CallbackId!,
                    JsonSerializer.Serialize("answer-" + callback.Name));
            }
            else
            {
                await host.Callbacks.SendCallbackFailureAsync(waiting.CallbackDetails!.CallbackId!,
                    new ErrorObject { ErrorType = "Test.Rejected", ErrorMessage = "rejected " + callback.Name });
            }
        }

        return new RunOutcome(await execution.WaitForResultAsync(), probe, fired.ToArray());
    }

    private static List<string> Records(RunOutcome run) => run.Result.AllOperations.Select(o =>
        $"{o.Id[..8]} {o.Type}/{o.SubType} {o.Name} {o.Status} result={o.ResultText}" +
        (o.Type == OperationType.Step ? "" : $" error={o.Error?.ErrorType}:{o.Error?.ErrorMessage}")).ToList();

    private static List<string> Events(RunOutcome run) => run.Result.History
        .Where(e => e.EventType != EventType.InvocationCompleted)
        .Select(e => e.EventType.ToString().StartsWith("Execution", StringComparison.Ordinal)
            ? $"{e.EventType} {Payload(e)}" // the execution's id and name differ per execution
            : $"{e.EventType} {e.Id?[..8]} parent={e.ParentId?[..8]} {e.Name} {e.SubType} {Payload(e)}")
        .ToList();

    private static string Payload(Event e)
    {
        var result = e.StepSucceededDetails?.Result ?? e.ContextSucceededDetails?.Result ?? e.CallbackSucceededDetails?.Result
            ?? e.ChainedInvokeSucceededDetails?.Result ?? e.ChainedInvokeStartedDetails?.Input
            ?? e.ExecutionSucceededDetails?.Result ?? e.ExecutionStartedDetails?.Input;
        var error = e.StepFailedDetails?.Error ?? e.ContextFailedDetails?.Error ?? e.CallbackFailedDetails?.Error
            ?? e.CallbackTimedOutDetails?.Error ?? e.ExecutionFailedDetails?.Error;
        var retry = e.StepSucceededDetails?.RetryDetails ?? e.StepFailedDetails?.RetryDetails;
        return $"result={result?.Payload} error={error?.Payload?.ErrorType}:{error?.Payload?.ErrorMessage}"
            + (retry is null ? "" : $" attempt={retry.CurrentAttempt} next={retry.NextAttemptDelaySeconds}")
            + (e.WaitStartedDetails is { } wait ? $" wait={wait.Duration}" : "");
    }

    /// <summary>At most once per attempt for at-most-once bodies; at least once per recorded attempt for the others.</summary>
    private static void CheckBodies(List<string> problems, string run, IReadOnlyList<Node> program, RunOutcome outcome)
    {
        foreach (var ((name, attempt), count) in outcome.Probe.Counts)
        {
            var step = program.Flatten().OfType<StepNode>().Single(s => s.Name == name);
            if (step.AtMostOnce && count > 1)
            {
                problems.Add($"{run}: the at-most-once body of {name} ran {count} times for attempt {attempt}");
            }
        }

        foreach (var step in program.Flatten().OfType<StepNode>().Where(s => !s.AtMostOnce))
        {
            var id = outcome.Result.FindStep(step.Name)?.Id;
            var attempts = outcome.Result.History
                .Where(e => e.Id == id && e.EventType is EventType.StepSucceeded or EventType.StepFailed)
                .Select(e => (e.StepSucceededDetails?.RetryDetails ?? e.StepFailedDetails?.RetryDetails)?.CurrentAttempt ?? 0);
            foreach (var attempt in attempts)
            {
                if (outcome.Probe.Count(step.Name, attempt) < 1)
                {
                    problems.Add($"{run}: the history records attempt {attempt} of {step.Name}, whose body never ran");
                }
            }
        }
    }

    private static void Compare<T>(List<string> problems, string what, T expected, T actual)
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            problems.Add($"{what}: expected {expected}, got {actual}");
        }
    }

    private static void CompareLists(List<string> problems, string what, List<string> expected, List<string> actual)
    {
        if (expected.SequenceEqual(actual))
        {
            return;
        }

        var text = new StringBuilder($"{what} differ:\n");
        for (var i = 0; i < Math.Max(expected.Count, actual.Count); i++)
        {
            var e = i < expected.Count ? expected[i] : "(none)";
            var a = i < actual.Count ? actual[i] : "(none)";
            text.Append(e == a ? "    " : "  ! ").Append(e).AppendLine(e == a ? "" : "\n    >> " + a);
        }

        problems.Add(text.ToString());
    }

    private static string Print(Case testCase) =>
        $"program: {Format(testCase.Program)}\nfaults: {string.Join(", ", testCase.Faults)}";

    private static string Format(IReadOnlyList<Node> nodes) => "[" + string.Join(", ", nodes.Select(n => n switch
    {
        ChildNode c => $"Child({c.Name}{(c.Flat ? " flat" : "")}, {Format(c.Children)})",
        ParallelNode p => $"Parallel({p.Name}, {Format(p.Branches)})",
        MapNode m => $"Map({m.Name}, {Format(m.Items)})",
        _ => n.ToString(),
    })) + "]";

    private sealed class Stats
    {
        private readonly ConcurrentDictionary<string, int> _invocationErrors = new();
        private int _cases, _historyChecked, _before, _after, _invocations, _referenceInvocations, _interrupted;

        public int FiredBefore => _before;

        public int FiredAfter => _after;

        /// <summary>Programs containing each of the batch, poll and invoke node kinds.</summary>
        public ConcurrentDictionary<string, int> Kinds { get; } = new();

        public void Add(Case testCase, RunOutcome reference, RunOutcome crashed)
        {
            Interlocked.Increment(ref _cases);
            foreach (var kind in testCase.Program.Flatten().Select(n => n.GetType().Name)
                .Where(k => k is nameof(ParallelNode) or nameof(MapNode) or nameof(PollNode) or nameof(InvokeNode)).Distinct())
            {
                Kinds.AddOrUpdate(kind, 1, static (_, n) => n + 1);
            }

            if (!testCase.Program.Flatten().Any(n => n is StepNode { AtMostOnce: true }))
            {
                Interlocked.Increment(ref _historyChecked);
            }

            Interlocked.Add(ref _before, crashed.Fired.Count(f => f.Contains(nameof(CheckpointFault.CrashBeforeSending))));
            Interlocked.Add(ref _after, crashed.Fired.Count(f => f.Contains(nameof(CheckpointFault.CrashAfterApplying))));
            Interlocked.Add(ref _referenceInvocations, reference.Result.InvocationCount);
            Interlocked.Add(ref _invocations, crashed.Result.InvocationCount);
            Interlocked.Add(ref _interrupted, crashed.Result.History.Count(e =>
                e.StepFailedDetails?.Error?.Payload?.ErrorType?.EndsWith("StepInterruptedException", StringComparison.Ordinal) == true));
            foreach (var e in crashed.Result.History)
            {
                if (e.InvocationCompletedDetails?.Error?.Payload?.ErrorType is { } type)
                {
                    _invocationErrors.AddOrUpdate(type, 1, static (_, n) => n + 1);
                }
            }
        }

        public override string ToString() =>
            $"{_cases} programs ({_historyChecked} with the full history compared); faults fired: {_before} crash-before-sending, " +
            $"{_after} crash-after-applying; {_interrupted} at-most-once attempts interrupted; invocations: " +
            $"{_referenceInvocations} reference, {_invocations} crashed runs; failed invocations recorded as " +
            string.Join(", ", _invocationErrors.Select(p => $"{p.Key} ×{p.Value}")) +
            "; programs with " + string.Join(", ", Kinds.OrderBy(p => p.Key).Select(p => $"{p.Key} ×{p.Value}"));
    }

    private sealed record RunOutcome(DurableTestResult<string> Result, BodyProbe Probe, string[] Fired);
}

/// <summary>One generated test case: a program and the faults to inject into its second run.</summary>
internal sealed record Case(IReadOnlyList<Node> Program, IReadOnlyList<PlannedFault> Faults);

/// <summary>Crash at the <paramref name="Checkpoint"/>-th request of the <paramref name="Invocation"/>-th invocation.</summary>
internal sealed record PlannedFault(int Invocation, int Checkpoint, CheckpointFault Kind);

internal abstract record Node(string Name);

/// <summary>
/// A step whose body fails its first <paramref name="FailFirst"/> attempts, retried after <paramref name="Delay"/> s. When
/// <paramref name="Exhausts"/> (at-least-once only) the strategy gives up after those attempts, so the step fails and the
/// interpreter folds the <see cref="StepException"/> into the result.
/// </summary>
internal sealed record StepNode(string Name, int Value, bool AtMostOnce, int FailFirst, int Delay, bool Exhausts = false)
    : Node(Name);

internal sealed record WaitNode(string Name, int Seconds) : Node(Name);

/// <summary>A callback the test answers with success or failure, created directly or through WaitForCallbackAsync.</summary>
internal sealed record CallbackNode(string Name, bool Succeeds, bool ViaWaitFor) : Node(Name);

/// <summary>A child context; <paramref name="Flat"/> ones have no record of their own.</summary>
internal sealed record ChildNode(string Name, IReadOnlyList<Node> Children, bool Flat = false) : Node(Name);

/// <summary>A parallel run one branch at a time (deterministic history); each branch is one node, all must run.</summary>
internal sealed record ParallelNode(string Name, IReadOnlyList<Node> Branches) : Node(Name);

/// <summary>A map run one item at a time; item i runs the step <c>Items[i]</c> in its iteration context.</summary>
internal sealed record MapNode(string Name, IReadOnlyList<StepNode> Items) : Node(Name);

/// <summary>A wait-for-condition counting from 0 to <paramref name="Target"/>, polling every <paramref name="Delay"/> s.</summary>
internal sealed record PollNode(string Name, int Target, int Delay) : Node(Name);

/// <summary>A chained invoke of the plain target that answers <c>value + 1</c>.</summary>
internal sealed record InvokeNode(string Name, int Value) : Node(Name);

internal static class NodeExtensions
{
    public static IEnumerable<Node> Flatten(this IEnumerable<Node> nodes) => nodes.SelectMany(n => n switch
    {
        ChildNode c => new[] { n }.Concat(c.Children.Flatten()),
        ParallelNode p => new[] { n }.Concat(p.Branches.Flatten()),
        MapNode m => new[] { n }.Concat(m.Items.Flatten()),
        _ => new[] { n },
    });
}

/// <summary>Counts how often each step body ran, per attempt number.</summary>
internal sealed class BodyProbe
{
    private readonly ConcurrentDictionary<(string Name, int Attempt), int> _counts = new();

    public IEnumerable<KeyValuePair<(string Name, int Attempt), int>> Counts => _counts;

    public void Ran(string name, int attempt) => _counts.AddOrUpdate((name, attempt), 1, static (_, n) => n + 1);

    public int Count(string name, int attempt) => _counts.TryGetValue((name, attempt), out var n) ? n : 0;
}

internal static class Generators
{
    private static readonly Gen<Node> Leaf = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[0, 3],
            (value, failFirst, delay, exhausts) => (Node)new StepNode("", value, false, failFirst, delay, exhausts == 0))),
        (2, Gen.Int[1, 5].Select(seconds => (Node)new WaitNode("", seconds))),
        (2, Gen.Select(Gen.Bool, Gen.Bool, (succeeds, viaWaitFor) => (Node)new CallbackNode("", succeeds, viaWaitFor))),
        (1, Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], (target, delay) => (Node)new PollNode("", target, delay))),
        (1, Gen.Int[0, 99].Select(value => (Node)new InvokeNode("", value))));

    /// <summary>What a batch unit runs: no callbacks (their answers follow program order) and no nested batches.</summary>
    private static readonly Gen<Node> UnitLeaf = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[0, 3],
            (value, failFirst, delay, exhausts) => (Node)new StepNode("", value, false, failFirst, delay, exhausts == 0))),
        (1, Gen.Int[1, 5].Select(seconds => (Node)new WaitNode("", seconds))),
        (1, Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], (target, delay) => (Node)new PollNode("", target, delay))),
        (1, Gen.Int[0, 99].Select(value => (Node)new InvokeNode("", value))));

    private static readonly Gen<Node> Batch = Gen.Frequency(
        (1, UnitLeaf.Array[0, 3].Select(branches => (Node)new ParallelNode("", branches))),
        (1, Gen.Select(Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[0, 3],
                (value, failFirst, exhausts) => new StepNode("", value, false, failFirst, 1, exhausts == 0)).Array[0, 3]
            .Select(items => (Node)new MapNode("", items))));

    private static readonly Gen<IReadOnlyList<Node>> Program = Gen.Select(NodeGen(2).Array[1, 6], Gen.Bool,
        Gen.Int[0, 1000], (nodes, allowAtMostOnce, salt) => Rename(allowAtMostOnce ? MakeSomeAtMostOnce(nodes, salt) : nodes));

    // Mostly early invocations and checkpoints (where every program has some), sometimes late ones.
    private static readonly Gen<PlannedFault[]> Faults = Gen.Select(
        Gen.Frequency((5, Gen.Int[1, 6]), (1, Gen.Int[7, 12])), Gen.Frequency((5, Gen.Int[1, 3]), (1, Gen.Int[4, 8])), Gen.Bool,
            (invocation, checkpoint, after) => new PlannedFault(invocation, checkpoint,
                after ? CheckpointFault.CrashAfterApplying : CheckpointFault.CrashBeforeSending))
        .Array[0, CrashAnywhereLimits.MaxFaults];

    public static readonly Gen<Case> Case = Gen.Select(Program, Faults, (program, faults) => new Case(program, faults));

    /// <summary>Gives every operation a unique name (s1, w2, cb3, ctx4, …) in program order.</summary>
    public static IReadOnlyList<Node> Rename(IReadOnlyList<Node> nodes)
    {
        var counter = 0;
        return Walk(nodes);

        IReadOnlyList<Node> Walk(IReadOnlyList<Node> list) => list.Select(n =>
        {
            var number = ++counter;
            return n switch
            {
                StepNode s => s with { Name = "s" + number },
                WaitNode w => w with { Name = "w" + number },
                CallbackNode c => c with { Name = "cb" + number },
                ChildNode c => (Node)new ChildNode("ctx" + number, Walk(c.Children), c.Flat),
                ParallelNode p => new ParallelNode("par" + number, Walk(p.Branches)),
                MapNode m => new MapNode("map" + number, Walk(m.Items).Cast<StepNode>().ToArray()),
                PollNode p => p with { Name = "poll" + number },
                InvokeNode i => i with { Name = "inv" + number },
                _ => throw new InvalidOperationException(),
            };
        }).ToArray();
    }

    private static Gen<Node> NodeGen(int depth) => depth == 0
        ? Leaf
        : Gen.Frequency((8, Leaf), (2, Gen.Select(NodeGen(depth - 1).Array[0, 3], Gen.Int[0, 3],
            (children, flat) => (Node)new ChildNode("", children, flat == 0))), (2, Batch));

    /// <summary>Turns about half the steps at-most-once, chosen by <paramref name="salt"/> (so shrinking keeps it stable).</summary>
    private static IReadOnlyList<Node> MakeSomeAtMostOnce(IReadOnlyList<Node> nodes, int salt)
    {
        var index = 0;
        return Walk(nodes);

        IReadOnlyList<Node> Walk(IReadOnlyList<Node> list) => list.Select(n => n switch
        {
            // An exhausted at-most-once step would legitimately fail sooner when a crash interrupts an attempt.
            StepNode s when ((salt >> (index++ % 10)) & 1) == 0 => s with { AtMostOnce = true, Exhausts = false },
            ChildNode c => c with { Children = Walk(c.Children) },
            ParallelNode p => p with { Branches = Walk(p.Branches) },
            MapNode m => m with { Items = Walk(m.Items).Cast<StepNode>().ToArray() },
            _ => n,
        }).ToArray();
    }
}

internal static class CrashAnywhereLimits
{
    /// <summary>The most faults one plan holds: fewer than the engine's five consecutive failed invocations.</summary>
    public const int MaxFaults = 4;

    /// <summary>Step attempts allowed: enough for two planned failures plus an interruption per fault.</summary>
    public const int MaxAttempts = 8;
}

/// <summary>Interprets a program over <see cref="IDurableContext"/>, returning a string that depends on every result.</summary>
internal static class Interpreter
{
    /// <summary>The plain function invoke nodes call.</summary>
    public const string InvokeTarget = "increment";

    private static readonly CompletionConfig EveryUnit = CompletionConfig.AllCompleted();

    public static async Task<string> RunAsync(IDurableContext context, IReadOnlyList<Node> nodes, BodyProbe probe)
    {
        var parts = new List<string>();
        foreach (var node in nodes)
        {
            parts.Add(await RunNodeAsync(context, node, probe));
        }

        return "<" + string.Join(",", parts) + ">";
    }

    private static async Task<string> RunNodeAsync(IDurableContext context, Node node, BodyProbe probe)
    {
        switch (node)
        {
            case StepNode step:
                try
                {
                    return await RunStepAsync(context, step, probe);
                }
                catch (StepException ex) when (step.Exhausts)
                {
                    return $"{step.Name}:gave-up:{ex.Message}";
                }

            case WaitNode wait:
                await context.WaitAsync(TimeSpan.FromSeconds(wait.Seconds), wait.Name);
                return wait.Name + "~" + wait.Seconds;
            case CallbackNode { ViaWaitFor: true } callback:
                try
                {
                    return "ok:" + await context.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, callback.Name);
                }
                catch (CallbackFailedException ex)
                {
                    return $"fail:{ex.GetType().Name}:{ex.Message}";
                }

            case CallbackNode callback:
            {
                var handle = await context.CreateCallbackAsync<string>(callback.Name);
                try
                {
                    return "ok:" + await handle.GetResultAsync();
                }
                catch (CallbackFailedException ex)
                {
                    return $"fail:{ex.GetType().Name}:{ex.Message}";
                }
            }

            case ChildNode child:
                return child.Name + await context.RunInChildContextAsync((inner, _) => RunAsync(inner, child.Children, probe),
                    child.Name, child.Flat ? new ChildContextConfig { NestingType = NestingType.Flat } : null);
            case ParallelNode parallel:
            {
                var batch = await context.ParallelAsync(parallel.Branches
                    .Select(b => (Func<IDurableContext, CancellationToken, Task<string>>)((c, _) => RunNodeAsync(c, b, probe)))
                    .ToArray(), parallel.Name, new ParallelConfig { MaxConcurrency = 1, CompletionConfig = EveryUnit });
                return parallel.Name + Describe(batch);
            }

            case MapNode map:
            {
                var batch = await context.MapAsync<StepNode, string>(map.Items, (c, item, _, _, _) => RunNodeAsync(c, item, probe),
                    map.Name, new MapConfig<StepNode> { MaxConcurrency = 1, CompletionConfig = EveryUnit });
                return map.Name + Describe(batch);
            }

            case PollNode poll:
            {
                var state = await context.WaitForConditionAsync<int>((s, _, _) => Task.FromResult(s + 1), new WaitForConditionConfig<int>
                {
                    InitialState = 0,
                    WaitStrategy = WaitStrategy.Fixed<int>(TimeSpan.FromSeconds(poll.Delay), isDone: s => s >= poll.Target),
                }, poll.Name);
                return $"{poll.Name}#{state}";
            }

            case InvokeNode invoke:
                return $"{invoke.Name}>{await context.InvokeAsync<int, int>(InvokeTarget, invoke.Value, invoke.Name)}";
            default:
                throw new InvalidOperationException($"Unknown node {node}");
        }
    }

    private static string Describe(IBatchResult<string> batch) =>
        $"[{batch.CompletionReason}:{string.Join("|", batch.All.Select(i => $"{i.Index}:{i.Status}:{i.Result}{i.Error?.Message}"))}]";

    private static Task<string> RunStepAsync(IDurableContext context, StepNode step, BodyProbe probe) =>
        context.StepAsync((stepContext, _) =>
        {
            probe.Ran(step.Name, stepContext.AttemptNumber);
            if (stepContext.AttemptNumber <= step.FailFirst)
            {
                throw new InvalidOperationException($"{step.Name} fails attempt {stepContext.AttemptNumber}");
            }

            return Task.FromResult($"{step.Name}={step.Value}");
        }, step.Name, new StepConfig
        {
            Semantics = step.AtMostOnce ? StepSemantics.AtMostOncePerRetry : StepSemantics.AtLeastOncePerRetry,
            RetryStrategy = RetryStrategy.FromDelegate((_, attempt) =>
                attempt < (step.Exhausts ? step.FailFirst : CrashAnywhereLimits.MaxAttempts)
                    ? RetryDecision.RetryAfter(TimeSpan.FromSeconds(step.Delay))
                    : RetryDecision.DoNotRetry()),
        });
}
