using System.Collections.Generic;

namespace DurableGen.LocalService.Api;

/// <summary>The answer of <c>/local/executions</c>: every function's executions, newest first.</summary>
internal sealed class LocalExecutionList
{
    public required IReadOnlyList<LocalExecution> DurableExecutions { get; init; }
}
