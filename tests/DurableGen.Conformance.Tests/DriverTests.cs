using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json.Nodes;
using System.Threading.Tasks;
using DurableGen.Conformance.Hosting;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Running;
using Xunit;

using DurableGen.Conformance.Handlers;
[assembly: DurableGen.Conformance.ConformanceNotImplemented("t-declared", "declared gap for the tests")]
[assembly: DurableGen.Conformance.ConformanceNotImplemented("t-stale", "declared but has a handler")]

namespace DurableGen.Conformance.Tests;

/// <summary>End-to-end tests of the virtual-time driver with synthetic requirements and test-only handlers.</summary>
public sealed class DriverTests
{
    private static readonly HandlerCatalog Catalog = HandlerCatalog.FromAssemblies([typeof(DriverTests).Assembly]);

    private static Task<RequirementResult> Run(string id, string yaml, string? artifacts = null) =>
        new RequirementRunner(Catalog, new RunnerOptions { ArtifactsDirectory = artifacts, Seed = 1 })
            .RunAsync(Requirement.FromYaml(yaml, id, "synthetic"));

    private static string Ts(int seconds) =>
        $"'${{/^{ConformanceHost.Epoch.ToUnixTimeSeconds() + seconds}(\\.0+)?$/}}'";

    [Fact]
    public async Task Delays_of_actions_found_in_one_poll_add_up_and_the_next_poll_waits_for_the_last_send()
    {
        // First poll at 2 s sees A and B: A is sent at 2+3 = 5 s, B 4 s later at 9 s (the Python loop sleeps each
        // Delay in turn before sending).
        var result = await Run("t-two-callbacks", $"""
            AsyncInvoke: true
            Input: [a, b]
            CallbackActions:
              - CallbackName: b
                Operation: success
                Payload: B
                Delay: 4
              - CallbackName: a
                Operation: success
                Payload: A
                Delay: 3
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: [A, B]
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: CallbackStarted
                Name: a
                EventTimestamp: {Ts(0)}
              - EventId: 3
                EventType: CallbackStarted
                Name: b
              - EventId: 4
                EventType: InvocationCompleted
              - EventId: 5
                EventType: CallbackSucceeded
                Name: a
                EventTimestamp: {Ts(5)}
                CallbackSucceededDetails:
                  Result:
                    Payload: '"A"'
              - EventId: 6
                EventType: InvocationCompleted
              - EventId: 7
                EventType: CallbackSucceeded
                Name: b
                EventTimestamp: {Ts(9)}
              - EventId: 8
                EventType: InvocationCompleted
              - EventId: 9
                EventType: ExecutionSucceeded
            """);
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
        Assert.Equal(11, result.VirtualSeconds); // terminal seen at the poll 2 s after the last send
    }

    [Fact]
    public async Task Heartbeat_and_success_are_one_poll_apart_and_payloads_are_json_dumps_text()
    {
        var result = await Run("t-one-callback", $$"""
            AsyncInvoke: true
            Input: cb
            CallbackActions:
              - CallbackName: '${/^c/}'
                Operation: heartbeat
              - CallbackName: '*'
                Operation: success
                Payload:
                  status: approved
                  note: café
                Delay: 1
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: CallbackStarted
              - EventId: 4
                EventType: CallbackSucceeded
                EventTimestamp: {{Ts(5)}}
                CallbackSucceededDetails:
                  Result:
                    Payload: '{"status": "approved", "note": "caf\u00e9"}'
            """);
        // Poll at 2 s: heartbeat sent at once; poll at 4 s: success with a 1 s delay, sent at 5 s.
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
    }

    [Fact]
    public async Task Callback_success_without_payload_sends_no_result()
    {
        var result = await Run("t-one-callback", """
            AsyncInvoke: true
            Input: cb
            CallbackActions:
              - CallbackName: cb
                Operation: success
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result:
            ExpectedExecutionHistory:
              - EventId: 4
                EventType: CallbackSucceeded
                CallbackSucceededDetails: {}
            """);
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
    }

    [Fact]
    public async Task Failure_payload_must_be_a_mapping()
    {
        var result = await Run("t-one-callback", """
            AsyncInvoke: true
            Input: cb
            CallbackActions:
              - CallbackName: cb
                Operation: failure
                Payload: just text
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: CallbackStarted
            """);
        Assert.Equal(ConformanceStatus.Failed, result.Status);
        Assert.Contains(result.Errors, e => e.Contains("must be a mapping", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Unmatched_callback_fails_when_actions_exist()
    {
        var result = await Run("t-open-callback", """
            AsyncInvoke: true
            Input: cb
            CallbackActions:
              - CallbackName: someone-else
                Operation: success
                Payload: x
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: CallbackStarted
            ExpectedResult:
              ExecutionStatus: RUNNING
            """);
        Assert.Equal(ConformanceStatus.Failed, result.Status);
        Assert.Contains(result.Errors, e => e.StartsWith("No matching CallbackAction for callback 'cb'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task No_progress_for_thirty_virtual_seconds_ends_the_loop()
    {
        var result = await Run("t-open-callback", """
            AsyncInvoke: true
            Input: cb
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: CallbackStarted
            """);
        Assert.Equal(ConformanceStatus.Failed, result.Status);
        Assert.Contains(result.Errors, e => e.StartsWith("No new events for 30 seconds", StringComparison.Ordinal));
        Assert.Contains(result.Errors, e => e.StartsWith("ExecutionStatus mismatch", StringComparison.Ordinal));
        Assert.InRange(result.VirtualSeconds, 30, 34);
    }

    [Fact]
    public async Task History_only_requirements_stop_as_soon_as_the_history_matches()
    {
        var result = await Run("t-long-wait", """
            AsyncInvoke: true
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: WaitStarted
                WaitStartedDetails:
                  Duration: 3600
              - EventId: 3
                EventType: InvocationCompleted
            """);
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
        Assert.Equal(2, result.VirtualSeconds); // the first poll, never the hour
    }

    [Fact]
    public async Task Synchronous_requirements_run_to_the_end_and_need_an_expected_history()
    {
        var passed = await Run("t-short-wait", """
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: done
            ExpectedExecutionHistory:
              - EventId: 4
                EventType: WaitSucceeded
            """);
        Assert.True(passed.IsPass, string.Join("\n", passed.Errors));
        Assert.Equal(5, passed.VirtualSeconds);

        var empty = await Run("t-short-wait", "ExpectedResult:\n  ExecutionStatus: SUCCEEDED\n");
        Assert.Equal("ExpectedExecutionHistory is empty", Assert.Single(empty.Errors));
    }

    [Fact]
    public async Task Executions_time_out_after_the_reference_templates_300_seconds()
    {
        var result = await Run("t-long-wait", """
            ExpectedResult:
              ExecutionStatus: TIMED_OUT
            ExpectedExecutionHistory:
              - EventId: 4
                EventType: ExecutionTimedOut
            """);
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
        Assert.Equal(300, result.VirtualSeconds);
    }

    [Fact]
    public async Task Validation_stops_at_the_first_failing_stage()
    {
        var result = await Run("t-long-wait", """
            ExpectedResult:
              ExecutionStatus: FAILED
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: StepStarted
            """);
        Assert.Equal("Event[EventId=2].EventType: expected 'StepStarted', got 'WaitStarted'", Assert.Single(result.Errors));
    }

    [Fact]
    public async Task Optional_requirements_fail_softly()
    {
        var result = await Run("t-long-wait", """
            optional: true
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: StepStarted
            """);
        Assert.Equal(ConformanceStatus.OptionalFailed, result.Status);
    }

    [Fact]
    public async Task Crash_primitive_records_an_exit_error_and_fences_the_dead_invocation()
    {
        var result = await Run("t-crash", """
            Input: in
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: 2
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: StepStarted
              - EventId: 3
                EventType: InvocationCompleted
                InvocationCompletedDetails:
                  Error:
                    Payload:
                      ErrorType: Runtime.ExitError
              - EventId: 4
                EventType: StepSucceeded
                StepSucceededDetails:
                  Result:
                    Payload: '2'
            ExpectedLogs:
              - match:
                  message: /attempt in/
                count: 2
              - match:
                  message: /attempt in/
                  invocation: 2
                after:
                  message: /attempt in/
                  invocation: 1
            """);
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
    }

    [Fact]
    public async Task Handler_lookup_statuses()
    {
        var uncovered = await Run("t-nobody", "ExpectedExecutionHistory: []\n");
        Assert.Equal(ConformanceStatus.Uncovered, uncovered.Status);

        var declared = await Run("t-declared", "ExpectedExecutionHistory: []\n");
        Assert.Equal(ConformanceStatus.NotImplemented, declared.Status);
        Assert.Equal("declared gap for the tests", declared.Reason);

        var stale = await Run("t-stale", "ExpectedExecutionHistory:\n  - EventId: 3\n    EventType: InvocationCompleted\n");
        Assert.Equal(ConformanceStatus.Passed, stale.Status); // a declared gap with a handler still runs
        Assert.Contains("Stale declaration", Assert.Single(stale.Warnings));

        var malformed = await Run("t-long-wait", "ExpectedExecutionHistory:\n  - EventType: X\n");
        Assert.Equal(ConformanceStatus.Failed, malformed.Status);
        Assert.Contains("EventId", Assert.Single(malformed.Errors));
    }

    [Fact]
    public async Task Artifacts_hold_the_history_and_the_execution_in_aws_shape()
    {
        var dir = Path.Combine(Path.GetTempPath(), "durablegen-conformance-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            var result = await Run("t-short-wait", "ExpectedExecutionHistory:\n  - EventId: 2\n    EventType: WaitStarted\n", dir);
            Assert.True(result.IsPass, string.Join("\n", result.Errors));
            var history = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "t-short-wait.json")))!;
            Assert.Equal("ExecutionStarted", history["Events"]![0]!["EventType"]!.GetValue<string>());
            var execution = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "t-short-wait.execution.json")))!;
            Assert.Equal("SUCCEEDED", execution["Status"]!.GetValue<string>());
            Assert.Equal("\"done\"", execution["Result"]!.GetValue<string>());
            Assert.Equal(Path.Combine(dir, "t-short-wait.json"), result.ArtifactPath);
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    [Fact]
    public async Task A_history_past_the_first_page_is_judged_on_that_page_as_aws_does_and_written_whole()
    {
        var dir = Path.Combine(Path.GetTempPath(), "durablegen-conformance-tests-" + Guid.NewGuid().ToString("N"));
        try
        {
            // 150 steps make 303 events; AWS's runner reads one page (100), so event 101 cannot be matched.
            var beyond = await Run("t-many-steps", "ExpectedExecutionHistory:\n  - EventId: 101\n    EventType: StepStarted\n", dir);
            Assert.False(beyond.IsPass);
            var judged = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "t-many-steps.json")))!;
            Assert.Equal(100, judged["Events"]!.AsArray().Count);
            Assert.Equal("101", judged["NextMarker"]!.GetValue<string>());

            var full = JsonNode.Parse(File.ReadAllText(Path.Combine(dir, "t-many-steps.full-history.json")))!;
            var events = full["Events"]!.AsArray();
            Assert.Equal(303, events.Count);
            Assert.Equal("ExecutionSucceeded", events[^1]!["EventType"]!.GetValue<string>());
            Assert.Null(full["NextMarker"]);

            var within = await Run("t-many-steps", "ExpectedExecutionHistory:\n  - EventId: 100\n    EventType: StepStarted\n", dir);
            Assert.True(within.IsPass, string.Join("\n", within.Errors));
        }
        finally
        {
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }
}

[Conformance("t-two-callbacks")]
public sealed class TwoCallbacksHandler : IConformanceCase<string[], List<string>>
{
    public async Task<List<string>> RunAsync(string[] input, IDurableContext context, IConformanceEnv env)
    {
        var a = await context.CreateCallbackAsync<string>(input[0]);
        var b = await context.CreateCallbackAsync<string>(input[1]);
        return [await a.GetResultAsync(), await b.GetResultAsync()];
    }
}

[Conformance("t-one-callback")]
public sealed class OneCallbackHandler : IConformanceCase<string, JsonNode?>
{
    public async Task<JsonNode?> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<JsonNode?>(input, new CallbackConfig { HeartbeatTimeout = TimeSpan.FromSeconds(10) });
        return await callback.GetResultAsync();
    }
}

[Conformance("t-long-wait", "t-stale")]
public sealed class LongWaitHandler : IConformanceCase<JsonNode?, string>
{
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromHours(1));
        return "done";
    }
}

[Conformance("t-crash")]
public sealed class CrashHandler : IConformanceCase<string, int>
{
    public Task<int> RunAsync(string input, IDurableContext context, IConformanceEnv env) =>
        context.StepAsync(async (step, _) =>
        {
            using (step.Logger.BeginScope(new Dictionary<string, object> { ["invocation"] = env.InvocationNumber }))
            {
                Microsoft.Extensions.Logging.LoggerExtensions.LogInformation(step.Logger, "attempt {Input}", input);
            }

            if (env.InvocationNumber == 1)
            {
                await env.CrashProcessAsync(step.OperationId);
            }

            return env.InvocationNumber;
        });
}

[Conformance("t-open-callback")]
public sealed class OpenCallbackHandler : IConformanceCase<string, string>
{
    public async Task<string> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        var callback = await context.CreateCallbackAsync<string>(input);
        return await callback.GetResultAsync();
    }
}

[Conformance("t-short-wait")]
public sealed class ShortWaitHandler : IConformanceCase<JsonNode?, string>
{
    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(5));
        return "done";
    }
}

[Conformance("t-many-steps")]
public sealed class ManyStepsHandler : IConformanceCase<JsonNode?, int>
{
    public async Task<int> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        var total = 0;
        for (var i = 0; i < 150; i++)
        {
            var n = i;
            total += await context.StepAsync((_, _) => Task.FromResult(n), "s" + n);
        }

        return total;
    }
}

public sealed class CatalogTests
{
    [Fact]
    public void Handlers_assembly_declares_targets_and_every_declared_gap_has_a_reason()
    {
        var catalog = HandlerCatalog.FromAssemblies([typeof(Handlers.Step.StepBasic).Assembly]);
        Assert.Empty(catalog.Warnings);
        Assert.Contains("echo", catalog.Targets.Keys);
        Assert.Contains("error", catalog.Targets.Keys);
        Assert.Contains("echo-tenant", catalog.Targets.Keys);
        Assert.Equal(typeof(JsonNode), catalog.Targets["echo"].InputType);
        Assert.All(catalog.NotImplemented, gap => Assert.False(string.IsNullOrWhiteSpace(gap.Value), gap.Key));
        Assert.Empty(catalog.Handlers.Keys.Intersect(catalog.NotImplemented.Keys)); // no stale declarations
        Assert.Equal(typeof(Handlers.Step.StepBasic), catalog.Handlers["1-1"].Type);
    }

    [Fact]
    public async Task Env_target_names_a_registered_target_and_refuses_unknown_ones()
    {
        var catalog = HandlerCatalog.FromAssemblies([typeof(Handlers.Step.StepBasic).Assembly, typeof(CatalogTests).Assembly]);
        var result = await new RequirementRunner(catalog).RunAsync(Requirement.FromYaml("""
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: conformance-target-echo:$LATEST
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: InvocationCompleted
            """, "t-target-name", "synthetic"));
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
    }
}

public sealed class TenantAndPluginTests
{
    private static readonly HandlerCatalog Catalog =
        HandlerCatalog.FromAssemblies([typeof(Handlers.Step.StepBasic).Assembly, typeof(TenantAndPluginTests).Assembly]);

    [Fact]
    public async Task Echo_tenant_target_sees_the_tenant_id_of_the_chained_invoke_that_started_it()
    {
        var result = await new RequirementRunner(Catalog).RunAsync(Requirement.FromYaml("""
            AsyncInvoke: true
            Input: tenant-42
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result: [tenant-42, null]
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: ChainedInvokeStarted
                ChainedInvokeStartedDetails:
                  TenantId: tenant-42
            """, "t-tenant", "synthetic"));
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
    }

    [Fact]
    public async Task Plugins_of_a_handler_are_registered_fresh_for_every_invocation()
    {
        var result = await new RequirementRunner(Catalog).RunAsync(Requirement.FromYaml("""
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
            ExpectedExecutionHistory:
              - EventId: 2
                EventType: WaitStarted
            ExpectedLogs:
              - match: {plugin: T, hook: start, instance: 1, first: true}
                count: 1
              - match: {plugin: T, hook: start, instance: 1, first: false}
                count: 1
              - match: {plugin: T, hook: end, instance: 2}
                count: 2
              - match: {plugin: T, instance: 3}
                count: 0
            """, "t-plugins", "synthetic"));
        Assert.True(result.IsPass, string.Join("\n", result.Errors));
    }
}

[Conformance("t-tenant")]
public sealed class TenantHandler : IConformanceCase<string, string?[]>
{
    public async Task<string?[]> RunAsync(string input, IDurableContext context, IConformanceEnv env)
    {
        Assert.Null(env.TenantId);
        var withTenant = await context.InvokeAsync<string, string?>(env.Target("echo-tenant"), "x",
            config: new InvokeConfig { TenantId = input });
        var without = await context.InvokeAsync<string, string?>(env.Target("echo-tenant"), "y");
        return [withTenant, without];
    }
}

[Conformance("t-plugins")]
public sealed class PluginsHandler : IConformanceCase<JsonNode?, string>, IConformancePlugins
{
    public IReadOnlyList<IDurableExecutionPlugin> CreatePlugins(IConformanceEnv env) => [new CountingPlugin(env)];

    public async Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        await context.WaitAsync(TimeSpan.FromSeconds(1));
        return "done";
    }

    private sealed class CountingPlugin(IConformanceEnv env) : IDurableExecutionPlugin
    {
        private int _calls;

        public void OnInvocationStart(InvocationStartInfo info) =>
            env.Emit(new JsonObject { ["plugin"] = "T", ["hook"] = "start", ["instance"] = ++_calls, ["first"] = info.IsFirstInvocation });

        public void OnInvocationEnd(InvocationEndInfo info) =>
            env.Emit(new JsonObject { ["plugin"] = "T", ["hook"] = "end", ["instance"] = ++_calls });
    }
}

[Conformance("t-target-name")]
public sealed class TargetNameHandler : IConformanceCase<JsonNode?, string>
{
    public Task<string> RunAsync(JsonNode? input, IDurableContext context, IConformanceEnv env)
    {
        Assert.Throws<InvalidOperationException>(() => env.Target("nope"));
        return Task.FromResult(env.Target("echo"));
    }
}
