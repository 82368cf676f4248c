using System;
using System.Linq;
using System.Net.Http;
using System.Text;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.LocalService.Http;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>Requests no AWS client sends, over a real socket: each gets the answer AWS gives (an AWS error shape, never
/// a 5xx), creates no state, and a web page in the developer's browser cannot drive the service (issue 14).</summary>
public sealed class UntrustedRequestTests
{
    private const string UnknownArn =
        "arn:aws:lambda:us-east-1:123456789012:function:order-flow:$LATEST/durable-execution/x/y";

    [Fact]
    public async Task Listing_the_executions_of_an_unknown_function_is_ResourceNotFound()
    {
        await using var test = await TestService.StartAsync();
        await AwsAssert.ErrorAsync(await test.Http.GetAsync("2025-12-01/functions/no-such-function/durable-executions"),
            404, ErrorCodes.ResourceNotFound);
        await AwsAssert.ErrorAsync(await test.Http.GetAsync(
            "2025-12-01/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Ano-such-function/durable-executions"),
            404, ErrorCodes.ResourceNotFound);

        // A known function with no execution yet is an empty list, by name and by ARN.
        Assert.Empty((await test.GetJsonAsync("2025-12-01/functions/order-flow/durable-executions"))
            .GetProperty("DurableExecutions").EnumerateArray());
        Assert.Empty((await test.GetJsonAsync(
                "2025-12-01/functions/arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow/durable-executions"))
            .GetProperty("DurableExecutions").EnumerateArray());
    }

    [Fact]
    public async Task A_malformed_chunked_body_is_a_400_with_the_AWS_error_shape()
    {
        await using var test = await TestService.StartAsync();
        var arn = await test.StartExecutionAsync();
        string[] chunked = ["Content-Type: application/json", "Transfer-Encoding: chunked"];
        var broken = Encoding.ASCII.GetBytes("5\r\n{\"Che\r\nZZ\r\nnot a chunk\r\n0\r\n\r\n");

        foreach (var target in new[]
                 {
                     $"/2025-12-01/durable-executions/{ServiceApi.Escape(arn)}/checkpoint",
                     $"/2025-12-01/durable-executions/{ServiceApi.Escape(arn)}/stop",
                     "/2015-03-31/functions/order-flow/invocations",
                 })
        {
            var response = await RawHttp.SendAsync(test.Service.BaseAddress, "POST", target, chunked, broken);
            Assert.True(response.Status == 400, $"{target}: {response}");
            Assert.Equal(LocalErrorCodes.InvalidRequestContent, response.AwsErrorCode());
        }

        // A chunk size that is no hex number at all.
        var garbage = await RawHttp.SendAsync(test.Service.BaseAddress, "POST", "/2015-03-31/functions/order-flow/invocations",
            chunked, Encoding.ASCII.GetBytes("{\"a\":1}\r\n0\r\n\r\n"));
        Assert.True(garbage.Status == 400, garbage.ToString());
        Assert.Equal(LocalErrorCodes.InvalidRequestContent, garbage.AwsErrorCode());

        Assert.Equal("RUNNING", await test.StatusAsync(arn));
        Assert.Single((await test.GetJsonAsync("2025-12-01/functions/order-flow/durable-executions")).GetProperty("DurableExecutions")
            .EnumerateArray());
    }

    [Theory]
    [InlineData("order-flow:7", null)]
    [InlineData("order-flow", "7")]
    [InlineData("arn:aws:lambda:us-east-1:123456789012:function:order-flow:7", null)]
    [InlineData("echo:2", null)]
    [InlineData("order-flow:1", null)] // no alias: nothing was published, so no version 1 either
    public async Task Invoke_of_a_version_that_does_not_exist_is_ResourceNotFound(string function, string? qualifier)
    {
        await using var test = await TestService.StartAsync();
        using var request = new HttpRequestMessage(HttpMethod.Post,
            $"2015-03-31/functions/{ServiceApi.Escape(function)}/invocations" + (qualifier is null ? "" : "?Qualifier=" + qualifier))
        {
            Content = new StringContent("{}", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Amz-Invocation-Type", "Event");
        await AwsAssert.ErrorAsync(await test.Http.SendAsync(request), 404, ErrorCodes.ResourceNotFound);
        Assert.Empty((await test.GetJsonAsync("local/executions")).GetProperty("DurableExecutions").EnumerateArray());
    }

    [Fact]
    public async Task Invoke_of_LATEST_and_of_the_version_an_alias_published_runs()
    {
        await using var test = await TestService.StartAsync(o => o.Functions[0].Aliases.Add("live"));
        foreach (var function in new[] { "order-flow:$LATEST", "order-flow:live", "order-flow:1" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, $"2015-03-31/functions/{ServiceApi.Escape(function)}/invocations")
            {
                Content = new StringContent("{}", Encoding.UTF8, "application/json"),
            };
            request.Headers.Add("X-Amz-Invocation-Type", "Event");
            using var response = await test.Http.SendAsync(request);
            Assert.True(202 == (int)response.StatusCode, $"{function}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        }
    }

    [Theory]
    [InlineData("\n")]
    [InlineData("\r\n")]
    [InlineData("\0")]
    [InlineData("\t")]
    public void An_execution_ARN_with_a_control_character_fails_validation_in_the_engine(string control)
    {
        InputValidation.ExecutionArn(UnknownArn); // the ARN itself is well-formed
        var trailing = Assert.Throws<DurableServiceException>(() => InputValidation.ExecutionArn(UnknownArn + control));
        Assert.Equal(ErrorCodes.InvalidParameterValue, trailing.ErrorCode);
        var embedded = Assert.Throws<DurableServiceException>(() => InputValidation.ExecutionArn(UnknownArn.Replace("/x/", "/x" + control + "/", StringComparison.Ordinal)));
        Assert.Equal(ErrorCodes.InvalidParameterValue, embedded.ErrorCode);
        Assert.Throws<DurableServiceException>(() => InputValidation.CallbackId("YWJj" + control));
    }

    [Theory]
    [InlineData("%0A")]
    [InlineData("%0D%0A")]
    [InlineData("%09")]
    public async Task An_execution_ARN_followed_by_a_control_character_is_InvalidParameterValue_over_HTTP(string control)
    {
        await using var test = await TestService.StartAsync();
        var arn = await test.StartExecutionAsync();
        foreach (var suffix in new[] { "", "/history", "/state?CheckpointToken=x" })
        {
            await AwsAssert.ErrorAsync(await test.Http.GetAsync($"2025-12-01/durable-executions/{ServiceApi.Escape(arn)}{control}{suffix}"),
                400, ErrorCodes.InvalidParameterValue);
        }

        await AwsAssert.ErrorAsync(await test.Http.PostAsync($"2025-12-01/durable-executions/{ServiceApi.Escape(arn)}{control}/stop",
            new StringContent("{}", Encoding.UTF8, "application/json")), 400, ErrorCodes.InvalidParameterValue);
        Assert.Equal("RUNNING", await test.StatusAsync(arn));
    }

    [Fact]
    public async Task Junk_requests_add_no_function_and_no_execution()
    {
        await using var test = await TestService.StartAsync();
        var functionsBefore = (await test.GetJsonAsync("local/functions")).GetRawText();
        var random = new Random(14);
        for (var i = 0; i < 20; i++)
        {
            var name = "junk-" + random.Next(1_000_000);
            using var invoke = await test.Http.PostAsync($"2015-03-31/functions/{name}/invocations",
                new StringContent("{}", Encoding.UTF8, "application/json"));
            Assert.Equal(404, (int)invoke.StatusCode);
            using var list = await test.Http.GetAsync($"2025-12-01/functions/{name}/durable-executions");
            Assert.Equal(404, (int)list.StatusCode);
            using var get = await test.Http.GetAsync(
                $"2025-12-01/durable-executions/{ServiceApi.Escape(UnknownArn.Replace("order-flow", name, StringComparison.Ordinal))}");
            Assert.Equal(404, (int)get.StatusCode);
            using var local = await test.Http.GetAsync($"local/executions?FunctionName={name}");
            Assert.Equal(200, (int)local.StatusCode);
            using var other = await test.Http.GetAsync($"{name}/2018-06-01/runtime/invocation/next");
            Assert.Equal(404, (int)other.StatusCode);
        }

        Assert.Equal(functionsBefore, (await test.GetJsonAsync("local/functions")).GetRawText());
        Assert.Empty((await test.GetJsonAsync("local/executions")).GetProperty("DurableExecutions").EnumerateArray());
    }

    [Theory]
    [InlineData("evil.example")]
    [InlineData("evil.example:{port}")]
    [InlineData("127.0.0.1.evil.example:{port}")]
    [InlineData("localhost.evil.example:{port}")]
    [InlineData("10.0.0.7:{port}")]
    public async Task A_Host_header_that_is_not_loopback_is_refused(string host)
    {
        await using var test = await TestService.StartAsync();
        var port = test.Service.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var refused = await RawHttp.SendAsync(test.Service.BaseAddress, "GET", "/local/executions", ["Host: " + host.Replace("{port}", port, StringComparison.Ordinal)]);
        Assert.True(refused.Status == 403, refused.ToString());
        Assert.Equal("AccessDeniedException", refused.AwsErrorCode());
        Assert.DoesNotContain("DurableExecutions", refused.Text, StringComparison.Ordinal);

        var invoke = await RawHttp.SendAsync(test.Service.BaseAddress, "POST", "/2015-03-31/functions/order-flow/invocations",
            ["Host: " + host.Replace("{port}", port, StringComparison.Ordinal), "Content-Type: application/json", "X-Amz-Invocation-Type: Event", "Content-Length: 2"],
            "{}"u8.ToArray());
        Assert.Equal(403, invoke.Status);
        Assert.Empty((await test.GetJsonAsync("local/executions")).GetProperty("DurableExecutions").EnumerateArray());
    }

    [Theory]
    [InlineData("localhost:{port}")]
    [InlineData("127.0.0.1:{port}")]
    [InlineData("[::1]:{port}")]
    [InlineData("localhost")]
    [InlineData("LOCALHOST:{port}")]
    public async Task A_loopback_Host_header_with_any_port_is_served(string host)
    {
        await using var test = await TestService.StartAsync();
        var port = test.Service.BaseAddress.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var served = await RawHttp.SendAsync(test.Service.BaseAddress, "GET", "/local/executions", ["Host: " + host.Replace("{port}", port, StringComparison.Ordinal)]);
        Assert.True(served.Status == 200, served.ToString());
        Assert.Contains("DurableExecutions", served.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cross_origin_requests_a_web_page_can_send_are_refused()
    {
        await using var test = await TestService.StartAsync();
        var arn = await test.StartExecutionAsync();
        var service = test.Service.BaseAddress;
        var stop = $"/2025-12-01/durable-executions/{ServiceApi.Escape(arn)}/stop";
        const string invoke = "/2015-03-31/functions/order-flow/invocations";

        // What fetch() or a form sends without a CORS preflight: text/plain, a form, or no content type at all.
        var attempts = new (string Target, string[] Headers, string Body, int Status, string Code)[]
        {
            (invoke, ["Content-Type: text/plain;charset=UTF-8", "X-Amz-Invocation-Type: Event"], "{}", 415, LocalErrorCodes.UnsupportedMediaType),
            (invoke, ["Content-Type: application/x-www-form-urlencoded"], "{}", 415, LocalErrorCodes.UnsupportedMediaType),
            (invoke, ["Content-Type: multipart/form-data; boundary=x"], "{}", 415, LocalErrorCodes.UnsupportedMediaType),
            (stop, [], "", 415, LocalErrorCodes.UnsupportedMediaType),
            (stop, ["Content-Type: text/plain"], "{}", 415, LocalErrorCodes.UnsupportedMediaType),
            (stop, ["Content-Type: application/x-www-form-urlencoded"], "", 415, LocalErrorCodes.UnsupportedMediaType),
            // A page's own origin is not the service's: refused whatever the content type.
            (invoke, ["Origin: http://evil.example", "Content-Type: application/json", "X-Amz-Invocation-Type: Event"], "{}", 403, "AccessDeniedException"),
            (invoke, ["Origin: null", "Content-Type: application/json", "X-Amz-Invocation-Type: Event"], "{}", 403, "AccessDeniedException"),
            (invoke, ["Origin: http://localhost:1", "Content-Type: application/json", "X-Amz-Invocation-Type: Event"], "{}", 403, "AccessDeniedException"),
            (stop, ["Origin: http://evil.example", "Content-Type: application/json"], "{}", 403, "AccessDeniedException"),
            (stop, ["Sec-Fetch-Site: cross-site", "Content-Type: application/json"], "{}", 403, "AccessDeniedException"),
        };
        foreach (var (target, headers, body, status, code) in attempts)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            var response = await RawHttp.SendAsync(service, "POST", target, [.. headers, $"Content-Length: {bytes.Length}"], bytes);
            Assert.True(response.Status == status && response.AwsErrorCode() == code,
                $"{target} [{string.Join(", ", headers)}]: {response}");
        }

        Assert.Equal("RUNNING", await test.StatusAsync(arn));
        Assert.Single((await test.GetJsonAsync("local/executions")).GetProperty("DurableExecutions").EnumerateArray());

        // The service's own page (same origin) and the AWS clients' content types still work.
        var sameOrigin = await RawHttp.SendAsync(service, "POST", invoke,
            [$"Origin: http://{service.Authority}", "Sec-Fetch-Site: same-origin", "Content-Type: application/octet-stream",
                "X-Amz-Invocation-Type: Event", "Content-Length: 2"], "{}"u8.ToArray());
        Assert.True(sameOrigin.Status == 202, sameOrigin.ToString());
        var stopped = await RawHttp.SendAsync(service, "POST", stop,
            [$"Origin: http://{service.Authority}", "Content-Type: application/json", "Content-Length: 2"], "{}"u8.ToArray());
        Assert.True(stopped.Status == 200, stopped.ToString());
        Assert.Equal("STOPPED", await test.StatusAsync(arn));
    }

    [Fact]
    public async Task Path_labels_and_query_values_are_decoded_exactly_once_and_plus_stays_plus()
    {
        await using var test = await TestService.StartAsync();
        var arn = await test.StartExecutionAsync();

        // An encoded slash inside a label is part of the label (the ARN), not a path separator.
        Assert.Equal(arn, (await test.GetExecutionAsync(arn)).GetProperty("DurableExecutionArn").GetString());

        // %252F is a literal "%2F" in the ARN (invalid), not a slash: decoding twice would find the execution.
        var twice = ServiceApi.Escape(arn).Replace("%2F", "%252F", StringComparison.Ordinal);
        var message = await AwsAssert.ErrorAsync(await test.Http.GetAsync($"2025-12-01/durable-executions/{twice}"), 400,
            ErrorCodes.InvalidParameterValue);
        Assert.Contains("$LATEST%2Fdurable-exec", message, StringComparison.Ordinal);

        // '+' in a query value is a plus, not a space; %2B is a plus too.
        foreach (var (raw, seen) in new[] { ("RUN+NING", "RUN+NING"), ("RUN%2BNING", "RUN+NING"), ("RUN%20NING", "RUN NING") })
        {
            var error = await AwsAssert.ErrorAsync(await test.Http.GetAsync($"2025-12-01/functions/order-flow/durable-executions?Statuses={raw}"),
                400, ErrorCodes.InvalidParameterValue);
            Assert.Contains($"'{seen}'", error, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("nul-raw")]
    [InlineData("nul-encoded")]
    [InlineData("long-request-line")]
    [InlineData("long-header")]
    [InlineData("bad-header-name")]
    [InlineData("header-without-colon")]
    [InlineData("bad-content-length")]
    [InlineData("two-content-lengths")]
    [InlineData("bad-method")]
    [InlineData("http-0.9")]
    public async Task Requests_the_web_server_refuses_itself_are_an_AWS_shaped_4xx_and_change_nothing(string kind)
    {
        await using var test = await TestService.StartAsync();
        var service = test.Service.BaseAddress;
        var host = "Host: " + service.Authority + "\r\n";
        var request = kind switch
        {
            "nul-raw" => "GET /2025-12-01/durable-executions/a\0b HTTP/1.1\r\n" + host + "\r\n",
            "nul-encoded" => "GET /2025-12-01/durable-executions/a%00b HTTP/1.1\r\n" + host + "\r\n",
            "long-request-line" => "GET /2025-12-01/durable-executions/" + new string('a', 20_000) + " HTTP/1.1\r\n" + host + "\r\n",
            "long-header" => "GET /local/functions HTTP/1.1\r\n" + host + "X-Junk: " + new string('a', 40_000) + "\r\n\r\n",
            "bad-header-name" => "GET /local/functions HTTP/1.1\r\n" + host + "Bad Header: x\r\n\r\n",
            "header-without-colon" => "GET /local/functions HTTP/1.1\r\n" + host + "NoColon\r\n\r\n",
            "bad-content-length" => "POST /2015-03-31/functions/order-flow/invocations HTTP/1.1\r\n" + host + "Content-Length: abc\r\n\r\n",
            "two-content-lengths" => "POST /2015-03-31/functions/order-flow/invocations HTTP/1.1\r\n" + host + "Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}",
            "bad-method" => "G(T /local/functions HTTP/1.1\r\n" + host + "\r\n",
            _ => "GET /local/functions\r\n\r\n",
        };
        // Kestrel refuses these itself, before any code of the service runs; its bare answer is reshaped on the way
        // out, so the client still gets a 4xx it does not retry, in the AWS shape, and nothing changed.
        var response = await RawHttp.SendBytesAsync(service, Encoding.Latin1.GetBytes(request));
        Assert.True(response.Status is >= 400 and < 500, $"{kind}: {response}");
        Assert.True(response.AwsErrorCode() == LocalErrorCodes.InvalidRequestContent, $"{kind}: {response}");
        Assert.Equal("close", response.Header("connection"));
        Assert.Empty((await test.GetJsonAsync("local/executions")).GetProperty("DurableExecutions").EnumerateArray());
        Assert.Equal(2, (await test.GetJsonAsync("local/functions")).GetArrayLength());
    }

    [Theory]
    [InlineData("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")]
    [InlineData("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\nx-amzn-ErrorType: X\r\n\r\n")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")]
    [InlineData("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n")]
    public void The_services_own_answers_are_never_reshaped(string head)
    {
        Assert.Null(KestrelRefusals.Rewrite(Encoding.ASCII.GetBytes(head)));
    }
}
