using System;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;

namespace DurableGen.Emulator.Hosting;

/// <summary>
/// One record an execution wrote: a log call (<see cref="Level"/>, <see cref="Message"/>, <see cref="Exception"/>),
/// or a structured record a handler emitted directly (no level). <see cref="Fields"/> is the structured form, as the
/// SDK's JSON stdout logger writes it: <c>level</c>, <c>message</c>, scope fields such as <c>executionArn</c> and
/// <c>operationId</c>, <c>errorType</c>, and <c>durableExecutionArn</c>.
/// </summary>
/// <param name="Sequence">Orders records across all executions of a host.</param>
/// <param name="Level">The level of a log call; null for an emitted record.</param>
/// <param name="Message">The formatted message of a log call.</param>
/// <param name="Exception">The exception logged with it, if any.</param>
/// <param name="Fields">The structured record.</param>
internal sealed record CapturedRecord(long Sequence, LogLevel? Level, string? Message, Exception? Exception, JsonObject Fields);
