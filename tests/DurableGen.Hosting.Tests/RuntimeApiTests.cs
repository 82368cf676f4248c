using System;
using System.Collections.Generic;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Hosting.Tests;

/// <summary>The Lambda Runtime API loop (spec/hosting.md §1) against a real HTTP fake on 127.0.0.1.</summary>
public sealed class RuntimeApiTests
{
    private static DurableWorkflowRegistration Registration(string name, DurableHandler handler) =>
        new(name, "Tests." + name, handler);

    private static DurableWorkflowRegistration Echo(string name = "echo", Action<ILambdaContext>? observe = null) =>
        Registration(name, (input, lambda, client, options) =>
        {
            observe?.Invoke(lambda);
            var payload = input.InitialExecutionState!.Operations![0].ExecutionDetails!.InputPayload;
            return Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = payload });
        });

    [Fact]
    public async Task Success_posts_the_output_envelope_for_the_request_id()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo()]);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("\"ping\"")));

        var posted = await api.NextPostedAsync();

        Assert.Equal("response", posted.Kind);
        Assert.Equal("req-1", posted.RequestId);
        Assert.StartsWith("application/json", posted.ContentType);
        Assert.Equal("""{"Status":"SUCCEEDED","Result":"\"ping\""}""", posted.Body);
    }

    [Fact]
    public async Task The_lambda_context_comes_from_the_headers_and_the_environment()
    {
        ILambdaContext? seen = null;
        TimeSpan remaining = default;
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string> { ["AWS_LAMBDA_FUNCTION_NAME"] = "orders", ["AWS_LAMBDA_FUNCTION_VERSION"] = "7" };
        await using var host = new HostRun(api, [Echo(observe: l => { seen = l; remaining = l.RemainingTime; })], env);
        var deadline = DateTimeOffset.UtcNow.AddSeconds(90);
        api.Enqueue(new NextAnswer("req-ctx", Envelopes.Start("1"), DeadlineMs: deadline.ToUnixTimeMilliseconds(),
            FunctionArn: "arn:aws:lambda:us-east-1:1:function:orders:live"));

        await api.NextPostedAsync();

        Assert.NotNull(seen);
        Assert.Equal("req-ctx", seen!.AwsRequestId);
        Assert.Equal("orders", seen.FunctionName);
        Assert.Equal("7", seen.FunctionVersion);
        Assert.Equal("arn:aws:lambda:us-east-1:1:function:orders:live", seen.InvokedFunctionArn);
        Assert.InRange(remaining, TimeSpan.FromSeconds(80), TimeSpan.FromSeconds(91));
    }

    [Fact]
    public async Task Without_a_deadline_header_the_remaining_time_is_unbounded()
    {
        TimeSpan remaining = default;
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo(observe: l => remaining = l.RemainingTime)]);
        api.Enqueue(new NextAnswer("req-nodeadline", Envelopes.Start("1")));

        await api.NextPostedAsync();

        Assert.Equal(TimeSpan.MaxValue, remaining);
    }

    [Fact]
    public async Task The_trace_id_is_exported_while_the_invocation_runs()
    {
        string? trace = null;
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo(observe: _ => trace = Environment.GetEnvironmentVariable("_X_AMZN_TRACE_ID"))]);
        api.Enqueue(new NextAnswer("req-trace", Envelopes.Start("1"), TraceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1"));

        await api.NextPostedAsync();

        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1", trace);
    }

    [Fact]
    public async Task A_handler_exception_is_posted_to_error_with_type_header_and_error_json()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api,
            [Registration("boom", (_, _, _, _) => throw new InvalidOperationException("checkpoint lost"))]);
        api.Enqueue(new NextAnswer("req-err", Envelopes.Start("1")));

        var posted = await api.NextPostedAsync();

        Assert.Equal("error", posted.Kind);
        Assert.Equal("req-err", posted.RequestId);
        Assert.Equal("InvalidOperationException", posted.ErrorType);
        Assert.Equal(LambdaRuntimeApiClient.ErrorContentType, posted.ContentType);
        using var json = JsonDocument.Parse(posted.Body);
        Assert.Equal("checkpoint lost", json.RootElement.GetProperty("errorMessage").GetString());
        Assert.Equal("InvalidOperationException", json.RootElement.GetProperty("errorType").GetString());
        Assert.Equal(JsonValueKind.Array, json.RootElement.GetProperty("stackTrace").ValueKind);
        Assert.NotEmpty(json.RootElement.GetProperty("stackTrace").EnumerateArray());
    }

    [Fact]
    public async Task A_malformed_event_is_an_invocation_error_and_the_loop_goes_on()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo()]);
        api.Enqueue(new NextAnswer("req-bad", "{not json"));
        api.Enqueue(new NextAnswer("req-good", Envelopes.Start("2")));

        var first = await api.NextPostedAsync();
        var second = await api.NextPostedAsync();

        Assert.Equal(("error", "req-bad"), (first.Kind, first.RequestId));
        Assert.Equal("JsonException", first.ErrorType);
        Assert.Equal(("response", "req-good"), (second.Kind, second.RequestId));
    }

    [Fact]
    public async Task Invocations_run_one_at_a_time_in_order()
    {
        var running = 0;
        var maxRunning = 0;
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Registration("slow", async (input, _, _, _) =>
        {
            var now = Interlocked.Increment(ref running);
            int seen;
            while (now > (seen = Volatile.Read(ref maxRunning)) && Interlocked.CompareExchange(ref maxRunning, now, seen) != seen)
            {
                // Another invocation raised the maximum meanwhile: compare again.
            }
            await Task.Delay(50);
            Interlocked.Decrement(ref running);
            return new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded };
        })]);
        for (var i = 0; i < 4; i++)
        {
            api.Enqueue(new NextAnswer($"req-{i}", Envelopes.Start("1")));
        }

        var ids = new List<string?>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await api.NextPostedAsync()).RequestId);
        }

        Assert.Equal(["req-0", "req-1", "req-2", "req-3"], ids);
        Assert.Equal(1, maxRunning);
    }

    [Fact]
    public async Task A_413_on_response_is_reported_as_an_error_for_the_same_request()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.ResponseStatus = id => id == "req-big" ? 413 : 202;
        await using var host = new HostRun(api, [Echo()]);
        api.Enqueue(new NextAnswer("req-big", Envelopes.Start("\"" + new string('x', 1000) + "\"")));
        api.Enqueue(new NextAnswer("req-after", Envelopes.Start("1")));

        var response = await api.NextPostedAsync();
        var error = await api.NextPostedAsync();
        var after = await api.NextPostedAsync();

        Assert.Equal(("response", "req-big"), (response.Kind, response.RequestId));
        Assert.Equal(("error", "req-big"), (error.Kind, error.RequestId));
        Assert.Equal("Function.ResponseSizeTooLarge", error.ErrorType);
        Assert.Equal(("response", "req-after"), (after.Kind, after.RequestId));
    }

    [Fact]
    public async Task A_500_on_next_makes_the_process_exit()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo()]);
        api.Enqueue(new NextAnswer("", "container broken", Status: 500));

        Assert.Equal(1, await host.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains("500", host.Log.ToString());
    }

    [Fact]
    public async Task A_500_on_response_makes_the_process_exit()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.ResponseStatus = _ => 500;
        await using var host = new HostRun(api, [Echo()]);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("1")));

        Assert.Equal(1, await host.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(1, api.NextCalls);
    }

    [Fact]
    public async Task A_500_on_error_makes_the_process_exit()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        api.ErrorStatus = 500;
        await using var host = new HostRun(api, [Registration("boom", (_, _, _, _) => throw new InvalidOperationException("x"))]);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("1")));

        Assert.Equal(1, await host.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_long_poll_on_next_has_no_client_timeout()
    {
        using (var client = new LambdaRuntimeApiClient("127.0.0.1:1", new HttpClient { Timeout = TimeSpan.FromSeconds(1) }))
        {
            Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
            Assert.Equal(new Uri("http://127.0.0.1:1/2018-06-01/"), client.BaseAddress);
        }

        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo()]);
        await UntilAsync(() => api.NextCalls >= 1);
        // Past the 1 s client timeout the HttpClient was given: the poll must still be the first one, held open.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        Assert.Equal(1, api.NextCalls);
        Assert.False(host.Exit.IsCompleted);
        api.Enqueue(new NextAnswer("req-late", Envelopes.Start("1"), Delay: TimeSpan.FromSeconds(1)));

        var posted = await api.NextPostedAsync();

        // One poll, held open for 2.5 s, delivered the invocation: nothing timed out or re-polled.
        Assert.Equal("req-late", posted.RequestId);
        Assert.Equal("response", posted.Kind);
    }

    [Fact]
    public async Task Without_a_service_client_start_up_posts_an_init_error_and_exits()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        await using var host = new HostRun(api, [Echo()], noClient: true);

        Assert.Equal(1, await host.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
        var posted = await api.NextPostedAsync();
        Assert.Equal("init-error", posted.Kind);
        Assert.Equal("InvalidOperationException", posted.ErrorType);
        Assert.Contains("No durable execution service client is configured", posted.Body);
        Assert.Equal(0, api.NextCalls);
    }

    [Fact]
    public async Task The_replay_only_client_is_chosen_by_environment_variable()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string> { [DurableLambdaHost.ServiceClientVariable] = "replay-only" };
        await using var host = new HostRun(api, [Echo()], env, noClient: true);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("1")));

        Assert.Equal("response", (await api.NextPostedAsync()).Kind);
    }

    [Fact]
    public async Task Handler_dispatch_picks_the_workflow_named_by_HANDLER()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string> { ["_HANDLER"] = "second" };
        await using var host = new HostRun(api, [
            Registration("first", (_, _, _, _) => Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"1\"" })),
            Registration("second", (_, _, _, _) => Task.FromResult(new DurableExecutionInvocationOutput { Status = InvocationStatus.Succeeded, Result = "\"2\"" })),
        ], env);
        api.Enqueue(new NextAnswer("req-1", Envelopes.Start("1")));

        Assert.Equal("\"2\"", Envelopes.Output((await api.NextPostedAsync()).Body).Result);
    }

    [Theory]
    [InlineData("greeter")]
    [InlineData("DurableGen.Hosting.Tests.GreeterWorkflow")]
    [InlineData("GreeterWorkflow")]
    public void A_registration_matches_its_function_name_and_class_names(string handler) =>
        Assert.True(GreeterWorkflow.Registration.Matches(handler));

    [Theory]
    [InlineData(null, "_HANDLER is not set")]
    [InlineData("third", "_HANDLER 'third' names no function")]
    public async Task Several_workflows_without_a_matching_HANDLER_is_an_init_error(string? handler, string message)
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var env = new Dictionary<string, string>();
        if (handler is not null)
        {
            env["_HANDLER"] = handler;
        }

        await using var host = new HostRun(api, [Echo("first"), Echo("second")], env);

        Assert.Equal(1, await host.Exit.WaitAsync(TimeSpan.FromSeconds(30)));
        var posted = await api.NextPostedAsync();
        Assert.Equal("init-error", posted.Kind);
        Assert.Contains(message, posted.Body);
        Assert.Contains("first, second", posted.Body);
    }

    [Fact]
    public async Task Cancellation_stops_the_loop_with_exit_code_0()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var host = new HostRun(api, [Echo()]);
        await UntilAsync(() => api.NextCalls >= 1); // stopped while its long poll is open

        Assert.Equal(0, await host.StopAsync());
        await host.DisposeAsync();
    }

    [Fact]
    public async Task Without_AWS_LAMBDA_RUNTIME_API_the_host_refuses_to_start()
    {
        var log = new System.IO.StringWriter();
        var code = await DurableLambdaHost.RunAsync([Echo()], new DurableLambdaHostOptions { Environment = _ => null, Log = log });

        Assert.Equal(1, code);
        Assert.Contains("AWS_LAMBDA_RUNTIME_API is not set", log.ToString());
    }

    [Fact]
    public async Task An_unreachable_Runtime_API_makes_the_process_exit()
    {
        var log = new System.IO.StringWriter();
        var code = await DurableLambdaHost.RunAsync([Echo()], new DurableLambdaHostOptions
        {
            RuntimeApi = "127.0.0.1:1", Environment = _ => null, Log = log, ServiceClient = new ReplayOnlyServiceClient(),
        });

        Assert.Equal(1, code);
    }

    [Fact]
    public void Error_json_has_the_runtime_shape()
    {
        var body = System.Text.Encoding.UTF8.GetString(LambdaRuntimeApiClient.FormatError(
            new LambdaError("Function.Custom", "bad <input> \"quoted\"", ["at A", "at B"])));

        Assert.Equal("""{"errorMessage":"bad <input> \"quoted\"","errorType":"Function.Custom","stackTrace":["at A","at B"]}""", body);
    }

    private static async Task UntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "the host never polled the Runtime API");
            await Task.Delay(20);
        }
    }
}
