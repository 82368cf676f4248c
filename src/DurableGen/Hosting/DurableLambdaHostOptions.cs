using System;
using System.IO;

namespace DurableGen;

/// <summary>Settings of <see cref="DurableLambdaHost"/>; every one defaults to what Lambda provides.</summary>
public sealed class DurableLambdaHostOptions
{
    /// <summary>The Runtime API's <c>host:port</c> (default: <c>AWS_LAMBDA_RUNTIME_API</c>).</summary>
    public string? RuntimeApi { get; init; }

    /// <summary>The handler that selects the workflow when there are several (default: <c>_HANDLER</c>).</summary>
    public string? Handler { get; init; }

    /// <summary>The service client every invocation checkpoints through.</summary>
    public IDurableServiceClient? ServiceClient { get; init; }

    /// <summary>Creates the service client once at start-up, when <see cref="ServiceClient"/> is not set.</summary>
    public Func<IDurableServiceClient>? ServiceClientFactory { get; init; }

    /// <summary>Options passed to every invocation (the workflow's own serializer is used when they set none).</summary>
    public DurableExecutionOptions? ExecutionOptions { get; init; }

    /// <summary>Reads an environment variable (replaceable for tests).</summary>
    public Func<string, string?> Environment { get; init; } = System.Environment.GetEnvironmentVariable;

    /// <summary>Where the host writes its own diagnostics (default: standard error).</summary>
    public TextWriter? Log { get; init; }
}
