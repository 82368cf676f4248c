using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Protocol;
using DurableGen.Testing;
using DurableGen.TestSupport.RandomPrograms;

namespace DurableGen.TestSupport.FaultModel;

/// <summary>
/// Crash anywhere, with network faults (design §5, issue 19): a random program runs once without faults (the
/// reference) and once with the case's faults. The faulted run must end the same way, with the same operation records
/// and (when no step is at-most-once) the same history; no at-most-once step body may run twice for one attempt; and
/// both runs must keep the <see cref="HistoryInvariants"/>. Shared by the property test and the soak command.
/// </summary>
internal static class FaultCheck
{
    /// <summary>Runs <paramref name="testCase"/>; throws with both timelines when the faulted run diverges.</summary>
    public static async Task CheckAsync(FaultCase testCase, FaultStats? stats = null)
    {
        var reference = await RunAsync(testCase.Program, Array.Empty<PlannedFault>());
        if (reference.Result.Status != ExecutionStatus.Succeeded)
        {
            throw new InvalidOperationException(
                $"The reference run did not succeed ({reference.Result.Status}: {reference.Result.Error?.ErrorType}: " +
                $"{reference.Result.Error?.ErrorMessage}); the interpreter is wrong.\n{reference.Result.FormatTimeline()}");
        }

        var faulted = await RunAsync(testCase.Program, testCase.Faults);
        stats?.Add(testCase, reference, faulted);
        var problems = new List<string>();
        Compare(problems, "status", reference.Result.Status, faulted.Result.Status);
        Compare(problems, "result", reference.Result.Result, faulted.Result.Result);
        CompareLists(problems, "operation records", Records(reference), Records(faulted));
        if (!testCase.Program.Flatten().Any(n => n is StepNode { AtMostOnce: true }))
        {
            CompareLists(problems, "history without InvocationCompleted", Events(reference), Events(faulted));
        }

        // A fault the runtime's HTTP client retries (lost response, 5xx, 429) must cost no invocation; each of the others
        // ends exactly one. More failed invocations means a retry was refused or never made.
        var ending = faulted.Fired.Count(f => f.Kind is CheckpointFault.CrashBeforeSending or CheckpointFault.CrashAfterApplying
            or CheckpointFault.TimeoutInFlight or CheckpointFault.DuplicateDelivery);
        Compare(problems, "failed invocations in the reference", 0, FailedInvocations(reference));
        Compare(problems, "failed invocations in the faulted run (one per crash, timeout or duplicate delivery)", ending,
            FailedInvocations(faulted));
        CheckBodies(problems, "reference", testCase.Program, reference);
        CheckBodies(problems, "faulted run", testCase.Program, faulted);
        problems.AddRange(HistoryInvariants.Check(reference.Result.History, reference.Result.AllOperations.Select(o => o.Record))
            .Select(p => "reference: " + p));
        problems.AddRange(HistoryInvariants.Check(faulted.Result.History, faulted.Result.AllOperations.Select(o => o.Record))
            .Select(p => "faulted run: " + p));
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(string.Join("\n", problems)
                + $"\nFaults fired: {string.Join(", ", faulted.Fired.Select(f => f.Text))}"
                + $"\n--- reference timeline ---\n{reference.Result.FormatTimeline()}"
                + $"--- faulted timeline ---\n{faulted.Result.FormatTimeline()}");
        }
    }

    /// <summary>The case as CsCheck prints a failing one.</summary>
    public static string Print(FaultCase testCase) =>
        $"program: {Format(testCase.Program)}\nfaults: {string.Join(", ", testCase.Faults)}";

    /// <summary>Runs <paramref name="program"/> to the end, answering each callback once the execution is idle on it.</summary>
    private static async Task<RunOutcome> RunAsync(IReadOnlyList<Node> program, IReadOnlyList<PlannedFault> faults)
    {
        var probe = new BodyProbe();
        var fired = new ConcurrentQueue<(CheckpointFault, string)>();
        var plan = faults.GroupBy(f => (f.Invocation, f.Checkpoint)).ToDictionary(g => g.Key, g => g.First().Kind);
        var runner = new DurableTestRunner<string, string>(
            (input, context) => ProgramInterpreter.RunAsync(context, program, probe.Ran),
            new DurableTestRunnerOptions
            {
                Host = new InProcessHostOptions
                {
                    MaxInvocations = 200,
                    Serializer = DurableTestSerializers.Reflection,
                    Faults = fault =>
                    {
                        if (!plan.TryGetValue((fault.InvocationNumber, fault.CheckpointNumber), out var kind))
                        {
                            return CheckpointFault.None;
                        }

                        fired.Enqueue((kind, $"inv {fault.InvocationNumber} cp {fault.CheckpointNumber} {kind} [" + string.Join(" ",
                            fault.Request.Updates?.Select(u => $"{u.Type}:{u.Action}:{u.Name}") ?? Array.Empty<string>()) + "]"));
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

    private static int FailedInvocations(RunOutcome run) =>
        run.Result.History.Count(e => e.InvocationCompletedDetails?.Error is not null);

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

    private static string Format(IReadOnlyList<Node> nodes) => "[" + string.Join(", ", nodes.Select(n => n switch
    {
        ChildNode c => $"Child({c.Name}{(c.Flat ? " flat" : "")}, {Format(c.Children)})",
        ParallelNode p => $"Parallel({p.Name}, {Format(p.Branches)})",
        MapNode m => $"Map({m.Name}, {Format(m.Items)})",
        _ => n.ToString(),
    })) + "]";
}

/// <summary>One run of a program: its result, the bodies it ran and the faults that fired.</summary>
internal sealed record RunOutcome(DurableTestResult<string> Result, BodyProbe Probe, (CheckpointFault Kind, string Text)[] Fired);

/// <summary>What a series of checks went through: programs, faults fired per kind, invocations, node kinds.</summary>
internal sealed class FaultStats
{
    private readonly ConcurrentDictionary<string, int> _invocationErrors = new();
    private int _cases, _historyChecked, _invocations, _referenceInvocations, _interrupted;

    public int Cases => _cases;

    /// <summary>Faults fired per kind (a planned fault fires only when its invocation reaches that checkpoint).</summary>
    public ConcurrentDictionary<CheckpointFault, int> Fired { get; } = new();

    /// <summary>Programs containing each of the batch, poll and invoke node kinds.</summary>
    public ConcurrentDictionary<string, int> Kinds { get; } = new();

    public int FiredOf(CheckpointFault kind) => Fired.TryGetValue(kind, out var n) ? n : 0;

    public void Add(FaultCase testCase, RunOutcome reference, RunOutcome faulted)
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

        foreach (var (kind, _) in faulted.Fired)
        {
            Fired.AddOrUpdate(kind, 1, static (_, n) => n + 1);
        }

        Interlocked.Add(ref _referenceInvocations, reference.Result.InvocationCount);
        Interlocked.Add(ref _invocations, faulted.Result.InvocationCount);
        Interlocked.Add(ref _interrupted, faulted.Result.History.Count(e =>
            e.StepFailedDetails?.Error?.Payload?.ErrorType?.EndsWith("StepInterruptedException", StringComparison.Ordinal) == true));
        foreach (var e in faulted.Result.History)
        {
            if (e.InvocationCompletedDetails?.Error?.Payload?.ErrorType is { } type)
            {
                _invocationErrors.AddOrUpdate(type, 1, static (_, n) => n + 1);
            }
        }
    }

    public override string ToString() =>
        $"{_cases} programs ({_historyChecked} with the full history compared); faults fired: " +
        string.Join(", ", FaultCase.AllKinds.Select(k => $"{k} ×{FiredOf(k)}")) +
        $"; {_interrupted} at-most-once attempts interrupted; invocations: {_referenceInvocations} reference, " +
        $"{_invocations} faulted runs; failed invocations recorded as " +
        string.Join(", ", _invocationErrors.OrderBy(p => p.Key).Select(p => $"{p.Key} ×{p.Value}")) +
        "; programs with " + string.Join(", ", Kinds.OrderBy(p => p.Key).Select(p => $"{p.Key} ×{p.Value}"));
}
