using System;
using System.Collections.Generic;

namespace DurableGen.Emulator.Store;

/// <summary>The invocation of an execution that is currently running.</summary>
internal sealed class ActiveInvocation
{
    /// <summary>1-based invocation number within the execution (the token's <c>inv</c>).</summary>
    public int Number { get; set; }

    /// <summary>The Lambda request id.</summary>
    public string RequestId { get; set; } = "";

    /// <summary>When it began.</summary>
    public DateTimeOffset StartTimestamp { get; set; }

    /// <summary>Operation ids changed since the last response delivered to this invocation, in change order.</summary>
    public List<string> ChangedOperationIds { get; set; } = new();

    /// <summary>A copy.</summary>
    public ActiveInvocation Clone() => new()
    {
        Number = Number,
        RequestId = RequestId,
        StartTimestamp = StartTimestamp,
        ChangedOperationIds = new List<string>(ChangedOperationIds),
    };
}
