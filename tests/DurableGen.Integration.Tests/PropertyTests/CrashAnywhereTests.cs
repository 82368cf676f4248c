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
using DurableGen.TestSupport.FaultModel;
using DurableGen.TestSupport.RandomPrograms;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.Integration.Tests.PropertyTests;

/// <summary>
/// Crash anywhere, with network faults (design §5, issue 19): random workflow programs run once without faults (the
/// reference) and once with faults at random checkpoint requests of random invocations — the process killed before
/// sending or after the service applied, the response lost, a 5xx or a 429 answered (all retried by the runtime's own
/// HTTP client), the invocation timed out with the request in flight, a duplicate delivery. <see cref="FaultCheck"/>
/// compares the runs and checks the history invariants. <c>DURABLEGEN_PROPERTY_PROGRAMS</c> scales the program count
/// up; the soak command (<c>DurableGen.Benchmarks --soak-faults</c>) runs many more.
/// </summary>
public sealed class CrashAnywhereTests(ITestOutputHelper output)
{
    /// <summary>Programs per test run (each is run twice, reference and faulted): the default keeps the suite's time
    /// budget.</summary>
    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("DURABLEGEN_PROPERTY_PROGRAMS"), out var n) && n > 0 ? n : 300;

    [Fact]
    public async Task Any_fault_at_any_checkpoint_gives_the_reference_outcome()
    {
        var stats = new FaultStats();
        await FaultCase.Generator(FaultCase.AllKinds).SampleAsync(c => FaultCheck.CheckAsync(c, stats), output.WriteLine,
            iter: Iterations, print: FaultCheck.Print);
        output.WriteLine(stats.ToString());
        foreach (var kind in FaultCase.AllKinds)
        {
            Assert.True(stats.FiredOf(kind) > 0, $"No {kind} fault ever hit a checkpoint: {stats}");
        }

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
        FaultCase.Crashes.SampleAsync(c => FaultCheck.CheckAsync(c), output.WriteLine, seed: seed, iter: 1, threads: 1,
            print: FaultCheck.Print);

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
                    await FaultCheck.CheckAsync(new FaultCase(program, new[] { new PlannedFault(invocation, checkpoint, kind) }));
                }
            }
        }
    }

    /// <summary>
    /// The same fixed program with each network fault (lost response, 5xx, 429, timeout in flight, duplicate delivery)
    /// at each of the first checkpoints of its first invocations, so every kind meets a START, a SUCCEED, a RETRY and
    /// a callback's creation.
    /// </summary>
    [Fact]
    public async Task A_known_program_survives_each_network_fault_at_each_of_its_first_checkpoints()
    {
        var program = ProgramGenerators.Rename(new Node[]
        {
            new StepNode("", 1, AtMostOnce: true, FailFirst: 1, Delay: 1),
            new CallbackNode("", Succeeds: true, ViaWaitFor: true),
            new ChildNode("", new Node[] { new StepNode("", 2, false, 0, 1), new WaitNode("", 2) }),
        });
        var kinds = new[]
        {
            CheckpointFault.ResponseLost, CheckpointFault.ServerError, CheckpointFault.Throttled,
            CheckpointFault.TimeoutInFlight, CheckpointFault.DuplicateDelivery,
        };
        for (var invocation = 1; invocation <= 2; invocation++)
        {
            for (var checkpoint = 1; checkpoint <= 2; checkpoint++)
            {
                foreach (var kind in kinds)
                {
                    await FaultCheck.CheckAsync(new FaultCase(program, new[] { new PlannedFault(invocation, checkpoint, kind) }));
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
                    await FaultCheck.CheckAsync(new FaultCase(program, new[] { new PlannedFault(invocation, checkpoint, kind) }));
                }
            }
        }
    }
}
