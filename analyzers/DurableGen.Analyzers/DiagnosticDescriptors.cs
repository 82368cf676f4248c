using Microsoft.CodeAnalysis;

namespace DurableGen.Analyzers;

/// <summary>Every DG2xxx rule in one place. Ids, titles and severities here are the contract of AnalyzerReleases.*.md and docs/diagnostics.</summary>
internal static class DiagnosticDescriptors
{
    /// <summary>Where each rule's page lives; the page is docs/diagnostics/&lt;id&gt;.md in the repository.</summary>
    public const string HelpLinkBase = "https://github.com/durablegen/durablegen/blob/main/docs/diagnostics/";

    private const string Determinism = "DurableGen.Determinism";
    private const string Structure = "DurableGen.Structure";
    private const string Callbacks = "DurableGen.Callbacks";

    // Determinism: workflow code re-runs on every invocation; these read something that differs between runs.

    public static readonly DiagnosticDescriptor WallClock = Create("DG2001",
        "Clock or timer read in workflow code",
        "'{0}' reads the clock outside a step, so every replay sees a different value ({1}); read it inside StepAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor Randomness = Create("DG2002",
        "Random value or new id in workflow code",
        "'{0}' produces a new random value on every replay ({1}); create it inside StepAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InputOutput = Create("DG2003",
        "I/O in workflow code",
        "'{0}' does I/O outside a step, so it runs again on every replay ({1}); move it into StepAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor EnvironmentRead = Create("DG2004",
        "Environment or machine read in workflow code",
        "'{0}' reads the environment of the current invocation, which can differ on replay ({1}); read it inside StepAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor Sleep = Create("DG2005",
        "Task.Delay or Thread.Sleep in workflow code",
        "'{0}' holds the Lambda invocation and is repeated on every replay ({1}); use IDurableContext.WaitAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor Threading = Create("DG2006",
        "Threading API in workflow code",
        "'{0}' starts work the replay engine does not track ({1}); use StepAsync, ParallelAsync or MapAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor ConsoleOutput = Create("DG2007",
        "Console used in workflow code",
        "'{0}' writes again on every replay ({1}); log through IDurableContext.Logger, which is silent while replaying",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor StaticState = Create("DG2030",
        "Static state changed in workflow code",
        "'{0}' changes static state outside a step ({1}); other invocations and sandboxes neither share nor restore it, so replays diverge: keep the state in the workflow's variables or return it from StepAsync",
        Determinism, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor InjectedLogger = Create("DG2031",
        "Injected logger used in workflow code",
        "'{0}' logs through an injected logger outside a step, so it logs again on every replay ({1}); log through IDurableContext.Logger, which is silent while replaying, or inside StepAsync",
        Determinism, DiagnosticSeverity.Warning);

    // Structure: how durable operations are composed.

    public static readonly DiagnosticDescriptor NestedOperation = Create("DG2010",
        "Durable operation inside a step body",
        "'{0}' runs a durable operation on the outer context '{1}' inside a step body; steps cannot contain durable operations, use RunInChildContextAsync",
        Structure, DiagnosticSeverity.Error);

    public static readonly DiagnosticDescriptor CapturedMutation = Create("DG2011",
        "Captured variable mutated inside a durable-operation delegate",
        "'{0}' is assigned inside the delegate of '{1}'; on replay the delegate does not run and '{0}' keeps its old value, return the value from the operation instead",
        Structure, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor WhenAllOverDurableTasks = Create("DG2012",
        "Task.WhenAll or Task.WhenAny over durable operations",
        "'{0}' combines durable operations outside the replay engine's control; use IDurableContext.ParallelAsync",
        Structure, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor UnawaitedOperation = Create("DG2013",
        "Durable operation not awaited",
        "The task of '{0}' is {1}; await every durable operation so its result, failure or suspension reaches the workflow",
        Structure, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CancellationBranch = Create("DG2014",
        "Workflow logic branches on IsCancellationRequested",
        "'{0}' is true only while an invocation shuts down, so branching on it makes this run differ from its replays ({1}); pass the token on instead",
        Structure, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CancellationSwallowed = Create("DG2015",
        "OperationCanceledException swallowed in workflow code",
        "This catch of '{0}' swallows the cancellation the engine uses to end a suspended invocation ({1}); rethrow it",
        Structure, DiagnosticSeverity.Warning);

    // Callbacks.

    public static readonly DiagnosticDescriptor CallbackIdHandOff = Create("DG2020",
        "Callback id handed out outside a step",
        "'{0}' hands callback id '{1}' to the outside world outside a step, so every replay hands it out again ({2}); do it inside StepAsync or use WaitForCallbackAsync",
        Callbacks, DiagnosticSeverity.Warning);

    public static readonly DiagnosticDescriptor CallbackWithoutTimeout = Create("DG2021",
        "Callback without timeout or heartbeat timeout",
        "'{0}' sets neither Timeout nor HeartbeatTimeout, so the workflow can wait for it until the execution times out (up to a year)",
        Callbacks, DiagnosticSeverity.Warning);

    private static DiagnosticDescriptor Create(string id, string title, string message, string category,
        DiagnosticSeverity severity) =>
        new(id, title, message, category, severity, isEnabledByDefault: true,
            description: null, helpLinkUri: HelpLinkBase + id + ".md");
}
