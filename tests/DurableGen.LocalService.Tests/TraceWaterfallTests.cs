using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.LocalService.Traces;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// The order-approval sample run by the service as real function processes, exporting its traces over OTLP to the
/// endpoint the service gives them (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>): the execution's spans under
/// <c>/local/executions/{arn}/trace</c> as one trace, and the execution page's waterfall in Debian's headless chromium
/// (js/dashboard-views.mjs trace), which nests them, shows a span's attributes and gains a new span without a reload.
/// </summary>
public sealed class TraceWaterfallTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_sample_exports_one_trace_per_execution_and_the_waterfall_nests_its_spans_live()
    {
        await NodeScripts.RequireChromiumAsync();
        var sample = Artifacts.Sample;
        await using var test = await TestService.StartAsync(options =>
        {
            options.Functions.Clear();
            foreach (var (name, durable) in new[] { ("order-approval-handoff", true), ("order-approver", false) })
            {
                var function = new FunctionDefinition { Name = name, Durable = durable, Command = "dotnet", Handler = name };
                function.Arguments.Add(sample);
                options.Functions.Add(function);
            }
        });

        try
        {
            var arn = await test.StartExecutionAsync("""{"OrderId":"o-trace-1","Customer":"ada","Amount":420}""", "order-approval-handoff");
            Assert.Equal("SUCCEEDED", (await test.WaitClosedAsync(arn)).GetProperty("Status").GetString());

            // The last invocation exports the Workflow span before it returns (simple processor): it is there by now,
            // or within moments of the close (the span ends as the invocation answers).
            List<JsonElement> spans = [];
            JsonElement view = default;
            await ServiceApi.EventuallyAsync(async () =>
            {
                view = await test.GetJsonAsync($"local/executions/{ServiceApi.Escape(arn)}/trace");
                spans = view.GetProperty("Spans").EnumerateArray().ToList();
                return spans.Count(s => Name(s) == "Invocation") >= 2 && spans.Any(s => Name(s) == "Workflow");
            }, "the execution's Workflow span and two Invocation spans");
            output.WriteLine(string.Join("\n", spans.Select(s => new string(' ', 2 * s.GetProperty("Depth").GetInt32()) + Name(s)
                + " [" + s.GetProperty("Kind").GetString() + " " + s.GetProperty("Scope").GetString() + "] " + Attribute(s, "url.full"))));

            // One trace: the service's X-Ray Root for the execution, across both invocations (two processes' worth
            // of exports, one process here, but nothing remembered between them).
            Assert.Equal(TraceStore.TraceIdOf(arn), Assert.Single(view.GetProperty("TraceIds").EnumerateArray()).GetString());
            var workflow = Assert.Single(spans, s => Name(s) == "Workflow");
            Assert.Equal(0, workflow.GetProperty("Depth").GetInt32());
            Assert.False(workflow.TryGetProperty("ParentSpanId", out _)); // the root: no parent
            var invocations = spans.Where(s => Name(s) == "Invocation").ToList();
            Assert.Equal(2, invocations.Count); // suspended on the callback, resumed when the approver answered
            Assert.All(invocations, i => Assert.True(i.GetProperty("ParentMissing").GetBoolean())); // the Lambda segment
            Assert.Equal("order-approval-handoff", workflow.GetProperty("Service").GetString());

            // Operation spans under Workflow, attempt spans under their operation.
            JsonElement ById(string? id) => spans.Single(s => s.GetProperty("SpanId").GetString() == id);
            foreach (var step in new[] { "reserve-inventory", "request-approval", "charge-card" })
            {
                var operation = spans.Single(s => Name(s) == step);
                Assert.Equal("Workflow", Name(ById(operation.GetProperty("ParentSpanId").GetString())));
                var attempt = spans.Single(s => Name(s) == step + " attempt 1");
                Assert.Equal(step, Name(ById(attempt.GetProperty("ParentSpanId").GetString())));
                Assert.Equal(operation.GetProperty("Depth").GetInt32() + 1, attempt.GetProperty("Depth").GetInt32());
            }

            // The hand-off step's HttpClient call (Invoke of the approver) is a CLIENT span under its attempt.
            var handOff = spans.Single(s => Name(s) == "request-approval attempt 1");
            var invoke = Assert.Single(spans, s => s.GetProperty("Kind").GetString() == "CLIENT"
                                                  && Attribute(s, "url.full")?.Contains("/functions/order-approver/invocations", StringComparison.Ordinal) == true);
            Assert.Equal(handOff.GetProperty("SpanId").GetString(), invoke.GetProperty("ParentSpanId").GetString());
            Assert.InRange(invoke.GetProperty("X").GetDouble(), handOff.GetProperty("X").GetDouble(),
                handOff.GetProperty("X").GetDouble() + handOff.GetProperty("Width").GetDouble());

            // The runtime's own traffic, the Runtime API polling and the checkpoints, is never traced, though the sample
            // turns HttpClient instrumentation on with no filter: only the workflow's own calls appear.
            // Looked for in every trace: a poll or a batch flush outside any span would be a root of its own.
            var urls = test.Service.Traces.All().Select(s => s.Attributes.FirstOrDefault(a => a.Key == "url.full")?.Value ?? "")
                .Where(url => url.Length > 0).ToList();
            Assert.DoesNotContain(urls, url => url.Contains("/runtime/invocation/", StringComparison.Ordinal));
            Assert.DoesNotContain(urls, url => url.Contains("/durable-executions/", StringComparison.Ordinal));
            Assert.Single(spans, s => s.GetProperty("Kind").GetString() == "CLIENT");

            // The waterfall: the same rows in the same order and nesting, the HTTP span's attributes on selection,
            // the next row by keyboard, and a span posted while the page is open appears without a reload.
            var shots = Artifacts.Screenshots;
            var liveSpanId = "7a11ce0000000001";
            var liveStart = (ulong)(view.GetProperty("StartUnixMs").GetDouble() * 1e6) + 1_000_000;
            var live = $$$"""
                {"resourceSpans":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"late-exporter"}}]},
                  "scopeSpans":[{"scope":{"name":"late"},"spans":[{"traceId":"{{{TraceStore.TraceIdOf(arn)}}}","spanId":"{{{liveSpanId}}}",
                  "parentSpanId":"{{{workflow.GetProperty("SpanId").GetString()}}}","name":"arrived-later","kind":1,
                  "startTimeUnixNano":"{{{liveStart}}}",
                  "endTimeUnixNano":"{{{liveStart + 1_000_000}}}"}]}]}]}
                """;
            var (code, stdout, stderr) = await NodeScripts.Js.NodeAsync("dashboard-views.mjs", 120, "trace",
                test.Service.BaseAddress.ToString(), arn, shots, spans.Count.ToString(System.Globalization.CultureInfo.InvariantCulture),
                invoke.GetProperty("SpanId").GetString()!, live.ReplaceLineEndings(""), liveSpanId);
            Assert.True(code == 0, $"dashboard-views.mjs trace exited {code}:\n{stdout}\n{stderr}");
            output.WriteLine("trace: " + stdout);
            var page = JsonDocument.Parse(stdout).RootElement;

            var rows = page.GetProperty("rows").EnumerateArray().ToList();
            Assert.Equal(spans.Select(s => s.GetProperty("SpanId").GetString()), rows.Select(r => r.GetProperty("span").GetString()));
            Assert.Equal(spans.Select(s => s.GetProperty("Depth").GetInt32()), rows.Select(r => r.GetProperty("depth").GetInt32()));
            Assert.Equal(spans.Select(Name), rows.Select(r => r.GetProperty("name").GetString()));
            var attemptRow = rows.Single(r => r.GetProperty("span").GetString() == handOff.GetProperty("SpanId").GetString());
            var invokeRow = rows.Single(r => r.GetProperty("span").GetString() == invoke.GetProperty("SpanId").GetString());
            Assert.Equal(attemptRow.GetProperty("depth").GetInt32() + 1, invokeRow.GetProperty("depth").GetInt32());
            Assert.InRange(invokeRow.GetProperty("left").GetDouble(), attemptRow.GetProperty("left").GetDouble() - 0.001,
                attemptRow.GetProperty("left").GetDouble() + attemptRow.GetProperty("width").GetDouble() + 0.001);
            Assert.StartsWith($"{spans.Count} span(s) · trace {TraceStore.TraceIdOf(arn)}", page.GetProperty("summary").GetString(), StringComparison.Ordinal);

            var detail = page.GetProperty("detail");
            Assert.Equal(invoke.GetProperty("SpanId").GetString(), detail.GetProperty("selected").GetString());
            Assert.Contains("/functions/order-approver/invocations", detail.GetProperty("attributes").GetProperty("url.full").GetString(), StringComparison.Ordinal);
            var next = rows[rows.IndexOf(invokeRow) + 1].GetProperty("span").GetString();
            Assert.Equal(next, page.GetProperty("keyboardSelected").GetString());

            var appeared = page.GetProperty("appearedMs").GetInt32();
            output.WriteLine($"a span posted to /v1/traces appeared on the open page after {appeared} ms");
            Assert.True(appeared < 2000, $"the new span took {appeared} ms to appear");
            var after = page.GetProperty("after").EnumerateArray().ToList();
            var added = after.Single(r => r.GetProperty("span").GetString() == liveSpanId);
            Assert.Equal(1, added.GetProperty("depth").GetInt32());
            Assert.Empty(page.GetProperty("pageErrors").EnumerateArray());

            var screenshot = Path.Combine(shots, "dashboard-trace.png");
            var png = await File.ReadAllBytesAsync(screenshot);
            Assert.True(png.Length > 1000 && png[1] == (byte)'P' && png[2] == (byte)'N' && png[3] == (byte)'G', "not a PNG screenshot");
            output.WriteLine("screenshot: " + screenshot);
        }
        finally
        {
            test.WriteOutputTo(output);
        }
    }

    private static string? Name(JsonElement span) => span.GetProperty("Name").GetString();

    private static string? Attribute(JsonElement span, string key) =>
        span.GetProperty("Attributes").EnumerateArray().Where(a => a.GetProperty("Key").GetString() == key)
            .Select(a => a.GetProperty("Value").GetString()).FirstOrDefault();
}
