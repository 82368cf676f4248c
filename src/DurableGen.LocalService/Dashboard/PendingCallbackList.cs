using System;
using System.Collections.Generic;

namespace DurableGen.LocalService.Dashboard;

/// <summary>The answer of <c>/local/callbacks</c>: every open callback of every running execution, oldest first,
/// and the service clock, which the page counts the deadlines down from.</summary>
internal sealed class PendingCallbackList
{
    public DateTimeOffset Now { get; init; }

    public required IReadOnlyList<PendingCallback> Callbacks { get; init; }
}
