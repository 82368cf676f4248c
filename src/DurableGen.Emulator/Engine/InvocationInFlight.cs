using System;

namespace DurableGen.Emulator.Engine;

/// <summary>The invocation of an execution that is running now (no <c>InvocationCompleted</c> event yet).</summary>
/// <param name="Number">1-based invocation number within the execution.</param>
/// <param name="RequestId">The Lambda request id.</param>
/// <param name="StartTimestamp">When it began.</param>
public sealed record InvocationInFlight(int Number, string RequestId, DateTimeOffset StartTimestamp);
