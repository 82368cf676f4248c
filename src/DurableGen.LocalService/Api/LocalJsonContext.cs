using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using DurableGen.LocalService.Dashboard;
using DurableGen.LocalService.Traces;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Api;

/// <summary>Metadata of the <c>/local/*</c> answers. Built on the protocol's REST options, so statuses and timestamps
/// are written as the durable APIs write them.</summary>
[JsonSerializable(typeof(IReadOnlyList<LocalFunction>))]
[JsonSerializable(typeof(LocalExecutionList))]
[JsonSerializable(typeof(TimelineView))]
[JsonSerializable(typeof(PendingCallbackList))]
[JsonSerializable(typeof(TraceView))]
[JsonSerializable(typeof(TraceSpan))]
internal sealed partial class LocalJsonContext : JsonSerializerContext
{
    /// <summary>The context on a copy of <see cref="ProtocolJson.Rest"/>'s options.</summary>
    public static LocalJsonContext Rest { get; } = new(new JsonSerializerOptions(ProtocolJson.Rest.Options));
}
