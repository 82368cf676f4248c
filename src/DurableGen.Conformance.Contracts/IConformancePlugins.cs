using System.Collections.Generic;

namespace DurableGen.Conformance;

/// <summary>
/// Implemented by a handler class that runs with instrumentation plugins, as a deployed function registers them through
/// <see cref="DurableExecutionOptions.Plugins"/>: the runner asks for fresh plugins on every invocation (a plugin
/// instance lives as long as one invocation, like a cold Lambda process) and passes them in that order.
/// </summary>
public interface IConformancePlugins
{
    /// <summary>The plugins of one invocation; they write their records with <see cref="IConformanceEnv.Emit"/>.</summary>
    IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env);
}
