using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Conformance.Handlers;

/// <summary>A handler class found by reflection, with its input and output types.</summary>
public sealed class HandlerEntry
{
    internal HandlerEntry(Type type, Type input, Type output, int executionTimeoutSeconds)
    {
        Type = type;
        InputType = input;
        OutputType = output;
        ExecutionTimeoutSeconds = executionTimeoutSeconds;
    }

    /// <summary>The handler class.</summary>
    public Type Type { get; }

    /// <summary>TInput.</summary>
    public Type InputType { get; }

    /// <summary>TOutput.</summary>
    public Type OutputType { get; }

    /// <summary>The execution timeout its executions start with (<see cref="ConformanceAttribute.ExecutionTimeoutSeconds"/>;
    /// 300 s for a target).</summary>
    public int ExecutionTimeoutSeconds { get; }

    internal IHostedFunction CreateFunction() =>
        (IHostedFunction)Activator.CreateInstance(typeof(CaseFunction<,>).MakeGenericType(InputType, OutputType), Type)!;
}

/// <summary>
/// The handlers, targets and declared gaps found in the handler assemblies: <c>[Conformance(ids)]</c> classes,
/// <c>[ConformanceTarget(name)]</c> classes and <c>[assembly: ConformanceNotImplemented(id, reason)]</c> (the first
/// reason wins, as in the Python runner).
/// </summary>
public sealed class HandlerCatalog
{
    private readonly Dictionary<string, HandlerEntry> _handlers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HandlerEntry> _targets = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _notImplemented = new(StringComparer.Ordinal);
    private readonly List<string> _warnings = new();

    /// <summary>Handlers by requirement id.</summary>
    public IReadOnlyDictionary<string, HandlerEntry> Handlers => _handlers;

    /// <summary>Targets by name.</summary>
    public IReadOnlyDictionary<string, HandlerEntry> Targets => _targets;

    /// <summary>Declared gaps: id → reason.</summary>
    public IReadOnlyDictionary<string, string> NotImplemented => _notImplemented;

    /// <summary>Problems found while scanning (duplicate ids, bad handler classes).</summary>
    public IReadOnlyList<string> Warnings => _warnings;

    /// <summary>The assemblies that were scanned.</summary>
    public IReadOnlyList<Assembly> Assemblies { get; private set; } = Array.Empty<Assembly>();

    /// <summary>Loads assemblies by path and scans them.</summary>
    public static HandlerCatalog FromPaths(IEnumerable<string> paths) =>
        FromAssemblies(paths.Select(p => Assembly.LoadFrom(Path.GetFullPath(p))));

    /// <summary>Scans <paramref name="assemblies"/>.</summary>
    public static HandlerCatalog FromAssemblies(IEnumerable<Assembly> assemblies)
    {
        var catalog = new HandlerCatalog();
        var list = assemblies.Distinct().ToList();
        catalog.Assemblies = list;
        foreach (var assembly in list)
        {
            foreach (var gap in assembly.GetCustomAttributes<ConformanceNotImplementedAttribute>())
            {
                catalog._notImplemented.TryAdd(gap.Id, gap.Reason);
            }

            Type[] types;
            try
            {
                types = assembly.GetTypes();
            }
            catch (ReflectionTypeLoadException ex)
            {
                types = ex.Types.Where(t => t is not null).ToArray()!;
                catalog._warnings.Add($"{assembly.GetName().Name}: some types could not be loaded: {ex.LoaderExceptions.FirstOrDefault()?.Message}");
            }

            foreach (var type in types.OrderBy(t => t.FullName, StringComparer.Ordinal))
            {
                var conformance = type.GetCustomAttribute<ConformanceAttribute>();
                var target = type.GetCustomAttribute<ConformanceTargetAttribute>();
                if (conformance is null && target is null)
                {
                    continue;
                }

                var entry = catalog.Describe(type);
                if (entry is null)
                {
                    continue;
                }

                foreach (var id in conformance?.Ids ?? Array.Empty<string>())
                {
                    if (!catalog._handlers.TryAdd(id, entry))
                    {
                        catalog._warnings.Add($"Requirement {id} has two handlers ({catalog._handlers[id].Type.FullName} and {type.FullName}); the first is used.");
                    }
                }

                if (target is not null && !catalog._targets.TryAdd(target.Name, entry))
                {
                    catalog._warnings.Add($"Target '{target.Name}' is declared twice; the first is used.");
                }
            }
        }

        return catalog;
    }

    private HandlerEntry? Describe(Type type)
    {
        var contract = type.GetInterfaces().FirstOrDefault(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IConformanceCase<,>));
        if (contract is null || type.IsAbstract || type.ContainsGenericParameters || type.GetConstructor(Type.EmptyTypes) is null)
        {
            _warnings.Add($"{type.FullName} is marked as a conformance handler but is not a concrete IConformanceCase<TInput, TOutput> with a public parameterless constructor.");
            return null;
        }

        var args = contract.GetGenericArguments();
        return new HandlerEntry(type, args[0], args[1],
            type.GetCustomAttribute<ConformanceAttribute>()?.ExecutionTimeoutSeconds ?? new ConformanceAttribute().ExecutionTimeoutSeconds);
    }
}

/// <summary>A registered function the invoker can run for one invocation.</summary>
internal interface IHostedFunction
{
    Task<DurableExecutionInvocationOutput> InvokeAsync(DurableExecutionInvocationInput input, ILambdaContext lambda,
        IDurableServiceClient client, DurableExecutionOptions options, IConformanceEnv env);
}

/// <summary>Adapts one handler class to <see cref="DurableFunction.WrapAsync{TInput,TOutput}"/>; a fresh handler instance
/// per invocation, as a cold Lambda start would give.</summary>
internal sealed class CaseFunction<TInput, TOutput>(Type type) : IHostedFunction
{
    public Task<DurableExecutionInvocationOutput> InvokeAsync(DurableExecutionInvocationInput input, ILambdaContext lambda,
        IDurableServiceClient client, DurableExecutionOptions options, IConformanceEnv env)
    {
        var handler = (IConformanceCase<TInput, TOutput>)Activator.CreateInstance(type)!;
        if (handler is IConformancePlugins withPlugins)
        {
            options = new DurableExecutionOptions
            {
                Serializer = options.Serializer, Logger = options.Logger, TimeProvider = options.TimeProvider,
                Plugins = withPlugins.CreatePlugins(env),
            };
        }

        return DurableFunction.WrapAsync<TInput, TOutput>((value, context) => handler.RunAsync(value, context, env), input,
            lambda, client, options);
    }
}
