namespace DurableGen.Cli.Local;

/// <summary>How <see cref="ProjectFunctions.BuildAsync"/> builds a project: <c>-c/--configuration</c> (default Debug)
/// and <c>--no-build</c>.</summary>
internal readonly record struct ProjectBuild(string? Configuration, bool NoBuild);
