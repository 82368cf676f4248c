using System;
using System.Collections.Concurrent;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Integration.Tests.Support;
using DurableGen.Protocol;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.ChildContexts;

public sealed class ChildContextTests
{
    public sealed class OrderRejectedException(string message, Exception inner) : Exception(message, inner);

    [Fact]
    public async Task Basic_child_context_groups_its_step_under_a_RunInChildContext_record()
    {
        var runner = ReflectionRunner.Create<string, string>((input, ctx) => ctx.RunInChildContextAsync(
            (child, _) => child.StepAsync((_, _) => Task.FromResult(input), "echo")));

        var result = await runner.RunAsync("abc12345");

        Assert.Equal("abc12345", result.Result);
        H.AssertEvents(result, EventType.ContextStarted, EventType.StepStarted, EventType.StepSucceeded,
            EventType.ContextSucceeded, EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        var contextId = H.Root1;
        Assert.Equal("2ac06c59dbc2f95f867ebb0f4e986076465c3dfd08e9353610dcf46b8b030df6", H.ChildId(contextId, 1));
        foreach (var e in new[] { H.One(result, EventType.ContextStarted), H.One(result, EventType.ContextSucceeded) })
        {
            Assert.Equal(contextId, e.Id);
            Assert.Equal("RunInChildContext", e.SubType);
            Assert.Null(e.ParentId);
        }

        foreach (var e in new[] { H.One(result, EventType.StepStarted), H.One(result, EventType.StepSucceeded) })
        {
            Assert.Equal(H.ChildId(contextId, 1), e.Id);
            Assert.Equal(contextId, e.ParentId);
        }

        Assert.Equal("\"abc12345\"", H.One(result, EventType.ContextSucceeded).ContextSucceededDetails!.Result!.Payload);
        var context = Assert.Single(result.Operations);
        Assert.Equal(OperationType.Context, context.Type);
        Assert.Equal("echo", Assert.Single(context.Children).Name);
    }

    [Fact]
    public async Task Nested_contexts_derive_ids_from_their_owner()
    {
        var ids = new ConcurrentQueue<string>();
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.RunInChildContextAsync(async (outer, _) =>
        {
            var inner = await outer.RunInChildContextAsync((c, _) =>
                c.StepAsync((s, _) => { ids.Enqueue(s.OperationId); return Task.FromResult(1); }), "inner");
            var second = await outer.StepAsync((s, _) => { ids.Enqueue(s.OperationId); return Task.FromResult(2); }, "second");
            return inner + second;
        }, "outer"));

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.Equal(new[]
        {
            "dcabffb0c7d5dffe0fe2ad693e622ac30af66aa18c5e4336877480106d1c77d1",
            "02639542652da51af1ee1b734ee5663c43baae11fdef37a46a5c463c9dccbbe0",
        }, ids.ToArray());
        Assert.Equal(H.Root1, result.FindOperation("inner")!.ParentId);
        Assert.Equal(H.ChildId(H.Root1, 1), result.GetSteps()[0].ParentId);
    }

    [Fact]
    public async Task Completed_child_replays_from_its_checkpoint_without_running_the_body()
    {
        var bodyRuns = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            var value = await ctx.RunInChildContextAsync(async (child, _) =>
            {
                bodyRuns.Increment();
                return await child.StepAsync((_, _) => Task.FromResult("computed"), "inner");
            }, "cached");
            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
            return value;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("computed", result.Result);
        Assert.Equal(2, result.InvocationCount);
        Assert.Equal(1, bodyRuns.Value);
        Assert.Single(H.Of(result, EventType.ContextStarted));
        Assert.Single(H.Of(result, EventType.ContextSucceeded));
    }

    [Fact]
    public async Task Suspension_inside_a_child_writes_no_context_update_and_resumes_without_a_new_start()
    {
        var bodyRuns = new Counter();
        var runner = ReflectionRunner.Create<int, string>((_, ctx) => ctx.RunInChildContextAsync(async (child, _) =>
        {
            bodyRuns.Increment();
            await child.WaitAsync(TimeSpan.FromSeconds(5), "inner-wait");
            return await child.StepAsync((_, _) => Task.FromResult("after"), "inner-step");
        }, "ctx"));

        var result = await runner.RunAsync(0);

        Assert.Equal("after", result.Result);
        Assert.Equal(2, bodyRuns.Value);
        H.AssertEvents(result, EventType.ContextStarted, EventType.WaitStarted, EventType.InvocationCompleted,
            EventType.WaitSucceeded, EventType.StepStarted, EventType.StepSucceeded, EventType.ContextSucceeded,
            EventType.InvocationCompleted, EventType.ExecutionSucceeded);
        Assert.Equal(H.Root1, H.One(result, EventType.WaitStarted).ParentId);
    }

    [Fact]
    public async Task Failure_writes_context_failed_and_throws_child_context_exception_live_and_on_replay()
    {
        var seen = new ConcurrentQueue<ChildContextException>();
        var bodyRuns = new Counter();
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.RunInChildContextAsync<int>((_, _) =>
                {
                    bodyRuns.Increment();
                    throw new TransientError("child broke");
                }, "fragile");
            }
            catch (ChildContextException ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(2));
            return "recovered";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("recovered", result.Result);
        Assert.Equal(1, bodyRuns.Value);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, ex =>
        {
            Assert.Equal("child broke", ex.Message);
            Assert.Equal(typeof(TransientError).FullName, ex.ErrorType);
            Assert.Equal("RunInChildContext", ex.SubType);
        });
        Assert.IsType<TransientError>(seen.First().InnerException);
        var failed = H.One(result, EventType.ContextFailed);
        Assert.Equal(H.Root1, failed.Id);
        Assert.Equal("RunInChildContext", failed.SubType);
        Assert.Equal(typeof(TransientError).FullName, failed.ContextFailedDetails!.Error!.Payload!.ErrorType);
        Assert.Equal("child broke", failed.ContextFailedDetails.Error.Payload.ErrorMessage);
    }

    [Fact]
    public async Task Failed_step_inside_a_child_is_recorded_as_step_exception_on_the_context()
    {
        var runner = ReflectionRunner.Create<int, int>((_, ctx) => ctx.RunInChildContextAsync((child, _) =>
            child.StepAsync<int>((_, _) => throw new TransientError("inner step"), "s",
                new StepConfig { RetryStrategy = RetryStrategy.None })));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(StepException).FullName,
            H.One(result, EventType.ContextFailed).ContextFailedDetails!.Error!.Payload!.ErrorType);
        Assert.Equal(typeof(StepException).FullName, result.Error!.ErrorType);
        Assert.Equal("inner step", result.Error.ErrorMessage);
        H.AssertEvents(result, EventType.ContextStarted, EventType.StepStarted, EventType.StepFailed,
            EventType.ContextFailed, EventType.InvocationCompleted, EventType.ExecutionFailed);
    }

    [Fact]
    public async Task Error_mapping_applies_live_and_on_replay()
    {
        var seen = new ConcurrentQueue<Exception>();
        var config = new ChildContextConfig
        {
            ErrorMapping = ex => new OrderRejectedException("mapped: " + ex.Message, ex),
        };
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.RunInChildContextAsync<int>((_, _) => throw new InvalidOperationException("raw"), "m", config);
            }
            catch (Exception ex)
            {
                seen.Enqueue(ex);
            }

            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return "ok";
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("ok", result.Result);
        Assert.Equal(2, seen.Count);
        Assert.All(seen, ex =>
        {
            var mapped = Assert.IsType<OrderRejectedException>(ex);
            Assert.Equal("mapped: raw", mapped.Message);
            var child = Assert.IsType<ChildContextException>(mapped.InnerException);
            Assert.Equal("System.InvalidOperationException", child.ErrorType);
        });
        Assert.Equal("System.InvalidOperationException",
            H.One(result, EventType.ContextFailed).ContextFailedDetails!.Error!.Payload!.ErrorType);
    }

    [Fact]
    public async Task Custom_sub_type_is_written_and_reported()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.RunInChildContextAsync<int>((_, _) => throw new TransientError("x"), "typed",
                    new ChildContextConfig { SubType = "Saga" });
                return "";
            }
            catch (ChildContextException ex)
            {
                return ex.SubType!;
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal("Saga", result.Result);
        Assert.Equal("Saga", H.One(result, EventType.ContextStarted).SubType);
        Assert.Equal("Saga", H.One(result, EventType.ContextFailed).SubType);
    }

    [Fact]
    public async Task Flat_child_has_no_record_and_its_children_report_the_enclosing_parent()
    {
        var flat = new ChildContextConfig { NestingType = NestingType.Flat };
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var atRoot = await ctx.RunInChildContextAsync((c, _) =>
                c.StepAsync((_, _) => Task.FromResult(1), "flat-root-step"), "flat-root", flat);
            var nested = await ctx.RunInChildContextAsync((outer, _) =>
                outer.RunInChildContextAsync((c, _) =>
                    c.StepAsync((_, _) => Task.FromResult(2), "flat-inner-step"), "flat-inner", flat), "outer");
            return atRoot + nested;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(3, result.Result);
        Assert.Null(result.FindOperation("flat-root"));
        Assert.Null(result.FindOperation("flat-inner"));
        var rootStep = result.GetStep("flat-root-step");
        Assert.Null(rootStep.ParentId);
        Assert.Equal(H.ChildId(H.Root1, 1), rootStep.Id);
        var outer = result.FindOperation("outer")!;
        Assert.Equal(H.Root2, outer.Id);
        var innerStep = result.GetStep("flat-inner-step");
        Assert.Equal(outer.Id, innerStep.ParentId);
        Assert.Equal(H.ChildId(H.ChildId(H.Root2, 1), 1), innerStep.Id);
        Assert.Single(H.Of(result, EventType.ContextStarted));
    }

    [Fact]
    public async Task Flat_child_failure_still_throws_child_context_exception_without_a_context_record()
    {
        var runner = ReflectionRunner.Create<int, string>(async (_, ctx) =>
        {
            try
            {
                await ctx.RunInChildContextAsync<int>((_, _) => throw new TransientError("flat fail"), "f",
                    new ChildContextConfig { NestingType = NestingType.Flat });
                return "";
            }
            catch (ChildContextException ex)
            {
                return ex.ErrorType!;
            }
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(typeof(TransientError).FullName, result.Result);
        Assert.DoesNotContain(result.History, e => e.EventType is EventType.ContextStarted or EventType.ContextFailed);
    }

    [Fact]
    public async Task Result_over_256_KiB_is_checkpointed_empty_with_replay_children_and_rebuilt_on_replay()
    {
        var bodyRuns = new Counter();
        var stepRuns = new Counter();
        const int half = 140 * 1024;
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var big = await ctx.RunInChildContextAsync(async (child, _) =>
            {
                bodyRuns.Increment();
                var a = await child.StepAsync((_, _) => { stepRuns.Increment(); return Task.FromResult(new string('a', half)); }, "a");
                var b = await child.StepAsync((_, _) => { stepRuns.Increment(); return Task.FromResult(new string('b', half)); }, "b");
                return a + b;
            }, "big");
            await ctx.WaitAsync(TimeSpan.FromSeconds(1));
            return big.Length + big.Count(c => c == 'b');
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal(3 * half, result.Result);
        Assert.Equal(2, bodyRuns.Value); // re-run on replay to rebuild the value
        Assert.Equal(2, stepRuns.Value); // its steps replay from their checkpoints
        var succeeded = H.One(result, EventType.ContextSucceeded);
        Assert.Equal("", succeeded.ContextSucceededDetails!.Result?.Payload ?? "");
        var record = result.FindOperation("big")!;
        Assert.True(record.Record.ContextDetails!.ReplayChildren);
        Assert.Equal(2, record.Children.Count);
        Assert.Single(H.Of(result, EventType.ContextStarted));
    }

    [Fact]
    public async Task Result_at_256_KiB_is_still_inlined()
    {
        // 262,144 bytes serialized = 262,142 characters plus the two JSON quotes.
        var runner = ReflectionRunner.Create<int, int>(async (_, ctx) =>
        {
            var value = await ctx.RunInChildContextAsync((_, _) => Task.FromResult(new string('x', 262_142)), "edge");
            return value.Length;
        });

        var result = await runner.RunAsync(0);

        Assert.Equal(262_142, result.Result);
        var record = result.FindOperation("edge")!;
        Assert.NotEqual(true, record.Record.ContextDetails!.ReplayChildren);
        Assert.Equal(262_144, record.ResultText!.Length);
    }

    [Fact]
    public async Task Void_child_checkpoints_json_null()
    {
        var runner = ReflectionRunner.Create<int>((_, ctx) =>
            ctx.RunInChildContextAsync((c, _) => c.StepAsync((_, _) => Task.CompletedTask), "void"));

        var result = await runner.RunAsync(0);

        Assert.Equal(ExecutionStatus.Succeeded, result.Status);
        Assert.Equal("null", H.One(result, EventType.ContextSucceeded).ContextSucceededDetails!.Result!.Payload);
    }
}
