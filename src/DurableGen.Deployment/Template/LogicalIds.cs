using System;
using System.Collections.Generic;
using System.Text;

namespace DurableGen.Deployment;

/// <summary>CloudFormation logical ids (letters and digits) from function names: <c>order-approval</c> → <c>OrderApproval</c>.</summary>
internal static class LogicalIds
{
    /// <summary>One id per name, unique; names that differ only in punctuation get a numeric suffix in name order.</summary>
    public static IReadOnlyDictionary<string, string> For(IEnumerable<string> names)
    {
        var ids = new Dictionary<string, string>(StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var sorted = new List<string>(names);
        sorted.Sort(StringComparer.Ordinal);
        foreach (var name in sorted)
        {
            var id = Pascal(name);
            var unique = id;
            for (var n = 2; !used.Add(unique); n++)
            {
                unique = id + n;
            }

            ids[name] = unique;
        }

        return ids;
    }

    private static string Pascal(string name)
    {
        var text = new StringBuilder(name.Length);
        var upper = true;
        foreach (var c in name)
        {
            if (char.IsAsciiLetterOrDigit(c))
            {
                text.Append(upper ? char.ToUpperInvariant(c) : c);
                upper = false;
            }
            else
            {
                upper = true;
            }
        }

        return text.Length == 0 || char.IsAsciiDigit(text[0]) ? "Fn" + text : text.ToString();
    }
}
