using System;
using System.Collections.Generic;
using System.Linq;

namespace DurableGen.Architecture.Tests;

/// <summary>A broken rule: which rule, which type (or file) breaks it, and the reference that breaks it.</summary>
internal sealed record Violation(string Rule, string Type, string Reference)
{
    public override string ToString() => $"[{Rule}] {Type} -> {Reference}";
}

/// <summary>A dependency rule of design.md §2, checked on assembly metadata.</summary>
internal abstract class DependencyRule(string name)
{
    /// <summary>The rule as design.md §2 states it; every violation message starts with it.</summary>
    public string Name { get; } = name;

    public abstract IEnumerable<Violation> Check(IReadOnlyDictionary<string, AssemblyFacts> assemblies);

    /// <summary>Ours: the repository's assemblies, all named DurableGen or DurableGen.*.</summary>
    protected static bool IsOurs(string assembly) =>
        assembly == "DurableGen" || assembly.StartsWith("DurableGen.", StringComparison.Ordinal);

    protected static bool InNamespace(string ns, string root) =>
        ns == root || ns.StartsWith(root + ".", StringComparison.Ordinal);
}

/// <summary>
/// Which of our assemblies an assembly may use: every type that names a type of a disallowed assembly of ours is a
/// violation, and so is a bare assembly reference no type explains.
/// </summary>
internal sealed class AssemblyReferenceRule(string name, IReadOnlyList<string> owners, Func<string, bool> allowed)
    : DependencyRule(name)
{
    /// <summary><paramref name="owner"/> uses no assembly of ours but <paramref name="allowed"/>.</summary>
    public static AssemblyReferenceRule Only(string name, string owner, params string[] allowed) =>
        new(name, [owner], a => allowed.Contains(a));

    /// <summary>None of <paramref name="owners"/> uses <paramref name="forbidden"/>.</summary>
    public static AssemblyReferenceRule Never(string name, IReadOnlyList<string> owners, string forbidden) =>
        new(name, owners, a => a != forbidden);

    public override IEnumerable<Violation> Check(IReadOnlyDictionary<string, AssemblyFacts> assemblies)
    {
        foreach (var owner in owners)
        {
            if (!assemblies.TryGetValue(owner, out var facts))
            {
                continue;
            }

            bool Breaks(string assembly) => assembly != owner && IsOurs(assembly) && !allowed(assembly);
            var used = new HashSet<string>();
            foreach (var use in facts.Uses.Where(u => Breaks(u.Used.Assembly)))
            {
                used.Add(use.Used.Assembly);
                yield return new Violation(Name, use.User.FullName, use.Used.ToString());
            }

            foreach (var reference in facts.References.Where(r => Breaks(r) && !used.Contains(r)))
            {
                yield return new Violation(Name, "assembly " + owner, "assembly reference " + reference);
            }
        }
    }
}

/// <summary>
/// Which namespaces of <paramref name="target"/> the types of some namespaces of <paramref name="owner"/> may use:
/// a type in a namespace <paramref name="scope"/> accepts that names a DurableGen.* type of <paramref name="target"/>
/// outside <paramref name="allowed"/> is a violation.
/// </summary>
internal sealed class NamespaceUseRule(string name, string owner, Func<string, bool> scope, string target,
    Func<string, bool> allowed) : DependencyRule(name)
{
    /// <summary>Types of <paramref name="owner"/> in <paramref name="ns"/> (minus <paramref name="except"/>) use only
    /// the <paramref name="allowedNamespace"/> types of <paramref name="target"/>.</summary>
    public static NamespaceUseRule Only(string name, string owner, string ns, string? except, string target,
        string allowedNamespace) =>
        new(name, owner, n => InNamespace(n, ns) && (except is null || !InNamespace(n, except)), target,
            n => InNamespace(n, allowedNamespace));

    public override IEnumerable<Violation> Check(IReadOnlyDictionary<string, AssemblyFacts> assemblies)
    {
        if (!assemblies.TryGetValue(owner, out var facts))
        {
            return [];
        }

        return facts.Uses
            .Where(u => scope(u.User.Namespace)
                        && u.Used.Assembly == target
                        && InNamespace(u.Used.Namespace, "DurableGen")
                        && !allowed(u.Used.Namespace))
            .Select(u => new Violation(Name, u.User.FullName, u.Used.ToString()));
    }
}
