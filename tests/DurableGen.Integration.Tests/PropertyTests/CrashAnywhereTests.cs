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
using DurableGen.TestSupport.RandomPrograms;
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
        var program = ProgramGenerators.Rename(new Node[]
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
        var program = ProgramGenerators.Rename(new Node[]
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
            (input, context) => ProgramInterpreter.RunAsync(context, program, probe.Ran),
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

        runner.Host.RegisterFunction<int, int>(ProgramInterpreter.InvokeTarget, (value, _) => Task.FromResult(value + 1));
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
    // Mostly early invocations and checkpoints (where every program has some), sometimes late ones.
    private static readonly Gen<PlannedFault[]> Faults = Gen.Select(
        Gen.Frequency((5, Gen.Int[1, 6]), (1, Gen.Int[7, 12])), Gen.Frequency((5, Gen.Int[1, 3]), (1, Gen.Int[4, 8])), Gen.Bool,
            (invocation, checkpoint, after) => new PlannedFault(invocation, checkpoint,
                after ? CheckpointFault.CrashAfterApplying : CheckpointFault.CrashBeforeSending))
        .Array[0, CrashAnywhereLimits.MaxFaults];

    public static readonly Gen<Case> Case = Gen.Select(ProgramGenerators.Program, Faults, (program, faults) => new Case(program, faults));
}

internal static class CrashAnywhereLimits
{
    /// <summary>The most faults one plan holds: fewer than the engine's five consecutive failed invocations.</summary>
    public const int MaxFaults = 4;
}
