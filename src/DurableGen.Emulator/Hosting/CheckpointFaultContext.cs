using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>Identifies one checkpoint request of one invocation, for fault planning.</summary>
/// <param name="InvocationNumber">1-based number of the invocation within the execution.</param>
/// <param name="CheckpointNumber">1-based number of the checkpoint request within the invocation.</param>
/// <param name="Request">The request about to be sent.</param>
public sealed record CheckpointFaultContext(int InvocationNumber, int CheckpointNumber, CheckpointDurableExecutionRequest Request);
