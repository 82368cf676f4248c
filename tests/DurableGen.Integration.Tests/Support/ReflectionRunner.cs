using System;
using System.Threading.Tasks;
using DurableGen.Testing;

namespace DurableGen.Integration.Tests.Support;

/// <summary>
/// Runners for the workflows these tests write inline, over primitives and test records. Such a workflow has no
/// generated registration, so no JsonSerializerContext: the tests opt in to reflection-based JSON explicitly, for the
/// runner and for the functions registered next to it on its host. A <c>[DurableWorkflow]</c> class is tested with
/// <c>DurableTestRunner.Create(TheWorkflow.Registration)</c> instead.
/// </summary>
internal static class ReflectionRunner
{
    /// <summary>A runner for a workflow that returns a result.</summary>
    public static DurableTestRunner<TInput, TOutput> Create<TInput, TOutput>(Func<TInput, IDurableContext, Task<TOutput>> workflow,
        DurableTestRunnerOptions? options = null) => new(workflow, WithReflection(options));

    /// <summary>A runner for a workflow that returns nothing.</summary>
    public static DurableTestRunner<TInput, object?> Create<TInput>(Func<TInput, IDurableContext, Task> workflow,
        DurableTestRunnerOptions? options = null) => DurableTestRunner.Create(workflow, WithReflection(options));

    /// <summary><paramref name="host"/> (or the defaults) with reflection-based JSON unless it names a serializer.</summary>
    public static InProcessHostOptions Host(InProcessHostOptions? host = null)
    {
        host ??= new InProcessHostOptions();
        return new InProcessHostOptions
        {
            SkipTime = host.SkipTime,
            StartTime = host.StartTime,
            MaxInvocations = host.MaxInvocations,
            IdleTimeout = host.IdleTimeout,
            Logger = host.Logger,
            Serializer = host.Serializer ?? DurableTestSerializers.Reflection,
            Plugins = host.Plugins,
            Faults = host.Faults,
        };
    }

    private static DurableTestRunnerOptions WithReflection(DurableTestRunnerOptions? options) => new()
    {
        Host = Host(options?.Host),
        Serializer = options?.Serializer,
        ExecutionTimeout = options?.ExecutionTimeout,
        FunctionName = options?.FunctionName,
    };
}
