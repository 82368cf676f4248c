using System.Collections.Generic;
using System.Text.Json.Nodes;

namespace DurableGen.Conformance.Validation;

/// <summary>
/// <c>ExpectedResult</c> against a <c>GetDurableExecution</c> response: <c>ExecutionStatus</c> first (a mismatch is
/// reported alone); nothing more unless the actual status is <c>SUCCEEDED</c>; then, only when the key <c>Result</c>
/// exists (even null), the returned result text is decoded with exactly one JSON parse (raw text on failure, None
/// when absent) and compared with Python <c>==</c> to the substituted expectation. Errors are never compared.
/// </summary>
public static class ResultValidator
{
    /// <summary>Returns the errors (empty: passed).</summary>
    public static List<string> Validate(JsonObject expected, JsonObject execution, PlaceholderContext context)
    {
        var errors = new List<string>();
        var actualStatus = Py.AsString(execution["Status"]);
        if (expected.TryGetPropertyValue("ExecutionStatus", out var status) && status is not null)
        {
            var wanted = Py.Str(context.Substitute(status));
            if (wanted != actualStatus)
            {
                errors.Add($"ExecutionStatus mismatch: expected {Py.Repr(JsonValue.Create(wanted))}, got {Py.Repr(execution["Status"])}");
                return errors;
            }
        }

        if (actualStatus != "SUCCEEDED" || !expected.TryGetPropertyValue("Result", out var expectedResult))
        {
            return errors;
        }

        var actual = Py.LoadsOrRaw(Py.AsString(execution["Result"]));
        var want = context.Substitute(expectedResult);
        if (!Py.Equal(want, actual))
        {
            errors.Add($"Result mismatch: expected {Py.Repr(want)}, got {Py.Repr(actual)}");
        }

        return errors;
    }
}
