using System;
using System.Collections.Generic;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>One consistent read of an execution for a viewer (a dashboard): its records, its history, and the engine
/// data the wire records do not carry (the invocation in flight, callback deadlines), all taken under one lock so
/// they agree with each other.</summary>
/// <param name="Operations">Every operation record in creation order (copies).</param>
/// <param name="Events">Every history event, oldest first (copies).</param>
/// <param name="ActiveInvocation">The invocation in flight, if any.</param>
/// <param name="Callbacks">The deadlines of the callbacks still open.</param>
/// <param name="Now">The engine clock's time of the read.</param>
public sealed record ExecutionSnapshot(
    IReadOnlyList<Operation> Operations,
    IReadOnlyList<Event> Events,
    InvocationInFlight? ActiveInvocation,
    IReadOnlyList<CallbackDeadlines> Callbacks,
    DateTimeOffset Now);
