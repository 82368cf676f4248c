using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Testing;
using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>
/// Runs a workflow on the in-process test host with a <see cref="DurableTracingPlugin"/>, the spans captured by the
/// OpenTelemetry SDK's in-memory exporter (with the standard HTTP client instrumentation on), and returns the spans of
/// the execution's traces. Listeners are process-wide, so spans are picked by trace, never by order.
/// </summary>
internal sealed class TracedRun : IDisposable
{
    private readonly List<Activity> _exported = new();
    private readonly TracerProvider _provider;

    public TracedRun(DurableTracingView view)
    {
        Plugin = new DurableTracingPlugin(new DurableTracingOptions { View = view });
        _provider = Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService("durablegen-tests"))
            .SetSampler(new AlwaysOnSampler())
            .AddDurableGenInstrumentation()
            .AddHttpClientInstrumentation()
            .AddInMemoryExporter(_exported)
            .Build()!;
    }

    public DurableTracingPlugin Plugin { get; }

    public DurableTestRunnerOptions Options => new()
    {
        Host = new InProcessHostOptions { Plugins = [Plugin], Serializer = DurableTestSerializers.Reflection },
        Serializer = DurableTestSerializers.Reflection,
    };

    public DurableTestRunner<TInput, TOutput> Runner<TInput, TOutput>(Func<TInput, IDurableContext, Task<TOutput>> workflow) =>
        new(workflow, Options);

    /// <summary>Every exported span of the traces that hold a span of <paramref name="arn"/>.</summary>
    public IReadOnlyList<Activity> SpansOf(string arn)
    {
        _provider.ForceFlush();
        lock (_exported)
        {
            var traces = _exported.Where(a => Arn(a) == arn).Select(a => a.TraceId).ToHashSet();
            return _exported.Where(a => traces.Contains(a.TraceId)).ToList();
        }
    }

    /// <summary>Every execution ARN a span was exported for.</summary>
    public IReadOnlyList<string> ExecutionArns()
    {
        _provider.ForceFlush();
        lock (_exported)
        {
            return _exported.Select(Arn).OfType<string>().Distinct().ToList();
        }
    }

    public static string? Arn(Activity span) => span.GetTagItem(DurableAttributes.ExecutionArn) as string;

    public void Dispose() => _provider.Dispose();
}
