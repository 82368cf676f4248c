using System.Collections.Generic;

namespace DurableGen.Deployment;

/// <summary>What the template needs beyond the manifest: where each architecture's package is and, once built, its hash.</summary>
public sealed class TemplateOptions
{
    /// <summary>The alias every function is published under and invoked through.</summary>
    public const string DefaultAliasName = "live";

    /// <summary>The package (zip) of each architecture, relative to the template; default <see cref="DefaultCodeUri"/>.</summary>
    public IReadOnlyDictionary<string, string> CodeUris { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// The base64 SHA-256 of each architecture's package, as Lambda reports it (<c>CodeSha256</c>), when the packages are
    /// built. A new hash gives the function a new published version; without hashes (a template for local runs) the
    /// version depends on the configuration only.
    /// </summary>
    public IReadOnlyDictionary<string, string> CodeSha256 { get; init; } = new Dictionary<string, string>();

    /// <summary>The alias name (default <see cref="DefaultAliasName"/>).</summary>
    public string AliasName { get; init; } = DefaultAliasName;

    /// <summary>The Lambda runtime: the OS-only runtime the Native AOT <c>bootstrap</c> runs on.</summary>
    public string Runtime { get; init; } = "provided.al2023";

    /// <summary>Where <c>durablegen package</c> puts an architecture's package, relative to the project (and template).</summary>
    public static string DefaultCodeUri(string architecture) => $"bin/lambda/bootstrap-{architecture}.zip";
}
