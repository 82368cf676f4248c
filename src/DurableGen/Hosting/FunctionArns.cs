using System;
using System.Collections.Generic;
using System.Text;
using System.Text.Json;

namespace DurableGen;

/// <summary>
/// Where the functions a function invokes are deployed. A workflow names its targets as the code knows them
/// (<c>"order-approver"</c>); deployed, each target is a published alias (durable functions must be invoked through a
/// qualified ARN, and invoking <c>$LATEST</c> would skip the alias's version). The generated template hands each
/// function the ARNs of its targets in <see cref="Variable"/>, a JSON object of name → qualified ARN, and chained invokes
/// and <c>DurableExecutionClient.InvokeAsync</c> send the ARN for a bare name found there. Names that are already
/// qualified or ARNs, and names not in the map, are sent as written.
/// </summary>
public static class FunctionArns
{
    /// <summary>The environment variable holding the JSON object of function name → qualified ARN.</summary>
    public const string Variable = "DURABLEGEN_FUNCTION_ARNS";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> FromEnvironment =
        new(() => Parse(Environment.GetEnvironmentVariable(Variable)));

    /// <summary>This process's map, read from <see cref="Variable"/> once.</summary>
    internal static IReadOnlyDictionary<string, string> Process => FromEnvironment.Value;

    /// <summary>The qualified ARN of <paramref name="functionName"/> in <paramref name="arns"/>, or
    /// <paramref name="functionName"/> itself when it is qualified, an ARN, or not in the map.</summary>
    public static string Resolve(string functionName, IReadOnlyDictionary<string, string> arns)
    {
        ArgumentNullException.ThrowIfNull(functionName);
        ArgumentNullException.ThrowIfNull(arns);
        return functionName.Contains(':', StringComparison.Ordinal) || !arns.TryGetValue(functionName, out var arn)
            ? functionName
            : arn;
    }

    /// <summary>Reads the variable's JSON object; empty for null or empty text.</summary>
    /// <exception cref="FormatException">The text is not a JSON object of strings.</exception>
    public static IReadOnlyDictionary<string, string> Parse(string? json)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(json))
        {
            return map;
        }

        try
        {
            var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(json));
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                throw new FormatException($"{Variable} must be a JSON object of function name to ARN.");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = reader.GetString()!;
                if (!reader.Read() || reader.TokenType != JsonTokenType.String)
                {
                    throw new FormatException($"{Variable}: the value of '{name}' must be a string (an ARN).");
                }

                map[name] = reader.GetString()!;
            }

            return map;
        }
        catch (JsonException ex)
        {
            throw new FormatException($"{Variable} is not valid JSON: {ex.Message}", ex);
        }
    }
}
