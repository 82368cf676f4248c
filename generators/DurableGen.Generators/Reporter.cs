using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;

namespace DurableGen.Generators;

/// <summary>
/// Reports the generator's diagnostics from steps of their own, apart from the steps that write files (as the
/// System.Text.Json generator does): diagnostics carry source positions, generated files do not, so an edit that only
/// moves code re-runs these steps, with the new positions, and leaves every generated file cached.
/// </summary>
internal static class Reporter
{
    /// <summary>
    /// What parsing found about one attributed class, and DG1012 when it names no serializer context while the assembly
    /// declares several (at <paramref name="contextLocation"/>, the attribute; a callback's has none).
    /// </summary>
    public static void ReportClass<TModel>(SourceProductionContext context, Parsed<TModel> parsed, string? explicitContext,
        string typeName, LocationInfo? contextLocation, EquatableArray<string> contexts)
    {
        foreach (var diagnostic in parsed.Diagnostics)
        {
            context.ReportDiagnostic(diagnostic.ToDiagnostic());
        }

        if (explicitContext is null && contexts.Count > 1)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.BadContext, contextLocation?.ToLocation() ?? Location.None,
                $"'{typeName}' does not say which JsonSerializerContext to use and the assembly declares several ({string.Join(", ", contexts.Select(c => c.Replace("global::", "")))}); set JsonContext = typeof(...) on its attribute"));
        }
    }

    /// <summary>DG1006 for a function name used twice, and DG1008 for a requested entry point next to the user's Main.</summary>
    public static void ReportAssembly(SourceProductionContext context, ImmutableArray<Parsed<WorkflowModel>> workflows,
        ImmutableArray<Parsed<FunctionModel>> functions, CompilationModel compilation, bool hasUserMain)
    {
        if (workflows.IsDefaultOrEmpty && functions.IsDefaultOrEmpty)
        {
            return;
        }

        // Workflows first, each kind in class-name order, as the registry lists them.
        var ordered = workflows.Select(w => (w.Model.FunctionName, w.Model.Target.FullName, w.AttributeLocation))
            .OrderBy(w => w.FullName, System.StringComparer.Ordinal)
            .Concat(functions.Select(f => (f.Model.FunctionName, f.Model.Target.FullName, f.AttributeLocation))
                .OrderBy(f => f.FullName, System.StringComparer.Ordinal))
            .ToList();
        var seen = new Dictionary<string, string>(System.StringComparer.Ordinal);
        foreach (var (name, type, location) in ordered)
        {
            if (seen.TryGetValue(name, out var first))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.DuplicateFunctionName,
                    location?.ToLocation() ?? Location.None, name, first, type));
            }
            else
            {
                seen.Add(name, type);
            }
        }

        if (compilation.EntryPointMode == 1 && hasUserMain)
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.SecondMain, ordered[0].AttributeLocation?.ToLocation() ?? Location.None));
        }
    }
}
