using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Text;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>
/// A bounded, seeded fuzz of the local service over a real socket (issue 14): malformed ARNs, callback ids, tokens,
/// bodies, chunking, content types, hosts, paths and methods. No answer is a 5xx; every refusal the service writes has
/// the AWS error shape (Kestrel's own refusals of unparseable HTTP included, see UntrustedRequestTests); no
/// rejected request leaves state; and afterwards an ordinary execution still runs to completion. The Runtime API is left
/// out: it moves from this listener to one per sandbox (issue 14, its own tests).
/// </summary>
public sealed class RequestFuzzTests(ITestOutputHelper output)
{
    private const int Seed = 20261202;
    private const int Requests = 1200;

    private static readonly string[] Methods = ["GET", "POST", "POST", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"];

    private static readonly string[] ContentTypes =
    [
        "", "application/json", "application/json; charset=utf-8", "application/octet-stream", "text/plain",
        "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "a/b", ";;;",
        "application/x-amz-json-1.1", "APPLICATION/JSON",
    ];

    private static readonly string[] LoopbackHosts = ["{self}", "{self}", "{self}", "localhost:{port}", "[::1]:{port}", "localhost"];

    private static readonly string[] ForeignHosts = ["evil.example", "127.0.0.1.evil.example:{port}", "10.0.0.7:{port}", ""];

    private static readonly string[] ForeignOrigins = ["http://evil.example", "null", "http://localhost:1", "https://{self}"];

    [Fact]
    public async Task A_thousand_malformed_requests_get_AWS_answers_leave_no_state_and_the_service_still_works()
    {
        await using var test = await TestService.StartAsync(o => o.Functions[0].Aliases.Add("live"));
        var service = test.Service.BaseAddress;
        using var function = new FakeFunction(test, "order-flow");

        // Real material for the fuzz to bend: an execution waiting on a callback, its token, its callback id.
        var victim = await test.StartExecutionAsync(name: "victim");
        var first = await function.NextAsync();
        var token = first.Envelope.CheckpointToken!;
        var started = await function.CheckpointAsync(victim, token,
            "[{\"Id\":\"cb1\",\"Type\":\"CALLBACK\",\"Action\":\"START\",\"SubType\":\"Callback\",\"Name\":\"approval\"}]");
        token = started.CheckpointToken!; // stale once the invocation ends: still a well-formed token to bend
        var callbackId = started.NewExecutionState.Operations!.Single(o => o.Id == "cb1").CallbackDetails!.CallbackId!;
        Assert.Equal(202, await function.RespondAsync(first.RequestId, FakeFunction.Pending));
        var functionsBefore = await FunctionNamesAsync(test);
        var executionsBefore = await ExecutionArnsAsync(test);

        var random = new Random(Seed);
        var generator = new Generator(random, victim, token, callbackId, service);
        var accepted = new HashSet<string>(StringComparer.Ordinal);
        var statuses = new SortedDictionary<int, int>();
        var kestrelRefusals = 0;
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Requests; i++)
        {
            var request = generator.Next();
            RawResponse response;
            try
            {
                response = await RawHttp.SendBytesAsync(service, request.Bytes);
            }
            catch (Exception ex) when (ex is OperationCanceledException or System.IO.IOException or System.IO.InvalidDataException)
            {
                Assert.Fail($"#{i} (seed {Seed}) {request.Description}: no answer ({ex.GetType().Name}: {ex.Message})");
                throw;
            }

            statuses[response.Status] = statuses.GetValueOrDefault(response.Status) + 1;
            var what = $"#{i} (seed {Seed}) {request.Description}: {response}";
            Assert.True(response.Status < 500, what);
            if (response.Status >= 400)
            {
                kestrelRefusals += request.KestrelMayRefuse ? 1 : 0;
                if (request.Method != "HEAD" || response.Header("x-amzn-ErrorType") is null) // HEAD answers carry no body
                {
                    Assert.True(response.AwsErrorCode() is not null, "not the AWS error shape: " + what);
                }
            }
            else if (response.Header("X-Amz-Durable-Execution-Arn") is { } startedArn)
            {
                accepted.Add(startedArn);
            }
        }

        clock.Stop();
        output.WriteLine($"{Requests} requests in {clock.Elapsed.TotalSeconds:F1} s (seed {Seed}); {kestrelRefusals} refused by Kestrel itself (reshaped); {accepted.Count} executions started; " +
                         "statuses: " + string.Join(", ", statuses.Select(p => $"{p.Key}×{p.Value}")));

        // No state from what was refused: the functions are the configured ones, and every new execution is one an
        // accepted Invoke reported.
        Assert.Equal(functionsBefore, await FunctionNamesAsync(test));
        var executionsAfter = await ExecutionArnsAsync(test);
        Assert.Empty(executionsAfter.Except(executionsBefore).Except(accepted));
        Assert.Contains(victim, executionsAfter);

        // The service still runs an ordinary execution from start to result.
        var arn = await test.StartExecutionAsync("{\"after\":\"fuzz\"}", name: "after-fuzz");
        FakeInvocation invocation;
        do
        {
            invocation = await function.NextAsync();
            if (invocation.Envelope.DurableExecutionArn != arn)
            {
                // An execution a fuzzed Invoke started (accepted above): let it wait.
                Assert.Equal(202, await function.RespondAsync(invocation.RequestId, FakeFunction.Pending));
            }
        }
        while (invocation.Envelope.DurableExecutionArn != arn);

        await function.CheckpointAsync(arn, invocation.Envelope.CheckpointToken!,
            "[{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"START\",\"SubType\":\"Step\",\"Name\":\"work\"}," +
            "{\"Id\":\"s1\",\"Type\":\"STEP\",\"Action\":\"SUCCEED\",\"SubType\":\"Step\",\"Payload\":\"42\"}]");
        Assert.Equal(202, await function.RespondAsync(invocation.RequestId, FakeFunction.Succeeded("\"fine\"")));
        var closed = await test.WaitClosedAsync(arn);
        Assert.Equal("SUCCEEDED", closed.GetProperty("Status").GetString());
        Assert.Equal("\"fine\"", closed.GetProperty("Result").GetString());
    }

    private static async Task<string> FunctionNamesAsync(TestService test) =>
        string.Join(",", (await test.GetJsonAsync("local/functions")).EnumerateArray().Select(f => f.GetProperty("Name").GetString()));

    private static async Task<HashSet<string>> ExecutionArnsAsync(TestService test) =>
        (await test.GetJsonAsync("local/executions")).GetProperty("DurableExecutions").EnumerateArray()
        .Select(e => e.GetProperty("DurableExecutionArn").GetString()!).ToHashSet(StringComparer.Ordinal);

    private sealed record FuzzRequest(string Method, string Description, byte[] Bytes, bool KestrelMayRefuse);

    /// <summary>Builds one request at a time from the seeded random source.</summary>
    private sealed class Generator(Random random, string arn, string token, string callbackId, Uri service)
    {
        private T Pick<T>(IReadOnlyList<T> items) => items[random.Next(items.Count)];

        private bool Chance(int percent) => random.Next(100) < percent;

        private string Self(string template) => template
            .Replace("{self}", service.Authority, StringComparison.Ordinal)
            .Replace("{port}", service.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);

        private string Junk(int max, string alphabet = "abcXYZ019-_:/$.+=%~ ")
        {
            var length = random.Next(max + 1);
            var text = new StringBuilder(length);
            for (var i = 0; i < length; i++)
            {
                text.Append(alphabet[random.Next(alphabet.Length)]);
            }

            return text.ToString();
        }

        private string Base64Junk(int bytes)
        {
            var buffer = new byte[random.Next(bytes + 1)];
            random.NextBytes(buffer);
            return Convert.ToBase64String(buffer);
        }

        private string Arn() => random.Next(10) switch
        {
            0 => arn,
            1 => arn + Pick(new[] { "\n", "\r\n", "\t", " ", "/", "x", "\u0660" }),
            2 => arn.Replace("$LATEST", Pick(new[] { "7", "$LATEST.PUBLISHED", "", "live", "$latest" }), StringComparison.Ordinal),
            3 => arn.Replace("123456789012", Pick(new[] { "1234", "١٢٣٤٥٦٧٨٩٠١٢", "12345678901x" }), StringComparison.Ordinal),
            4 => $"arn:aws:lambda:us-east-1:123456789012:function:{Junk(20)}:$LATEST/durable-execution/{Junk(10)}/{Junk(10)}",
            5 => Junk(40),
            6 => new string('a', random.Next(1000, 1400)),
            7 => arn[..random.Next(arn.Length)],
            8 => "",
            _ => $"arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST/durable-execution/{Guid.NewGuid():N}/{Guid.NewGuid():N}",
        };

        private string CallbackId() => random.Next(9) switch
        {
            0 => callbackId[..^4] + Junk(4, "ABCDEFGHabcdefgh0123456789+/"),
            1 => Base64Junk(200),
            2 => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"arn\":\"{arn}\",\"op\":\"cb1\",\"n\":\"{Junk(8)}\"}}")),
            3 => callbackId + Pick(new[] { "\n", "=", "==", "!", "%" }),
            4 => new string('A', random.Next(1000, 1100)),
            5 => Junk(30),
            6 => "",
            7 => callbackId.Replace('A', 'B'),
            _ => Base64Junk(40),
        };

        private string Token() => random.Next(6) switch
        {
            0 => token,
            1 => token[..^2] + "xx",
            2 => Base64Junk(120),
            3 => Convert.ToBase64String(Encoding.UTF8.GetBytes($"{{\"arn\":\"{arn}\",\"inv\":\"{random.Next(5)}\",\"seq\":{random.Next(100)}}}")),
            4 => Junk(50),
            _ => "",
        };

        private string Function() => random.Next(8) switch
        {
            0 => "order-flow",
            1 => "order-flow:" + Pick(new[] { "7", "1", "live", "dead", "$LATEST", "$LATEST.PUBLISHED", "", "a b" }),
            2 => "echo",
            3 => "junk-" + Junk(10, "abcdef0123456789"),
            4 => "arn:aws:lambda:us-east-1:123456789012:function:" + Pick(new[] { "order-flow", "nope", "order-flow:9", "" }),
            5 => Junk(70),
            6 => "",
            _ => new string('f', 65),
        };

        private string Label(string value) => Chance(85) ? Uri.EscapeDataString(value) : value.Replace(" ", "%20", StringComparison.Ordinal);

        private string Query()
        {
            if (Chance(50))
            {
                return "";
            }

            var keys = new[]
            {
                "Statuses", "MaxItems", "Marker", "ReverseOrder", "IncludeExecutionData", "CheckpointToken", "Qualifier",
                "StartedAfter", "StartedBefore", "DurableExecutionName", "FunctionName", Junk(5),
            };
            var values = new[]
            {
                "RUNNING", "run+ning", "-1", "1001", "0", "abc", "true", "yes", "%ZZ", "%", "+", Base64Junk(30),
                Uri.EscapeDataString(Token()), "2026-01-01T00:00:00Z", "yesterday", Junk(20),
            };
            var parts = Enumerable.Range(0, random.Next(1, 4)).Select(_ => Chance(90) ? $"{Pick(keys)}={Pick(values)}" : Pick(keys));
            return "?" + string.Join("&", parts);
        }

        private string Path() => random.Next(14) switch
        {
            0 or 1 => $"/2025-12-01/durable-executions/{Label(Arn())}",
            2 => $"/2025-12-01/durable-executions/{Label(Arn())}/history",
            3 => $"/2025-12-01/durable-executions/{Label(Arn())}/state",
            4 or 5 => $"/2025-12-01/durable-executions/{Label(Arn())}/{Pick(new[] { "checkpoint", "stop", "stop", "nope" })}",
            6 or 7 => $"/2025-12-01/durable-execution-callbacks/{Label(CallbackId())}/{Pick(new[] { "succeed", "fail", "heartbeat", "x" })}",
            8 => $"/2025-12-01/functions/{Label(Function())}/durable-executions",
            9 or 10 => $"/2015-03-31/functions/{Label(Function())}/invocations",
            11 => Pick(new[] { "/", "/dashboard", "/local/functions", "/local/executions", "/local/" + Junk(8), "/favicon.ico" }),
            12 => "/" + string.Join("/", Enumerable.Range(0, random.Next(1, 6)).Select(_ => Junk(12))),
            _ => Pick(new[] { "/2025-12-01", "/2015-03-31/functions", "//", "/2025-12-01/durable-executions//state", "/%2e%2e/local/functions" }),
        };

        private byte[] Body(string path)
        {
            switch (random.Next(9))
            {
                case 0:
                    return [];
                case 1:
                    return Encoding.UTF8.GetBytes($"{{\"CheckpointToken\":\"{Token()}\",\"Updates\":[{{\"Id\":\"{Junk(6)}\",\"Type\":\"{Pick(new[] { "STEP", "WAIT", "CALLBACK", "NOPE" })}\",\"Action\":\"{Pick(new[] { "START", "SUCCEED", "FAIL", "X" })}\"}}]}}");
                case 2:
                    return Encoding.UTF8.GetBytes($"{{\"ErrorMessage\":\"{Junk(30)}\",\"ErrorType\":{Pick(new[] { "\"T\"", "1", "null", "[]" })}}}");
                case 3:
                    return Encoding.UTF8.GetBytes(Pick(new[] { "{", "}", "[1,2", "null", "\"x\"", "{\"a\":}", "{}", "{\"CheckpointToken\":1}" }));
                case 4:
                {
                    var bytes = new byte[random.Next(1, 2048)];
                    random.NextBytes(bytes);
                    return bytes;
                }

                case 5:
                    return Encoding.UTF8.GetBytes("{\"x\":\"" + new string('y', random.Next(10_000, 40_000)) + "\"}");
                case 6:
                    return [0xEF, 0xBB, 0xBF, (byte)'{', (byte)'}'];
                case 7:
                    return Encoding.UTF8.GetBytes(path.Contains("invocations", StringComparison.Ordinal) ? "{\"orderId\":\"fuzz\"}" : "{}");
                default:
                    return Encoding.UTF8.GetBytes(Junk(100));
            }
        }

        public FuzzRequest Next()
        {
            var method = Pick(Methods);
            var path = Path() + Query();
            var headers = new List<string>();
            var kestrel = false;
            // Mostly what a client on this machine sends, so most requests reach the APIs; a share from a web page.
            headers.Add("Host: " + Self(Chance(8) ? Pick(ForeignHosts) : Pick(LoopbackHosts)));
            var contentType = random.Next(10) switch
            {
                < 3 => "application/json",
                3 => "application/octet-stream",
                4 or 5 => "",
                _ => Pick(ContentTypes),
            };
            if (contentType.Length > 0)
            {
                headers.Add("Content-Type: " + contentType);
            }

            if (Chance(15))
            {
                headers.Add("Origin: " + Self(Chance(30) ? "http://{self}" : Pick(ForeignOrigins)));
            }

            if (Chance(5))
            {
                headers.Add("Sec-Fetch-Site: " + Pick(new[] { "cross-site", "same-origin", "none", "same-site" }));
            }

            if (Chance(40))
            {
                // Never empty: an empty type is RequestResponse, which waits for the execution to close.
                headers.Add("X-Amz-Invocation-Type: " + Pick(new[] { "Event", "Event", "DryRun", "RequestResponse", "Sometimes", "event" }));
            }

            if (Chance(15))
            {
                headers.Add("X-Amz-Durable-Execution-Name: " + Pick(new[] { "fuzz-" + random.Next(20), "has spaces", new string('n', 65), "" }));
            }

            // A RequestResponse Invoke of a durable function waits for the execution to close: nothing here closes them.
            headers.Remove("X-Amz-Invocation-Type: RequestResponse");
            if (path.Contains("invocations", StringComparison.Ordinal) && !headers.Any(h => h.StartsWith("X-Amz-Invocation-Type", StringComparison.Ordinal)))
            {
                headers.Add("X-Amz-Invocation-Type: " + Pick(new[] { "Event", "DryRun" }));
            }

            byte[] body = method is "GET" or "HEAD" && Chance(80) ? [] : Body(path);
            var framing = random.Next(14);
            byte[] payload;
            if (framing is 0 or 3 && body.Length > 0)
            {
                // Chunked, correctly or with a broken size line or chunk end (never truncated: that would just wait).
                headers.Add("Transfer-Encoding: chunked");
                var chunk = random.Next(3) switch
                {
                    0 => Encoding.ASCII.GetBytes($"{body.Length:x}\r\n").Concat(body).Concat("\r\n0\r\n\r\n"u8.ToArray()),
                    1 => Encoding.ASCII.GetBytes($"{Junk(4, "xyzg-")}\r\n").Concat(body).Concat("\r\n0\r\n\r\n"u8.ToArray()),
                    _ => Encoding.ASCII.GetBytes($"{Math.Max(1, body.Length / 2):x}\r\n").Concat(body).Concat("\r\n0\r\n\r\n"u8.ToArray()),
                };
                payload = chunk.ToArray();
            }
            else if (framing == 1)
            {
                // Header and path shapes the HTTP parser itself refuses.
                kestrel = true;
                headers.Add(Pick(new[] { "Bad Header: x", "X-Ctl: a\u0001b", "NoColon", "Content-Length: -1" }));
                headers.Add($"Content-Length: {body.Length}");
                payload = body;
            }
            else if (framing == 2)
            {
                kestrel = true;
                path = Pick(new[] { "/2025-12-01/durable-executions/a%00b", "/local/functions%00", "/x\u0001y" });
                headers.Add($"Content-Length: {body.Length}");
                payload = body;
            }
            else
            {
                headers.Add($"Content-Length: {body.Length}");
                payload = body;
            }

            // A raw control character, space or non-ASCII character breaks the request line itself; Kestrel also
            // refuses a path that decodes to a NUL.
            kestrel |= path.Any(c => c is <= ' ' or > '~') || path.Contains("%00", StringComparison.Ordinal);
            var head = new StringBuilder().Append(method).Append(' ').Append(path).Append(" HTTP/1.1\r\n");
            foreach (var header in headers)
            {
                head.Append(header).Append("\r\n");
            }

            head.Append("Connection: close\r\n\r\n");
            var bytes = Encoding.Latin1.GetBytes(head.ToString()).Concat(payload).ToArray();
            var description = $"{method} {path} [{string.Join(" | ", headers)}] body {payload.Length} B";
            return new FuzzRequest(method, description.Length > 600 ? description[..600] + "…" : description, bytes, kestrel);
        }
    }
}
