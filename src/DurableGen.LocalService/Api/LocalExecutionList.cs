using System.Collections.Generic;

namespace DurableGen.LocalService.Api;

/// <summary>The answer of <c>/local/executions</c>: one page of every function's executions, newest first.</summary>
internal sealed class LocalExecutionList
{
    public required IReadOnlyList<LocalExecution> DurableExecutions { get; init; }

    /// <summary>How many executions the filters keep (all pages).</summary>
    public int Total { get; init; }

    public int Page { get; init; }

    public int PageSize { get; init; }

    /// <summary>Executions per status (by its wire name), of those the function and search filters keep.</summary>
    public IReadOnlyDictionary<string, int> Counts { get; init; } = new Dictionary<string, int>();
}
