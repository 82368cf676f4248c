using System;
using System.Collections.Generic;

namespace DurableGen.Deployment;

/// <summary>One Lambda function of a CloudFormation or SAM template, with its intrinsic functions resolved for a local
/// account, as a local run needs it.</summary>
public sealed class TemplateFunction
{
    /// <summary>The resource's logical id.</summary>
    public required string LogicalId { get; init; }

    /// <summary>The function name (<c>FunctionName</c>, else the logical id).</summary>
    public required string Name { get; init; }

    /// <summary>The runtime (<c>provided.al2023</c>, <c>dotnet10</c>, <c>nodejs22.x</c> …), if given.</summary>
    public string? Runtime { get; init; }

    /// <summary>The handler (what <c>_HANDLER</c> is set to), if given.</summary>
    public string? Handler { get; init; }

    /// <summary>The local code path (<c>Code</c> / <c>CodeUri</c> when it is a path), if given.</summary>
    public string? CodeUri { get; init; }

    /// <summary>Whether it has a <c>DurableConfig</c>.</summary>
    public bool IsDurable { get; init; }

    /// <summary><c>DurableConfig.ExecutionTimeout</c>, seconds.</summary>
    public int? ExecutionTimeout { get; init; }

    /// <summary><c>DurableConfig.RetentionPeriodInDays</c>.</summary>
    public int? RetentionPeriodInDays { get; init; }

    /// <summary><c>Timeout</c> in seconds (Lambda's default is 3).</summary>
    public int Timeout { get; init; } = 3;

    /// <summary><c>MemorySize</c> in MB (Lambda's default is 128).</summary>
    public int MemorySize { get; init; } = 128;

    /// <summary>The architecture (<c>x86_64</c> unless <c>Architectures</c> says otherwise).</summary>
    public string Architecture { get; init; } = "x86_64";

    /// <summary>Environment variables, resolved.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Alias names (from <c>AWS::Lambda::Alias</c> resources on it, or SAM's <c>AutoPublishAlias</c>).</summary>
    public IReadOnlyList<string> Aliases { get; init; } = Array.Empty<string>();
}
