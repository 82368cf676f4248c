using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace DurableGen.Generators;

/// <summary>
/// DG1018: an executable with functions (<c>[DurableWorkflow]</c>, <c>[LambdaFunction]</c>) whose own entry point (a
/// <c>static Main</c>, or the top-level statements <c>dotnet new console</c> writes) wins over the generated one and never
/// runs the Lambda host. It builds cleanly and, under Lambda, exits without asking the Runtime API for an invocation.
/// An entry point in generated code (the generator's own, a test SDK's) is not the user's and is left alone.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EntryPointAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc />
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.HostNeverRun);

    /// <inheritdoc />
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(Start);
    }

    private static void Start(CompilationStartAnalysisContext start)
    {
        var compilation = start.Compilation;
        if (compilation.Options.OutputKind is not (OutputKind.ConsoleApplication or OutputKind.WindowsApplication))
        {
            return;
        }

        var workflowAttribute = compilation.GetTypeByMetadataName(Symbols.DurableWorkflowAttribute);
        var functionAttribute = compilation.GetTypeByMetadataName(Symbols.LambdaFunctionAttribute);

        // [assembly: DurableLambdaEntryPoint] with a Main of its own is DG1008 already.
        if (workflowAttribute is null && functionAttribute is null || AsksForGeneratedEntryPoint(compilation))
        {
            return;
        }

        var entryPoint = compilation.GetEntryPoint(start.CancellationToken);
        var location = entryPoint is null ? null : UserLocation(entryPoint, start.Options, start.CancellationToken);
        if (entryPoint is null || location is null)
        {
            return;
        }

        var functions = new ConcurrentBag<string>();
        var hostRun = 0;
        start.RegisterSymbolAction(symbolContext =>
        {
            var type = (INamedTypeSymbol)symbolContext.Symbol;
            if (type.GetAttributes().Any(a => SymbolEqualityComparer.Default.Equals(a.AttributeClass, workflowAttribute)
                                              || SymbolEqualityComparer.Default.Equals(a.AttributeClass, functionAttribute)))
            {
                functions.Add(type.Name);
            }
        }, SymbolKind.NamedType);

        // Anywhere in the program's own code counts: a Main may well start the host through a helper.
        start.RegisterOperationAction(operationContext =>
        {
            var method = operationContext.Operation switch
            {
                IInvocationOperation invocation => invocation.TargetMethod,
                IMethodReferenceOperation reference => reference.Method,
                _ => null,
            };
            if (method is not null && IsHost(method))
            {
                Interlocked.Exchange(ref hostRun, 1);
            }
        }, OperationKind.Invocation, OperationKind.MethodReference);

        start.RegisterCompilationEndAction(end =>
        {
            if (Volatile.Read(ref hostRun) == 1 || functions.IsEmpty)
            {
                return;
            }

            var names = functions.Distinct().OrderBy(n => n, System.StringComparer.Ordinal).ToList();
            var which = names.Count == 1 ? $"the function '{names[0]}'" : "the functions " + string.Join(", ", names.Select(n => $"'{n}'"));
            var what = entryPoint.Name == WellKnownMemberNames.TopLevelStatementsEntryPointMethodName
                ? "its top-level statements"
                : entryPoint.ContainingType.Name + "." + entryPoint.Name;
            end.ReportDiagnostic(Diagnostic.Create(Descriptors.HostNeverRun, location, what, which));
        });
    }

    /// <summary>The generated registry's <c>RunLambdaAsync</c> or the runtime's <c>DurableLambdaHost.RunAsync</c>.</summary>
    private static bool IsHost(IMethodSymbol method)
    {
        var type = method.ContainingType?.OriginalDefinition.ToDisplayString();
        return method.Name == "RunLambdaAsync" && type == Symbols.GeneratedRegistry
               || method.Name == "RunAsync" && type == Symbols.LambdaHost;
    }

    private static bool AsksForGeneratedEntryPoint(Compilation compilation) =>
        compilation.Assembly.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == Symbols.EntryPointAttribute
                                                      && !(a.ConstructorArguments.Length == 1 && a.ConstructorArguments[0].Value is false));

    /// <summary>
    /// Where to report on the entry point, or null when it is generated code: the first top-level statement, or the
    /// Main method's name.
    /// </summary>
    private static Location? UserLocation(IMethodSymbol entryPoint, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        var declarations = entryPoint.DeclaringSyntaxReferences.Select(r => r.GetSyntax(cancellationToken))
            .Concat(entryPoint.Locations.Where(l => l.IsInSource).Select(l => l.SourceTree!.GetRoot(cancellationToken)));
        foreach (var syntax in declarations)
        {
            if (IsGenerated(syntax.SyntaxTree, options, cancellationToken))
            {
                return null;
            }

            switch (syntax)
            {
                case CompilationUnitSyntax unit when unit.Members.OfType<GlobalStatementSyntax>().FirstOrDefault() is { } first:
                    return first.GetLocation();
                case MethodDeclarationSyntax method:
                    return method.Identifier.GetLocation();
            }
        }

        return null;
    }

    /// <summary>Roslyn's own rule for generated code: the file name, an auto-generated header, or generated_code in
    /// .editorconfig.</summary>
    private static bool IsGenerated(SyntaxTree tree, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (options.AnalyzerConfigOptionsProvider.GetOptions(tree).TryGetValue("generated_code", out var flag))
        {
            return string.Equals(flag, "true", System.StringComparison.OrdinalIgnoreCase);
        }

        var name = System.IO.Path.GetFileName(tree.FilePath);
        if (name.StartsWith("TemporaryGeneratedFile_", System.StringComparison.OrdinalIgnoreCase)
            || new[] { ".designer.cs", ".generated.cs", ".g.cs", ".g.i.cs", ".AssemblyAttributes.cs" }
                .Any(suffix => name.EndsWith(suffix, System.StringComparison.OrdinalIgnoreCase)))
        {
            return true;
        }

        foreach (var trivia in tree.GetRoot(cancellationToken).GetLeadingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) || trivia.IsKind(SyntaxKind.MultiLineCommentTrivia))
            {
                var text = trivia.ToString();
                if (text.IndexOf("<auto-generated", System.StringComparison.OrdinalIgnoreCase) >= 0
                    || text.IndexOf("<autogenerated", System.StringComparison.OrdinalIgnoreCase) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
