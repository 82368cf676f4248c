using System.Collections.Generic;
using System.Linq;
using CsCheck;
using DurableGen.Emulator.Hosting;
using DurableGen.TestSupport.RandomPrograms;

namespace DurableGen.TestSupport.FaultModel;

/// <summary>One generated case: a program and the faults to inject into its second run.</summary>
internal sealed record FaultCase(IReadOnlyList<Node> Program, IReadOnlyList<PlannedFault> Faults)
{
    /// <summary>Random programs with up to <see cref="MaxFaults"/> faults of <paramref name="kinds"/> each.</summary>
    public static Gen<FaultCase> Generator(params CheckpointFault[] kinds)
    {
        // Mostly early invocations and checkpoints (where every program has some), sometimes late ones.
        var faults = Gen.Select(
                Gen.Frequency((5, Gen.Int[1, 6]), (1, Gen.Int[7, 12])), Gen.Frequency((5, Gen.Int[1, 3]), (1, Gen.Int[4, 8])),
                Gen.Int[0, kinds.Length - 1], (invocation, checkpoint, kind) => new PlannedFault(invocation, checkpoint, kinds[kind]))
            .Array[0, MaxFaults];
        return Gen.Select(ProgramGenerators.Program, faults, (program, planned) => new FaultCase(program, planned));
    }

    /// <summary>
    /// Crashes only (before sending, after applying): the generator the crash-anywhere seeds were found with, kept as
    /// it was so those seeds still reproduce their cases.
    /// </summary>
    public static Gen<FaultCase> Crashes { get; } = Gen.Select(ProgramGenerators.Program,
        Gen.Select(
                Gen.Frequency((5, Gen.Int[1, 6]), (1, Gen.Int[7, 12])), Gen.Frequency((5, Gen.Int[1, 3]), (1, Gen.Int[4, 8])), Gen.Bool,
                (invocation, checkpoint, after) => new PlannedFault(invocation, checkpoint,
                    after ? CheckpointFault.CrashAfterApplying : CheckpointFault.CrashBeforeSending))
            .Array[0, MaxFaults],
        (program, planned) => new FaultCase(program, planned));

    /// <summary>Every fault kind but <see cref="CheckpointFault.None"/>.</summary>
    public static CheckpointFault[] AllKinds { get; } = System.Enum.GetValues<CheckpointFault>().Where(k => k != CheckpointFault.None).ToArray();

    /// <summary>
    /// The most faults one plan holds: fewer than the engine's five consecutive failed invocations (a crash, a timeout
    /// and a duplicate delivery each fail one invocation).
    /// </summary>
    public const int MaxFaults = 4;
}

/// <summary>Inject <paramref name="Kind"/> at the <paramref name="Checkpoint"/>-th request of the
/// <paramref name="Invocation"/>-th invocation.</summary>
internal sealed record PlannedFault(int Invocation, int Checkpoint, CheckpointFault Kind);
