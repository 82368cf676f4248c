using System;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Emulator.Hosting;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Invoke;

/// <summary>Chained invoke (semantics §4.6): START with payload and target, suspend, replay the child's outcome.</summary>
public sealed class InvokeTests
{
    private static bool IsInvokeStart(CheckpointDurableExecutionRequest request) =>
        request.Updates?.Any(u => u.Type == OperationType.ChainedInvoke && u.Action == OperationAction.Start) == true;

    [Fact]
    public async Task Durable_target_runs_once_and_its_result_replays_into_the_caller()
    {
        var before = new Counter();
        var targetRuns = new Counter();
        var targetSteps = new Counter();
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            var prefix = await ctx.StepAsync((_, _) => { before.Increment(); return Task.FromResult("p"); }, "before");
            var invoked = await ctx.InvokeAsync<string, string>("target", input, "call");
            return prefix + invoked;
        });
        runner.Host.RegisterDurableFunction<string, string>("target", async (input, ctx) =>
        {
            targetRuns.Increment();
            return await ctx.StepAsync((_, _) => { targetSteps.Increment(); return Task.FromResult("t:" + input); }, "work");
        });

        var result = await runner.RunAsync("in");

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("pt:in", result.Result);
        Assert.Equal(2, result.InvocationCount); // one suspension for the invoke
        Assert.Equal(1, before.Value);           // replayed, not re-run, on the second invocation
        Assert.Equal(1, targetRuns.Value);
        Assert.Equal(1, targetSteps.Value);
        H.AssertEvents(result, EventType.StepStarted, EventType.StepSucceeded, EventType.ChainedInvokeStarted,
            EventType.InvocationCompleted, EventType.ChainedInvokeSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
        var started = H.One(result, EventType.ChainedInvokeStarted);
        Assert.Equal(H.RootId(2), started.Id);
        Assert.Equal("call", started.Name);
        Assert.Equal("ChainedInvoke", started.SubType);
        Assert.Null(started.ParentId);
        Assert.Equal("target", started.ChainedInvokeStartedDetails!.FunctionName);
        Assert.Equal("\"in\"", started.ChainedInvokeStartedDetails.Input!.Payload);
        Assert.Null(started.ChainedInvokeStartedDetails.TenantId);
        Assert.Equal("\"t:in\"", H.One(result, EventType.ChainedInvokeSucceeded).ChainedInvokeSucceededDetails!.Result!.Payload);

        // The target is an execution of its own, with its own history.
        var childArn = started.ChainedInvokeStartedDetails.DurableExecutionArn!;
        Assert.Equal(ExecutionStatus.Succeeded, runner.Host.GetExecution(childArn).Status);
        Assert.Contains(runner.Host.GetHistoryEvents(childArn), e => e.EventType == EventType.StepSucceeded && e.Name == "work");
    }

    [Fact]
    public async Task Plain_target_receives_the_payload_and_answers_the_result()
    {
        var runner = ReflectionRunner.Create<int, int>(async (input, ctx) =>
            await ctx.InvokeAsync<int[], int>("sum", new[] { input, input + 1, input + 2 }));
        runner.Host.RegisterFunction<int[], int>("sum", (values, _) => Task.FromResult(values.Sum()));

        var result = await runner.RunAsync(10);

        Assert.Equal(33, result.Result);
        var started = H.One(result, EventType.ChainedInvokeStarted);
        Assert.Equal("[10,11,12]", started.ChainedInvokeStartedDetails!.Input!.Payload);
        Assert.Equal(H.Root1, started.Id);
        Assert.Null(started.Name);
    }

    [Fact]
    public async Task Failed_target_throws_a_catchable_InvokeFailedException_live_and_on_replay()
    {
        var caught = new System.Collections.Concurrent.ConcurrentQueue<InvokeFailedException>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            string outcome;
            try
            {
                outcome = await ctx.InvokeAsync<int, string>("fails", 1, "call");
            }
            catch (InvokeFailedException ex)
            {
                caught.Enqueue(ex);
                outcome = $"caught {ex.FunctionName} {ex.ErrorType} {ex.Message}";
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(2), "after");
            return outcome;
        });
        runner.Host.RegisterFunction<int, string>("fails", (_, _) => throw new TransientError("target exploded"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal($"caught fails {typeof(TransientError).FullName} target exploded", result.Result);
        Assert.Equal(2, caught.Count); // invocation 2 (live outcome) and invocation 3 (replayed after the wait)
        Assert.All(caught, ex => Assert.IsAssignableFrom<InvokeException>(ex));
        H.AssertEvents(result, EventType.ChainedInvokeStarted, EventType.InvocationCompleted, EventType.ChainedInvokeFailed,
            EventType.WaitStarted, EventType.InvocationCompleted, EventType.WaitSucceeded, EventType.InvocationCompleted,
            EventType.ExecutionSucceeded);
        var error = H.One(result, EventType.ChainedInvokeFailed).ChainedInvokeFailedDetails!.Error!.Payload!;
        Assert.Equal(typeof(TransientError).FullName, error.ErrorType);
        Assert.Equal("target exploded", error.ErrorMessage);
    }

    [Fact]
    public async Task Uncaught_invoke_failure_fails_the_execution_with_the_targets_error_type()
    {
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.InvokeAsync<int, string>("fails", 1));
        runner.Host.RegisterFunction<int, string>("fails", (_, _) => throw new InvalidOperationException("nope"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(InvalidOperationException).FullName, result.Error!.ErrorType);
        Assert.Equal("nope", result.Error.ErrorMessage);
    }

    [Fact]
    public async Task Stopped_target_throws_InvokeStoppedException()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                return await ctx.InvokeAsync<int, string>("forever", 1, "call");
            }
            catch (InvokeStoppedException ex)
            {
                return "stopped:" + ex.FunctionName;
            }
        });
        runner.Host.RegisterDurableFunction<int, string>("forever", async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("never");
            return await callback.GetResultAsync();
        });
        var host = runner.Host;
        var execution = await runner.StartAsync(0);
        string? childArn = null;
        await host.RunUntilAsync(() =>
        {
            childArn = host.GetHistoryEvents(execution.DurableExecutionArn)
                .FirstOrDefault(e => e.EventType == EventType.ChainedInvokeStarted)?.ChainedInvokeStartedDetails?.DurableExecutionArn;
            return childArn is not null && host.GetOperations(childArn).Any(o => o.Type == OperationType.Callback)
                && !host.Engine.HasActiveInvocation(childArn);
        });

        host.Engine.StopExecution(childArn!);
        var result = await execution.WaitForResultAsync();

        Assert.Equal("stopped:forever", result.Result);
        H.One(result, EventType.ChainedInvokeStopped);
    }

    [Fact]
    public async Task Tenant_id_is_sent_when_set_and_omitted_when_empty()
    {
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var a = await ctx.InvokeAsync<int, int>("double", 1, "tenant", new InvokeConfig { TenantId = "acme-42" });
            var b = await ctx.InvokeAsync<int, int>("double", a, "blank", new InvokeConfig { TenantId = "" });
            return b;
        });
        runner.Host.RegisterFunction<int, int>("double", (x, _) => Task.FromResult(2 * x));

        var result = await runner.RunAsync(0);

        Assert.Equal(4, result.Result);
        Assert.Equal(3, result.InvocationCount);
        var started = H.Of(result, EventType.ChainedInvokeStarted);
        Assert.Equal("acme-42", started[0].ChainedInvokeStartedDetails!.TenantId);
        Assert.Null(started[1].ChainedInvokeStartedDetails!.TenantId);
        Assert.Equal(new[] { H.Root1, H.Root2 }, started.Select(e => e.Id));
    }

    [Fact]
    public async Task Payload_and_result_serializers_replace_the_registered_one()
    {
        var payloadSerializer = new UpperJson();
        var resultSerializer = new Reader();
        var runner = ReflectionRunner.Create<string, string>((input, ctx) => ctx.InvokeAsync<string, string>("echo", input, "call",
            new InvokeConfig<string, string> { PayloadSerializer = payloadSerializer, ResultSerializer = resultSerializer }));
        string? received = null;
        runner.Host.RegisterFunction<string, string>("echo", (s, _) => { received = s; return Task.FromResult("echo:" + s); });

        var result = await runner.RunAsync("quiet");

        Assert.Equal("read(\"echo:QUIET\")", result.Result);
        Assert.Equal("QUIET", received);
        Assert.Equal("\"QUIET\"", H.One(result, EventType.ChainedInvokeStarted).ChainedInvokeStartedDetails!.Input!.Payload);
        Assert.Equal(1, payloadSerializer.Calls);
        Assert.Equal(H.Root1, payloadSerializer.LastContext.OperationId);
        Assert.Equal(result.DurableExecutionArn, payloadSerializer.LastContext.DurableExecutionArn);
    }

    [Fact]
    public async Task Unregistered_target_fails_the_run_naming_the_function()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.InvokeAsync<int, int>("nobody-home", 1));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => runner.RunAsync(0));

        Assert.Contains("'nobody-home'", error.Message, StringComparison.Ordinal);
        Assert.Contains("RegisterFunction", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Invalid_function_names_throw_before_an_id_is_taken()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var nullName = await Assert.ThrowsAsync<ArgumentNullException>(() => ctx.InvokeAsync<int, int>(null!, 1));
            var blank = await Assert.ThrowsAsync<ArgumentException>(() => ctx.InvokeAsync<int, int>("  ", 1));
            var after = await ctx.StepAsync((s, _) => Task.FromResult(s.OperationId), "after");
            return $"{nullName.GetType().Name}|{blank.GetType().Name}|{after}";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal($"ArgumentNullException|ArgumentException|{H.Root1}", result.Result);
        Assert.DoesNotContain(result.History, e => e.EventType == EventType.ChainedInvokeStarted);
    }

    [Fact]
    public async Task Invoke_inside_a_child_context_reports_the_child_as_parent()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.RunInChildContextAsync(
            (child, _) => child.InvokeAsync<int, int>("inc", 41, "call"), "ctx"));
        runner.Host.RegisterFunction<int, int>("inc", (x, _) => Task.FromResult(x + 1));

        var result = await runner.RunAsync(0);

        Assert.Equal(42, result.Result);
        var started = H.One(result, EventType.ChainedInvokeStarted);
        Assert.Equal(H.Root1, started.ParentId);
        Assert.Equal(H.ChildId(H.Root1, 1), started.Id);
        H.AssertEvents(result, EventType.ContextStarted, EventType.ChainedInvokeStarted, EventType.InvocationCompleted,
            EventType.ChainedInvokeSucceeded, EventType.ContextSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
    }

    [Theory]
    [InlineData(CheckpointFault.CrashBeforeSending)]
    [InlineData(CheckpointFault.CrashAfterApplying)]
    public async Task Crash_around_the_invoke_start_starts_the_target_exactly_once(CheckpointFault fault)
    {
        var targetRuns = new Counter();
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.InvokeAsync<int, int>("inc", 1, "call"),
            new DurableTestRunnerOptions
            {
                Host = new InProcessHostOptions
                {
                    Faults = f => f.InvocationNumber == 1 && IsInvokeStart(f.Request) ? fault : CheckpointFault.None,
                },
            });
        runner.Host.RegisterFunction<int, int>("inc", (x, _) => { targetRuns.Increment(); return Task.FromResult(x + 1); });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, result.Result);
        Assert.Equal(1, targetRuns.Value);
        H.One(result, EventType.ChainedInvokeStarted);
        H.One(result, EventType.ChainedInvokeSucceeded);
        var crashed = H.Of(result, EventType.InvocationCompleted)[0];
        Assert.Equal("Runtime.ExitError", crashed.InvocationCompletedDetails!.Error!.Payload!.ErrorType);
        Assert.Single(runner.Host.Engine.ListExecutions("inc"));
    }

    private sealed class UpperJson : ICheckpointSerializer<string>
    {
        public int Calls { get; private set; }

        public SerializationContext LastContext { get; private set; }

        public string? Serialize(string value, SerializationContext context)
        {
            Calls++;
            LastContext = context;
            return JsonSerializer.Serialize(value.ToUpperInvariant());
        }

        public string Deserialize(string? data, SerializationContext context) => throw new InvalidOperationException("payload is never read back");
    }

    private sealed class Reader : ICheckpointSerializer<string>
    {
        public string? Serialize(string value, SerializationContext context) => throw new InvalidOperationException("results are never written");

        public string Deserialize(string? data, SerializationContext context) => $"read({data})";
    }
}
