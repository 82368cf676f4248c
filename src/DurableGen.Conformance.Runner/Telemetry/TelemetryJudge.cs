using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Telemetry;

/// <summary>
/// The telemetry stage of a requirement run (otel.md §6.4), after history, result and callback checks passed: binds
/// <c>EXECUTION_ARN</c> and <c>SERVICE_NAME</c> next to the history's placeholders (a name already bound to another
/// value is an error), substitutes the assertions, assembles the execution's trace from the captured spans and
/// validates it. Every error is prefixed <c>OpenTelemetry: </c>.
/// </summary>
public static class TelemetryJudge
{
    /// <summary>The prefix of every telemetry error.</summary>
    public const string Prefix = "OpenTelemetry: ";

    /// <summary>Judges <paramref name="spans"/> against <paramref name="assertions"/>; an empty list means they conform.</summary>
    /// <param name="assertions">The view's raw <c>TelemetryAssertions</c> mapping.</param>
    /// <param name="context">The run's placeholder context (Variables and the history's bindings).</param>
    /// <param name="executionArn">The execution's ARN.</param>
    /// <param name="serviceName">The resource <c>service.name</c> the spans were captured with.</param>
    /// <param name="spans">Every captured span.</param>
    public static List<string> Judge(JsonObject assertions, PlaceholderContext context, string executionArn,
        string serviceName, IEnumerable<CapturedSpan> spans)
    {
        var errors = new List<string>();
        Bind(context, "EXECUTION_ARN", executionArn, errors);
        Bind(context, "SERVICE_NAME", serviceName, errors);
        if (errors.Count > 0)
        {
            return errors;
        }

        var substituted = (JsonObject)context.Substitute(assertions)!;
        var allowed = TelemetryValidator.AllowedArns(substituted["allowed_execution_arns"]);
        var captured = spans.ToList();
        var trace = TraceAssembler.Assemble(captured, executionArn, allowed);
        if (trace is null)
        {
            return [$"{Prefix}no captured span carries durable.execution.arn = {executionArn} ({captured.Count} span(s) captured)"];
        }

        return TelemetryValidator.Validate(trace, substituted, executionArn).Select(e => Prefix + e).ToList();
    }

    private static void Bind(PlaceholderContext context, string name, string value, List<string> errors)
    {
        if (context.TryGet(name, out var bound) && Py.Str(bound) != value)
        {
            errors.Add($"{Prefix}the placeholder ${{{name}}} is already bound to {Py.Repr(bound)}; it cannot be rebound to {Py.Repr(JsonValue.Create(value))}");
            return;
        }

        context.Bind(name, JsonValue.Create(value));
    }
}
