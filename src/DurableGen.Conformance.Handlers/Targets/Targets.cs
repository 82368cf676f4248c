using System;
using System.Text.Json.Nodes;
using System.Threading.Tasks;

namespace DurableGen.Conformance.Handlers.Targets;

/// <summary>The <c>echo</c> target of the invoke suite: returns its input unchanged. (The reference target starts
/// with a 1 s durable wait so that the caller suspends first; the local engine delivers a chained completion only
/// after the caller's invocation has ended, so it is not needed here.)</summary>
[ConformanceTarget("echo")]
public sealed class EchoTarget : IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) => Task.FromResult(input);
}

/// <summary>The <c>error</c> target of the invoke suite: always throws, so the chained invoke fails.</summary>
[ConformanceTarget("error")]
public sealed class ErrorTarget : IConformanceCase<JsonNode?, JsonNode?>
{
    /// <inheritdoc />
    public Task<JsonNode?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) =>
        throw new InvalidOperationException("The error target always fails.");
}

/// <summary>The <c>echo-tenant</c> target of the invoke suite: returns the tenant id it was invoked for (the chained
/// invoke's <c>TenantId</c>, Lambda's tenant header on AWS), or null when the invoke set none.</summary>
[ConformanceTarget("echo-tenant")]
public sealed class EchoTenantTarget : IConformanceCase<JsonNode?, string?>
{
    /// <inheritdoc />
    public Task<string?> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env) => Task.FromResult(env.TenantId);
}
