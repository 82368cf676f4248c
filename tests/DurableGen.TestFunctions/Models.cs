using System.Text.Json.Serialization;
using DurableGen.TestSupport.RandomPrograms;

namespace DurableGen.TestFunctions;

/// <summary>Input of <see cref="FiveStepsWorkflow"/>.</summary>
public sealed record FiveStepsInput(int Seed, int WaitSeconds = 0);

/// <summary>Output of <see cref="FiveStepsWorkflow"/>: the seed and the total after five additions (seed + 15).</summary>
public sealed record FiveStepsResult(int Seed, int Total);

/// <summary>Input of <see cref="CrashableWorkflow"/>: the journal file the steps append to, and how long the first
/// attempt of the blocking step blocks.</summary>
public sealed record CrashableInput(string Journal, int BlockSeconds = 120);

/// <summary>Input of <see cref="ManyStepsWorkflow"/>.</summary>
public sealed record ManyStepsInput(int Count);

/// <summary>The answer <see cref="AwaitsApprovalWorkflow"/> waits for.</summary>
public sealed record Approval(bool Approved, string By);

/// <summary>Input of <see cref="SoakProgramWorkflow"/>: a program as <c>ProgramText</c> and the journal its step
/// bodies append to (none when null).</summary>
public sealed record SoakInput(string Program, string? Journal = null);

/// <summary>Every type these workflows checkpoint (checked at compile time by the generator).</summary>
[JsonSerializable(typeof(FiveStepsInput))]
[JsonSerializable(typeof(FiveStepsResult))]
[JsonSerializable(typeof(CrashableInput))]
[JsonSerializable(typeof(ManyStepsInput))]
[JsonSerializable(typeof(Approval))]
[JsonSerializable(typeof(SoakInput))]
[JsonSerializable(typeof(StepNode))] // map items of the soak's programs
[JsonSerializable(typeof(int))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestFunctionsJson : JsonSerializerContext;
