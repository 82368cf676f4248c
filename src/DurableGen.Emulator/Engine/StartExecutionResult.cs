namespace DurableGen.Emulator.Engine;

/// <summary>The result of <see cref="DurableExecutionEngine.StartExecution"/>.</summary>
/// <param name="DurableExecutionArn">The ARN of the started (or existing) execution.</param>
/// <param name="AlreadyExisted">True when an execution with that name and payload already existed and nothing new
/// started.</param>
/// <param name="Version">The function version the execution runs.</param>
public sealed record StartExecutionResult(string DurableExecutionArn, bool AlreadyExisted, string Version);
