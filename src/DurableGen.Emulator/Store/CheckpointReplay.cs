using System;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Store;

/// <summary>The last applied checkpoint of an execution, replayed for a retried request (protocol §4.3).</summary>
/// <param name="ClientToken">The request's client token.</param>
/// <param name="CheckpointToken">The token the request carried.</param>
/// <param name="AppliedAt">When it was applied (the replay window starts here).</param>
/// <param name="ResponseJson">The response, as REST JSON (so every replay hands out a fresh copy).</param>
internal sealed record CheckpointReplay(string ClientToken, string CheckpointToken, DateTimeOffset AppliedAt, string ResponseJson);
