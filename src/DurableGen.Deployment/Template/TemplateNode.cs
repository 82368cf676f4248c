using System.Collections.Generic;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace DurableGen.Deployment;

/// <summary>
/// The YAML the template writer emits: block mappings in insertion order, block sequences and scalars, written the
/// same way every time (two-space indent, a scalar plain only when no YAML reader could take it for anything but that
/// string). A template written twice from the same manifest is byte for byte the same.
/// </summary>
internal abstract partial class TemplateNode
{
    public override string ToString()
    {
        var text = new StringBuilder();
        if (this is TemplateMap map)
        {
            map.WriteBlock(text, 0);
        }
        else
        {
            text.Append(Inline()).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>The node on the line of its key or dash, or null when it needs lines of its own.</summary>
    protected internal abstract string? Inline();

    protected internal abstract void WriteBlock(StringBuilder text, int indent);

    public static TemplateNode From(string value) => new TemplateScalar(value, plain: false);

    public static TemplateNode From(int value) => new TemplateScalar(value.ToString(CultureInfo.InvariantCulture), plain: true);

    [GeneratedRegex(@"^[A-Za-z_/$][A-Za-z0-9_./:$@{}*\-]*$", RegexOptions.CultureInvariant)]
    protected static partial Regex PlainSafe();
}

/// <summary>A mapping; keys keep the order they were added in.</summary>
internal sealed class TemplateMap : TemplateNode
{
    private readonly List<KeyValuePair<string, TemplateNode>> _entries = new();

    public int Count => _entries.Count;

    public TemplateMap Add(string key, TemplateNode value)
    {
        _entries.Add(new(key, value));
        return this;
    }

    public TemplateMap Add(string key, string value) => Add(key, From(value));

    public TemplateMap Add(string key, int value) => Add(key, From(value));

    protected internal override string? Inline() => _entries.Count == 0 ? "{}" : null;

    protected internal override void WriteBlock(StringBuilder text, int indent) => Write(text, indent, firstLineWritten: false);

    /// <summary>Writes the entries at <paramref name="indent"/>; the first one goes on the current line after a dash.</summary>
    internal void Write(StringBuilder text, int indent, bool firstLineWritten)
    {
        var first = true;
        foreach (var (key, value) in _entries)
        {
            if (!(first && firstLineWritten))
            {
                text.Append(' ', indent);
            }

            first = false;
            text.Append(TemplateScalar.Quote(key)).Append(':');
            if (value.Inline() is { } inline)
            {
                text.Append(' ').Append(inline).Append('\n');
            }
            else
            {
                text.Append('\n');
                value.WriteBlock(text, indent + 2);
            }
        }
    }
}

/// <summary>A sequence.</summary>
internal sealed class TemplateList : TemplateNode
{
    private readonly List<TemplateNode> _items = new();

    public TemplateList(params TemplateNode[] items) => _items.AddRange(items);

    public int Count => _items.Count;

    public TemplateList Add(TemplateNode item)
    {
        _items.Add(item);
        return this;
    }

    public TemplateList Add(string item) => Add(From(item));

    protected internal override string? Inline() => _items.Count == 0 ? "[]" : null;

    protected internal override void WriteBlock(StringBuilder text, int indent)
    {
        foreach (var item in _items)
        {
            text.Append(' ', indent).Append("- ");
            if (item.Inline() is { } inline)
            {
                text.Append(inline).Append('\n');
            }
            else if (item is TemplateMap map)
            {
                map.Write(text, indent + 2, firstLineWritten: true);
            }
            else
            {
                text.Append('\n');
                item.WriteBlock(text, indent + 2);
            }
        }
    }
}

/// <summary>A scalar; plain ones (numbers) are written as they are.</summary>
internal sealed class TemplateScalar(string value, bool plain) : TemplateNode
{
    public string Value { get; } = value;

    public bool Plain { get; } = plain;

    private static readonly HashSet<string> Reserved = new(System.StringComparer.OrdinalIgnoreCase)
    {
        "true", "false", "yes", "no", "on", "off", "y", "n", "null", "~",
    };

    protected internal override string Inline() => Plain ? Value : Quote(Value);

    protected internal override void WriteBlock(StringBuilder text, int indent) => text.Append(' ', indent).Append(Inline()).Append('\n');

    /// <summary>The value plain when that is unambiguous, else single-quoted (double-quoted when it holds control characters).</summary>
    public static string Quote(string value)
    {
        if (PlainSafe().IsMatch(value) && !Reserved.Contains(value) && !value.EndsWith(':'))
        {
            return value;
        }

        foreach (var c in value)
        {
            if (char.IsControl(c))
            {
                return DoubleQuoted(value);
            }
        }

        return "'" + value.Replace("'", "''", System.StringComparison.Ordinal) + "'";
    }

    /// <summary>A double-quoted scalar: control characters escaped (YAML may not hold them raw), everything else as it
    /// is, astral characters included (a surrogate pair written as two escapes reads back as two broken halves).</summary>
    private static string DoubleQuoted(string value)
    {
        var text = new StringBuilder("\"", value.Length + 8);
        foreach (var c in value)
        {
            switch (c)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\t': text.Append("\\t"); break;
                case '\r': text.Append("\\r"); break;
                default:
                    if (char.IsControl(c))
                    {
                        text.Append("\\u").Append(((int)c).ToString("X4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        text.Append(c);
                    }

                    break;
            }
        }

        return text.Append('"').ToString();
    }
}
