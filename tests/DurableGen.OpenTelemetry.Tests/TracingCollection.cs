using Xunit;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>Activity listeners are process-wide: the tracing tests run one at a time so captures stay small.</summary>
[CollectionDefinition(nameof(TracingCollection), DisableParallelization = true)]
public sealed class TracingCollection;
