using System;
using System.Threading.Tasks;
using DurableGen.Testing;
using Xunit;

namespace DurableGen.Integration.Tests.TestRunner;

/// <summary>
/// No silent reflection fallback: a runner or a host registration with no serializer (none given, none on the host,
/// none registered as the default) throws and says what to pass. Nothing in this test assembly registers a default.
/// </summary>
public sealed class RunnerSerializerTests
{
    [Fact]
    public void A_runner_without_a_serializer_throws_and_says_what_to_pass()
    {
        Assert.Null(DurableSerialization.Default);

        var ex = Assert.Throws<InvalidOperationException>(() => new DurableTestRunner<int, int>((x, _) => Task.FromResult(x)));

        Assert.Contains("No serializer for 'workflow'", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DurableTestRunner.Create(MyWorkflow.Registration)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DurableSerialization.Register(MyJsonContext.Default)", ex.Message, StringComparison.Ordinal);
        Assert.Contains("DurableTestSerializers.Reflection", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_void_runner_without_a_serializer_throws_too()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => DurableTestRunner.Create<int>((_, _) => Task.CompletedTask,
            new DurableTestRunnerOptions { FunctionName = "audit" }));

        Assert.Contains("No serializer for 'audit'", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Functions_written_in_the_test_need_a_serializer_on_the_host_too()
    {
        var host = new InProcessHost();

        Assert.Throws<InvalidOperationException>(() => host.RegisterDurableFunction<int, int>("twice", (x, _) => Task.FromResult(2 * x)));
        Assert.Throws<InvalidOperationException>(() => host.RegisterFunction<int, int>("inc", (x, _) => Task.FromResult(x + 1)));
    }

    [Fact]
    public async Task The_host_serializer_or_the_explicit_reflection_opt_in_is_enough()
    {
        var runner = new DurableTestRunner<int, int>((x, _) => Task.FromResult(x + 1), new DurableTestRunnerOptions
        {
            Host = new InProcessHostOptions { Serializer = DurableTestSerializers.Reflection },
        });
        runner.Host.RegisterFunction<int, int>("inc", (x, _) => Task.FromResult(x + 1));

        Assert.Equal(2, (await runner.RunAsync(1)).EnsureSucceeded().Result);
    }
}
