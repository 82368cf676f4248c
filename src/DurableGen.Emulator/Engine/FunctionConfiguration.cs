using System.Collections.Generic;

namespace DurableGen.Emulator.Engine;

/// <summary>
/// What the engine needs to know about a deployed function: the aliases it can be invoked through and its
/// <c>DurableConfig.ExecutionTimeout</c>. An emulator runs one build of each function, so every alias resolves to
/// <c>$LATEST</c>.
/// </summary>
/// <param name="Aliases">The function's alias names.</param>
/// <param name="ExecutionTimeoutSeconds">The execution timeout its executions get, if it declares one.</param>
public sealed record FunctionConfiguration(IReadOnlyCollection<string> Aliases, int? ExecutionTimeoutSeconds = null);
