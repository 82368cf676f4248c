using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Traces;
using DurableGen.Protocol;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The service as an OTLP/HTTP trace receiver (<c>POST /v1/traces</c>): the OpenTelemetry SDK's own OTLP
/// exporter (http/protobuf) in this process, a hand-written OTLP/JSON body, bodies that are not OTLP, and the bounds
/// and persistence of what is kept, read back through <c>/local/executions/{arn}/trace</c>.</summary>
public sealed class OtlpTraceTests
{
    private const string Arn = "arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST/durable-execution/otlp/0b6c2e0e";

    [Fact]
    public async Task The_OpenTelemetry_OTLP_exporter_posts_protobuf_and_the_execution_trace_nests_its_spans()
    {
        await using var test = await TestService.StartAsync();
        using var source = new ActivitySource("DurableGen.LocalService.Tests.Otlp");
        var traceId = TraceStore.TraceIdOf(Arn);
        string otherTrace;
        using (var provider = Sdk.CreateTracerProviderBuilder()
                   .SetResourceBuilder(ResourceBuilder.CreateEmpty().AddService("otlp-test"))
                   .AddSource(source.Name)
                   .AddOtlpExporter(o =>
                   {
                       o.Endpoint = new Uri(test.Service.BaseAddress, "v1/traces");
                       o.Protocol = OtlpExportProtocol.HttpProtobuf;
                       o.ExportProcessorType = ExportProcessorType.Simple;
                   })
                   .Build())
        {
            // The service's trace id for the execution, under a parent the service never receives (as the Lambda
            // segment an Invocation span names): found by trace id, though only the root carries the ARN.
            var lambdaSegment = new ActivityContext(ActivityTraceId.CreateFromString(traceId),
                ActivitySpanId.CreateFromString("00f067aa0ba902b7"), ActivityTraceFlags.Recorded, isRemote: true);
            using (var invocation = source.StartActivity("Invocation", ActivityKind.Server, lambdaSegment)!)
            {
                invocation.SetTag("durable.execution.arn", Arn);
                using var attempt = source.StartActivity("charge attempt 1", ActivityKind.Internal)!;
                using var client = source.StartActivity("POST", ActivityKind.Client)!;
                client.SetTag("http.response.status_code", 503);
                client.SetTag("retried", true);
                client.SetTag("ratio", 0.5);
                client.SetTag("hosts", new[] { "a", "b" });
                client.SetStatus(ActivityStatusCode.Error, "the warehouse did not answer");
                client.AddEvent(new ActivityEvent("exception"));
            }

            // Another trace id altogether: found by the ARN attribute.
            using (var elsewhere = source.StartActivity("elsewhere", ActivityKind.Internal, new ActivityContext()))
            {
                elsewhere!.SetTag("durable.execution.arn", Arn);
                otherTrace = elsewhere.TraceId.ToHexString();
            }

            // Not the execution's: not shown.
            using (source.StartActivity("unrelated", ActivityKind.Internal, new ActivityContext()))
            {
            }

            Assert.True(provider.ForceFlush(10_000));
        }

        var view = await test.GetJsonAsync($"local/executions/{ServiceApi.Escape(Arn)}/trace");
        var spans = view.GetProperty("Spans").EnumerateArray().ToList();
        // Parentless roots first, then the spans whose parent was not received.
        Assert.Equal(new[] { "elsewhere", "Invocation", "charge attempt 1", "POST" }, spans.Select(s => s.GetProperty("Name").GetString()));
        Assert.Equal(new[] { 0, 0, 1, 2 }, spans.Select(s => s.GetProperty("Depth").GetInt32()));
        Assert.Equal(new[] { traceId, otherTrace }.Order(StringComparer.Ordinal),
            view.GetProperty("TraceIds").EnumerateArray().Select(t => t.GetString()));
        Assert.False(spans[0].GetProperty("ParentMissing").GetBoolean());
        Assert.True(spans[1].GetProperty("ParentMissing").GetBoolean());
        Assert.Equal("00f067aa0ba902b7", spans[1].GetProperty("ParentSpanId").GetString());
        Assert.Equal(spans[2].GetProperty("SpanId").GetString(), spans[3].GetProperty("ParentSpanId").GetString());

        var http = spans[3];
        Assert.Equal("CLIENT", http.GetProperty("Kind").GetString());
        Assert.Equal("ERROR", http.GetProperty("Status").GetString());
        Assert.Equal("the warehouse did not answer", http.GetProperty("StatusMessage").GetString());
        Assert.Equal("otlp-test", http.GetProperty("Service").GetString());
        Assert.Equal(source.Name, http.GetProperty("Scope").GetString());
        Assert.Equal(1, http.GetProperty("EventCount").GetInt32());
        var attributes = http.GetProperty("Attributes").EnumerateArray()
            .ToDictionary(a => a.GetProperty("Key").GetString()!, a => a.GetProperty("Value").GetString());
        Assert.Equal("503", attributes["http.response.status_code"]);
        Assert.Equal("true", attributes["retried"]);
        Assert.Equal("0.5", attributes["ratio"]);
        Assert.Equal("[a, b]", attributes["hosts"]);

        // Times: nested spans lie inside their parents on the axis.
        Assert.InRange(http.GetProperty("X").GetDouble(), spans[2].GetProperty("X").GetDouble(), 1);
        Assert.True(view.GetProperty("DurationMs").GetDouble() > 0);
    }

    [Fact]
    public async Task An_OTLP_JSON_body_is_read_answered_as_OTLP_and_refused_spans_are_a_partial_success()
    {
        await using var test = await TestService.StartAsync();
        var traceId = TraceStore.TraceIdOf(Arn).ToUpperInvariant(); // hex of either case
        var body = $$$"""
            {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"json-client"}}]},
              "scopeSpans":[{"scope":{"name":"manual"},"spans":[
                {"traceId":"{{{traceId}}}","spanId":"051581bf3cb55c13","parentSpanId":"","name":"Workflow","kind":1,
                 "startTimeUnixNano":"1544712660000000000","endTimeUnixNano":"1544712661000000000",
                 "attributes":[{"key":"durable.execution.arn","value":{"stringValue":"{{{Arn}}}"}},{"key":"n","value":{"intValue":"42"}},
                               {"key":"m","value":{"kvlistValue":{"values":[{"key":"k","value":{"boolValue":false} }]} } }],
                 "status":{"code":2,"message":"boom"}},
                {"trace_id":"{{{traceId}}}","span_id":"051581bf3cb55c14","parent_span_id":"051581bf3cb55c13","name":"step",
                 "kind":"SPAN_KIND_CLIENT","start_time_unix_nano":1544712660250000000,"end_time_unix_nano":"1544712660750000000"},
                {"traceId":"00000000000000000000000000000000","spanId":"051581bf3cb55c15","name":"no trace"}]}]}]}
            """;
        using var response = await test.Http.PostAsync("v1/traces", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.Equal(200, (int)response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType!.MediaType);
        var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("1", answer.GetProperty("partialSuccess").GetProperty("rejectedSpans").GetString());
        Assert.Contains("trace", answer.GetProperty("partialSuccess").GetProperty("errorMessage").GetString(), StringComparison.Ordinal);

        // Everything kept: an empty ExportTraceServiceResponse, gzip bodies read.
        var ok = $$$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{{traceId}}}","spanId":"051581bf3cb55c16","parentSpanId":"051581bf3cb55c14","name":"http","startTimeUnixNano":"1544712660300000000","endTimeUnixNano":"1544712660400000000"}]}]}]}""";
        using var gzip = new ByteArrayContent(Gzip(Encoding.UTF8.GetBytes(ok)));
        gzip.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        gzip.Headers.ContentEncoding.Add("gzip");
        using var second = await test.Http.PostAsync("v1/traces", gzip);
        Assert.Equal(200, (int)second.StatusCode);
        Assert.Equal("{}", await second.Content.ReadAsStringAsync());

        var view = await test.GetJsonAsync($"local/executions/{ServiceApi.Escape(Arn)}/trace");
        var spans = view.GetProperty("Spans").EnumerateArray().ToList();
        Assert.Equal(new[] { "Workflow", "step", "http" }, spans.Select(s => s.GetProperty("Name").GetString()));
        Assert.Equal(new[] { 0, 1, 2 }, spans.Select(s => s.GetProperty("Depth").GetInt32()));
        Assert.Equal(1000, view.GetProperty("DurationMs").GetDouble());
        Assert.Equal(250, spans[1].GetProperty("StartMs").GetDouble());
        Assert.Equal(500, spans[1].GetProperty("DurationMs").GetDouble());
        Assert.Equal(0.25, spans[1].GetProperty("X").GetDouble(), 6);
        Assert.Equal(0.5, spans[1].GetProperty("Width").GetDouble(), 6);
        Assert.Equal("CLIENT", spans[1].GetProperty("Kind").GetString());
        Assert.Equal("INTERNAL", spans[0].GetProperty("Kind").GetString());
        Assert.Equal("ERROR", spans[0].GetProperty("Status").GetString());
        Assert.Equal("json-client", spans[0].GetProperty("Service").GetString());
        Assert.Equal("manual", spans[0].GetProperty("Scope").GetString());
        var attributes = spans[0].GetProperty("Attributes").EnumerateArray().Select(a => a.GetProperty("Key").GetString() + "=" + a.GetProperty("Value").GetString());
        Assert.Equal(new[] { "durable.execution.arn=" + Arn, "n=42", "m={k: false}" }, attributes);
    }

    [Fact]
    public async Task Bodies_that_are_not_OTLP_and_other_content_types_are_refused_with_typed_4xx_and_pages_cannot_post()
    {
        await using var test = await TestService.StartAsync();

        // Protobuf: a length that runs past the end, a group wire type; answered with a protobuf google.rpc.Status.
        foreach (var bytes in new[] { new byte[] { 0x0A, 0x05, 0x01 }, new byte[] { 0x0B }, new byte[] { 0x0A, 0x02, 0x0A, 0x80 } })
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/x-protobuf");
            using var response = await test.Http.PostAsync("v1/traces", content);
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal("InvalidTraceDataException", response.Headers.GetValues("x-amzn-ErrorType").Single());
            Assert.Equal("application/x-protobuf", response.Content.Headers.ContentType!.MediaType);
            var status = await response.Content.ReadAsByteArrayAsync();
            Assert.Equal(new byte[] { 0x08, 0x03, 0x12 }, status[..3]); // code = 3 (INVALID_ARGUMENT), then the message
        }

        // JSON: not JSON, and JSON of the wrong shape; answered with a JSON google.rpc.Status.
        foreach (var json in new[] { "{not json", "{\"resourceSpans\":5}", "[]", "{\"resourceSpans\":[{\"scopeSpans\":[{\"spans\":[{\"traceId\":7}]}]}]}" })
        {
            using var response = await test.Http.PostAsync("v1/traces", new StringContent(json, Encoding.UTF8, "application/json"));
            Assert.Equal(400, (int)response.StatusCode);
            Assert.Equal("InvalidTraceDataException", response.Headers.GetValues("x-amzn-ErrorType").Single());
            var status = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
            Assert.Equal(3, status.GetProperty("code").GetInt32());
            Assert.False(string.IsNullOrEmpty(status.GetProperty("message").GetString()));
        }

        // Types a web page may send without a preflight, and none: 415.
        foreach (var type in new[] { "text/plain", "application/x-www-form-urlencoded", null })
        {
            using var content = new ByteArrayContent("{}"u8.ToArray());
            if (type is not null)
            {
                content.Headers.ContentType = new MediaTypeHeaderValue(type);
            }

            using var response = await test.Http.PostAsync("v1/traces", content);
            Assert.Equal(415, (int)response.StatusCode);
            Assert.Equal("UnsupportedMediaTypeException", response.Headers.GetValues("x-amzn-ErrorType").Single());
        }

        // A page on another origin: refused before the body is read (BrowserGuard), and nothing is kept.
        using (var request = new HttpRequestMessage(HttpMethod.Post, "v1/traces"))
        {
            request.Content = new StringContent(
                $$$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{{TraceStore.TraceIdOf(Arn)}}}","spanId":"051581bf3cb55c13","name":"forged"}]}]}]}""",
                Encoding.UTF8, "application/json");
            request.Headers.Add("Origin", "http://attacker.example");
            using var response = await test.Http.SendAsync(request);
            await AwsAssert.ErrorAsync(response, 403, "AccessDeniedException");
        }

        Assert.Equal(0, test.Service.Traces.Count);
        var view = await test.GetJsonAsync($"local/executions/{ServiceApi.Escape(Arn)}/trace");
        Assert.Empty(view.GetProperty("Spans").EnumerateArray());
    }

    [Fact]
    public async Task Spans_are_kept_in_the_services_database_across_a_restart()
    {
        var directory = Directory.CreateTempSubdirectory("durablegen-traces-").FullName;
        try
        {
            var database = Path.Combine(directory, "executions.db");
            var body = $$$"""{"resourceSpans":[{"scopeSpans":[{"spans":[{"traceId":"{{{TraceStore.TraceIdOf(Arn)}}}","spanId":"051581bf3cb55c13","name":"kept","startTimeUnixNano":"1","endTimeUnixNano":"2"}]}]}]}""";
            await using (var first = await TestService.StartAsync(o => o.DatabasePath = database))
            {
                await first.PostJsonAsync("v1/traces", body);
            }

            await using var second = await TestService.StartAsync(o => o.DatabasePath = database);
            var view = await second.GetJsonAsync($"local/executions/{ServiceApi.Escape(Arn)}/trace");
            Assert.Equal("kept", Assert.Single(view.GetProperty("Spans").EnumerateArray()).GetProperty("Name").GetString());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_full_trace_refuses_more_spans_and_the_oldest_trace_makes_room()
    {
        using var store = new TraceStore(databasePath: null, maxSpans: 4, maxSpansPerTrace: 3);
        var first = Enumerable.Range(1, 4).Select(i => Span("a", i)).ToList();
        Assert.Equal(1, store.Add(first)); // the fourth span of trace a
        Assert.Equal(0, store.Add([Span("a", 1)])); // sent again: replaces itself
        Assert.Equal(3, store.Count);
        Assert.Equal(0, store.Add([Span("b", 1), Span("b", 2)])); // 5 > 4: trace a goes
        Assert.Equal(2, store.Count);
        Assert.Empty(store.ForExecution("arn-a"));
        Assert.Equal(2, store.ForExecution("arn-b").Count);

        static TraceSpan Span(string trace, int i) => new()
        {
            TraceId = new string(trace[0], 32),
            SpanId = i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            Name = $"{trace}{i}",
            Attributes = [new SpanAttribute { Key = TraceSpan.ExecutionArnAttribute, Value = "arn-" + trace }],
        };
    }

    [Fact]
    public async Task A_trace_write_in_progress_does_not_hold_up_an_execution_commit()
    {
        // Spans arrive whenever a function exports them, mid-execution. Written into the execution database they took
        // its one write lock, and a checkpoint that met one waited in SQLite's busy handler (sleeps of 1 ms and up).
        var directory = Directory.CreateTempSubdirectory("durablegen-traces-").FullName;
        try
        {
            var path = Path.Combine(directory, "executions.db");
            await using var service = new LocalDurableService(new LocalServiceOptions { DatabasePath = path });
            using var span = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={service.Traces.DatabasePath};Pooling=False");
            span.Open();
            using (var begin = span.CreateCommand())
            {
                begin.CommandText = "BEGIN IMMEDIATE; INSERT INTO otlp_spans VALUES ('t', 's', 1, '{}');";
                begin.ExecuteNonQuery(); // a span batch being written: the trace database's write lock is held
            }

            var started = Task.Run(() => service.Engine.StartExecution(new StartExecutionRequest { FunctionName = "f" }));
            var finished = await Task.WhenAny(started, Task.Delay(TimeSpan.FromSeconds(3)));
            using (var rollback = span.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK;";
                rollback.ExecuteNonQuery();
            }

            Assert.Same(started, finished);
            Assert.Equal(ExecutionStatus.Running, service.Engine.GetExecution((await started).DurableExecutionArn).Status);
            Assert.NotEqual(Path.GetFullPath(path), Path.GetFullPath(service.Traces.DatabasePath!));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void A_trace_evicted_and_begun_again_in_one_batch_is_written_again()
    {
        var path = Path.Combine(Path.GetTempPath(), $"durablegen-traces-{Guid.NewGuid():N}.db");
        try
        {
            using (var store = new TraceStore(path, maxSpans: 2, maxSpansPerTrace: 10))
            {
                store.Add([Span("a", 1)]);
                // b1, b2 push trace a out; a2 begins trace a again and pushes b out: a2 is all that is left.
                store.Add([Span("b", 1), Span("b", 2), Span("a", 2)]);
                Assert.Equal(["a2"], store.ForExecution("arn-a").Select(s => s.Name));
            }

            using var reopened = new TraceStore(path, maxSpans: 2, maxSpansPerTrace: 10);
            Assert.Equal(["a2"], reopened.ForExecution("arn-a").Select(s => s.Name));
            Assert.Empty(reopened.ForExecution("arn-b"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            File.Delete(path);
        }

        static TraceSpan Span(string trace, int i) => new()
        {
            TraceId = new string(trace[0], 32),
            SpanId = i.ToString("x16", System.Globalization.CultureInfo.InvariantCulture),
            Name = $"{trace}{i}",
            Attributes = [new SpanAttribute { Key = TraceSpan.ExecutionArnAttribute, Value = "arn-" + trace }],
        };
    }

    private static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(data);
        }

        return output.ToArray();
    }
}
