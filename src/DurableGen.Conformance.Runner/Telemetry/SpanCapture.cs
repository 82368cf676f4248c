using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text.Json.Nodes;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// Records every finished <see cref="Activity"/> of the DurableGen sources (and any further sources named) as a
/// <see cref="CapturedSpan"/>, with the resource <c>service.name</c> the run uses: the in-memory exporter of otel.md
/// §6.4 without needing the OpenTelemetry SDK or anything from the producer. Sampling is always-on for those
/// sources while the capture lives. <see cref="ActivityListener"/>s are process-wide, so spans of concurrently running
/// requirements arrive here too; the trace assembly (<see cref="TraceAssembler"/>) keeps only the execution's traces.
/// </summary>
public sealed class SpanCapture : IDisposable
{
    private readonly ActivityListener _listener;
    private readonly List<CapturedSpan> _spans = new();
    private readonly string _serviceName;
    private readonly HashSet<string> _extraSources;

    /// <summary>Starts listening.</summary>
    /// <param name="serviceName">The resource <c>service.name</c> (<c>${SERVICE_NAME}</c>).</param>
    /// <param name="extraSources">Sources recorded besides the DurableGen ones (e.g. <c>System.Net.Http</c>).</param>
    public SpanCapture(string serviceName = TelemetrySources.DefaultServiceName, params string[] extraSources)
    {
        _serviceName = serviceName;
        _extraSources = new HashSet<string>(extraSources, StringComparer.Ordinal);
        _listener = new ActivityListener
        {
            ShouldListenTo = source => Listens(source.Name),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            SampleUsingParentId = (ref ActivityCreationOptions<string> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (Listens(activity.Source.Name))
                {
                    Add(FromActivity(activity, _serviceName));
                }
            },
        };
        ActivitySource.AddActivityListener(_listener);
    }

    /// <summary>The service name spans are stamped with.</summary>
    public string ServiceName => _serviceName;

    /// <summary>A snapshot of the spans finished so far, in the order they ended (the export order).</summary>
    public IReadOnlyList<CapturedSpan> Spans
    {
        get
        {
            lock (_spans)
            {
                return _spans.ToList();
            }
        }
    }

    /// <summary>Adds a span produced some other way (a producer that exports span data outside <see cref="Activity"/>).</summary>
    public void Add(CapturedSpan span)
    {
        lock (_spans)
        {
            _spans.Add(span);
        }
    }

    /// <summary>Forgets every span captured so far.</summary>
    public void Clear()
    {
        lock (_spans)
        {
            _spans.Clear();
        }
    }

    /// <inheritdoc />
    public void Dispose() => _listener.Dispose();

    /// <summary>
    /// The canonical form of a stopped activity (otel.md §6.4): hex ids with a default parent as null, kind and status
    /// names (an <c>otel.status_code</c> tag counts when the status is unset, as OpenTelemetry exporters read it), end =
    /// start + duration, times at microseconds, attributes = <c>service.name</c> overlaid by the tags with their types.
    /// </summary>
    public static CapturedSpan FromActivity(Activity activity, string? serviceName)
    {
        var attributes = new Dictionary<string, JsonNode?>(StringComparer.Ordinal);
        if (serviceName is not null)
        {
            attributes["service.name"] = serviceName;
        }

        string? statusTag = null;
        foreach (var (key, value) in activity.TagObjects)
        {
            if (key == "otel.status_code")
            {
                statusTag = value?.ToString();
                continue;
            }

            if (key == "otel.status_description")
            {
                continue;
            }

            attributes[key] = ToJson(value);
        }

        var status = activity.Status switch
        {
            ActivityStatusCode.Ok => "OK",
            ActivityStatusCode.Error => "ERROR",
            _ => SpanNormalizer.NormalizeStatus(statusTag),
        };
        var parent = activity.ParentSpanId == default ? null : activity.ParentSpanId.ToHexString();
        var start = new DateTimeOffset(DateTime.SpecifyKind(activity.StartTimeUtc, DateTimeKind.Utc));
        return new CapturedSpan
        {
            TraceId = activity.TraceId.ToHexString(),
            SpanId = activity.SpanId.ToHexString(),
            ParentSpanId = parent,
            Name = activity.DisplayName,
            Kind = activity.Kind switch
            {
                ActivityKind.Internal => "INTERNAL",
                ActivityKind.Server => "SERVER",
                ActivityKind.Client => "CLIENT",
                ActivityKind.Producer => "PRODUCER",
                ActivityKind.Consumer => "CONSUMER",
                _ => "UNSPECIFIED",
            },
            Start = SpanNormalizer.ToMicroseconds(start),
            End = SpanNormalizer.ToMicroseconds(start + activity.Duration),
            Status = status,
            ServiceName = serviceName,
            Attributes = attributes,
            Links = activity.Links.Select(l => new SpanLinkRef(l.Context.TraceId.ToHexString(), l.Context.SpanId.ToHexString())).ToList(),
        };
    }

    private bool Listens(string source) => TelemetrySources.IsDurableGen(source) || _extraSources.Contains(source);

    private static JsonNode? ToJson(object? value) => value switch
    {
        null => null,
        string s => JsonValue.Create(s),
        bool b => JsonValue.Create(b),
        int i => JsonValue.Create(i),
        long l => JsonValue.Create(l),
        short s => JsonValue.Create((int)s),
        byte b => JsonValue.Create((int)b),
        uint u => JsonValue.Create((long)u),
        double d => JsonValue.Create(d),
        float f => JsonValue.Create((double)f),
        decimal m => JsonValue.Create(m),
        System.Collections.IEnumerable items => new JsonArray(items.Cast<object?>().Select(ToJson).ToArray()),
        _ => JsonValue.Create(value.ToString()),
    };
}
