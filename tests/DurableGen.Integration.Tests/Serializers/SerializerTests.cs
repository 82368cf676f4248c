using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.Serializers;

/// <summary>
/// Per-operation serializers (semantics §7.4, §11 #3/#4): the custom text is what the service stores, and the first
/// run returns the serializer's round trip so it sees exactly what every replay sees. The registered serializer keeps
/// the official SDK's behaviour (the live object on the first run).
/// </summary>
public sealed class SerializerTests
{
    [Fact]
    public async Task Step_serializer_writes_raw_text_and_first_run_equals_replay()
    {
        var serializer = new PrefixSerializer("wrapped:");
        var observed = new ConcurrentQueue<string>();
        var bodies = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var value = await ctx.StepAsync((_, _) => { bodies.Increment(); return Task.FromResult("hello"); }, "s",
                new StepConfig<string> { Serializer = serializer });
            observed.Enqueue(value);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return value;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(new[] { "hello'", "hello'" }, observed.ToArray());
        Assert.Equal(1, bodies.Value);
        Assert.Equal("wrapped:hello", H.One(result, EventType.StepSucceeded).StepSucceededDetails!.Result!.Payload);
        Assert.Equal(1, serializer.Serialized);
        Assert.All(serializer.Contexts, c => Assert.Equal((H.Root1, result.DurableExecutionArn), (c.OperationId, c.DurableExecutionArn)));
    }

    [Fact]
    public async Task Step_serializer_for_a_value_type_bypasses_json()
    {
        var serializer = new TallySerializer();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var a = await ctx.StepAsync((_, _) => Task.FromResult(20), "a", new StepConfig<int> { Serializer = serializer });
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return a + 1;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(21, result.Result);
        Assert.Equal("n=20", result.GetStep("a").ResultText);
        Assert.Equal(2, serializer.Deserialized); // first-run round trip + replay
    }

    [Fact]
    public async Task Registered_serializer_returns_the_live_object_on_the_first_run()
    {
        var live = new List<int> { 1, 2 };
        var sameInstance = new ConcurrentQueue<bool>();
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var value = await ctx.StepAsync((_, _) => Task.FromResult(live), "s");
            sameInstance.Enqueue(ReferenceEquals(value, live));
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return value.Sum();
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.Equal(new[] { true, false }, sameInstance.ToArray()); // live on the first run, deserialized on replay
        Assert.Equal("[1,2]", result.GetStep("s").ResultText);
    }

    [Fact]
    public async Task Child_context_serializer_stores_its_text_and_the_body_is_not_re_run()
    {
        var serializer = new PrefixSerializer("CHILD:");
        var observed = new ConcurrentQueue<string>();
        var bodies = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var value = await ctx.RunInChildContextAsync((_, _) => { bodies.Increment(); return Task.FromResult("HELLO CHILD"); },
                "child", new ChildContextConfig<string> { Serializer = serializer });
            observed.Enqueue(value);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return value;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("CHILD:HELLO CHILD", H.One(result, EventType.ContextSucceeded).ContextSucceededDetails!.Result!.Payload);
        Assert.Equal(new[] { "HELLO CHILD'", "HELLO CHILD'" }, observed.ToArray());
        Assert.Equal(1, bodies.Value);
    }

    [Fact]
    public async Task Callback_serializer_reads_the_raw_answer_live_and_on_replay()
    {
        var serializer = new PrefixSerializer("cb:");
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("approval", new CallbackConfig<string> { Serializer = serializer });
            var answer = await callback.GetResultAsync();
            observed.Enqueue(answer);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return answer;
        }).OnCallback("approval", cb => cb.SucceedWithTextAsync("cb:approved"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(new[] { "approved'", "approved'" }, observed.ToArray());
        Assert.Equal(0, serializer.Serialized); // callbacks only read
        Assert.Equal("\"approved'\"", result.ResultText);
    }

    [Fact]
    public async Task Callback_answer_the_serializer_refuses_surfaces_as_the_serializer_error()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var callback = await ctx.CreateCallbackAsync<string>("approval",
                new CallbackConfig<string> { Serializer = new PrefixSerializer("cb:") });
            return await callback.GetResultAsync();
        }).OnCallback("approval", cb => cb.SucceedWithTextAsync("\"plain json\""));

        var result = await runner.RunAsync(0);

        Assert.NotEqual(ExecutionStatus.Succeeded, result.Status);
        Assert.Contains(result.History, e =>
            (e.InvocationCompletedDetails?.Error?.Payload ?? e.ExecutionFailedDetails?.Error?.Payload)?.ErrorMessage?
                .Contains("does not start with 'cb:'", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Wait_for_callback_serializer_reads_the_answer_and_first_run_equals_replay()
    {
        var serializer = new PrefixSerializer("wfc:");
        var observed = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var answer = await ctx.WaitForCallbackAsync<string>((_, _, _) => Task.CompletedTask, "ask",
                new WaitForCallbackConfig<string> { Serializer = serializer });
            observed.Enqueue(answer);
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return answer;
        }).OnCallback("ask", cb => cb.SucceedWithTextAsync("wfc:yes"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(2, observed.Count);
        Assert.Equal(observed.First(), observed.Last());
        Assert.StartsWith("yes'", observed.First(), StringComparison.Ordinal);
        Assert.Equal("wfc:yes", H.One(result, EventType.CallbackSucceeded).CallbackSucceededDetails!.Result!.Payload);
    }
}
