using System;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

/// <summary>
/// Lambda's function-name grammar: parses function references (name, <c>name:qualifier</c>, partial ARN, full ARN),
/// validates identifiers and builds function ARNs. Public because the HTTP host's Invoke and Runtime APIs take function
/// names too, and the engine is the one home of the grammar (no host keeps its own copy).
/// </summary>
public static class FunctionNames
{
    internal const int MaxDurationSeconds = 31_622_400;

    /// <summary>Splits a function reference into the unqualified name and an optional qualifier.</summary>
    public static (string Name, string? Qualifier) Parse(string? functionName)
    {
        if (string.IsNullOrEmpty(functionName) || functionName.Length > 256)
        {
            throw DurableServiceException.InvalidParameter("FunctionName must be 1-256 characters.");
        }

        var parts = functionName.Split(':');
        string name;
        string? qualifier = null;
        if (parts[0] == "arn")
        {
            if (parts.Length is not (7 or 8) || parts[2] != "lambda" || parts[5] != "function")
            {
                throw DurableServiceException.InvalidParameter($"Invalid function ARN: {functionName}");
            }

            name = parts[6];
            qualifier = parts.Length == 8 ? parts[7] : null;
        }
        else if (parts.Length >= 3 && parts[1] == "function")
        {
            if (parts.Length > 4)
            {
                throw DurableServiceException.InvalidParameter($"Invalid function name: {functionName}");
            }

            name = parts[2];
            qualifier = parts.Length == 4 ? parts[3] : null;
        }
        else if (parts.Length <= 2)
        {
            name = parts[0];
            qualifier = parts.Length == 2 ? parts[1] : null;
        }
        else
        {
            throw DurableServiceException.InvalidParameter($"Invalid function name: {functionName}");
        }

        if (!IsIdentifier(name, 64))
        {
            throw DurableServiceException.InvalidParameter($"Invalid function name: {functionName}");
        }

        if (qualifier is not null)
        {
            ValidateQualifier(qualifier);
        }

        return (name, qualifier);
    }

    /// <summary>Checks a qualifier's syntax: a version (<see cref="ValidateVersion"/>) or an alias name.</summary>
    internal static void ValidateQualifier(string qualifier)
    {
        if (!IsAlias(qualifier))
        {
            ValidateVersion(qualifier);
        }
    }

    /// <summary>Whether <paramref name="qualifier"/> is an alias name: 1–128 of <c>[a-zA-Z0-9-_]</c>, not all digits.</summary>
    public static bool IsAlias(string qualifier)
    {
        if (!IsIdentifier(qualifier, 128))
        {
            return false;
        }

        foreach (var c in qualifier)
        {
            if (c is < '0' or > '9')
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Checks a version qualifier against <c>$LATEST(.PUBLISHED)?|[0-9]+</c>.</summary>
    internal static void ValidateVersion(string qualifier)
    {
        if (qualifier is "$LATEST" or "$LATEST.PUBLISHED")
        {
            return;
        }

        if (qualifier.Length is 0 or > 1024)
        {
            throw DurableServiceException.InvalidParameter($"Invalid qualifier: {qualifier}");
        }

        foreach (var c in qualifier)
        {
            if (c is < '0' or > '9')
            {
                throw DurableServiceException.InvalidParameter(
                    $"Invalid qualifier: {qualifier} (expected $LATEST, $LATEST.PUBLISHED or a version number).");
            }
        }
    }

    /// <summary>1–<paramref name="maxLength"/> characters of <c>[a-zA-Z0-9-_]</c>.</summary>
    public static bool IsIdentifier(string? value, int maxLength)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (!(c is >= 'a' and <= 'z' or >= 'A' and <= 'Z' or >= '0' and <= '9' or '-' or '_'))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>1–<paramref name="maxLength"/> characters in the range <paramref name="low"/>…0x7E.</summary>
    internal static bool IsPrintableAscii(string? value, int maxLength, char low)
    {
        if (string.IsNullOrEmpty(value) || value.Length > maxLength)
        {
            return false;
        }

        foreach (var c in value)
        {
            if (c < low || c > '\x7E')
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The ARN of a function version.</summary>
    public static string FunctionArn(EngineOptions options, string name, string version) =>
        $"arn:{options.Partition}:lambda:{options.Region}:{options.AccountId}:function:{name}:{version}";

    /// <summary>The UPPER_SNAKE wire spelling of an enum member name (for messages).</summary>
    internal static string WireName(string pascal)
    {
        var builder = new System.Text.StringBuilder(pascal.Length + 4);
        for (var i = 0; i < pascal.Length; i++)
        {
            if (i > 0 && char.IsUpper(pascal[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(pascal[i]));
        }

        return builder.ToString();
    }
}
