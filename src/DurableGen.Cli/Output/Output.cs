using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurableGen.Cli;

/// <summary>Human output of the service's JSON: tables, a one-line-per-event history timeline, statuses in
/// colour; and the JSON itself, as scripts read it.</summary>
internal static class Output
{
    public static string Time(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDecimal() * 1000m))
                .ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : "";

    public static string Str(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    /// <summary>A table with a header row: under a rule on a terminal (only the last column wraps there), in plain
    /// aligned columns elsewhere, as <c>kubectl get</c> prints them.</summary>
    public static Table Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<IRenderable>> rows, bool terminal)
    {
        var table = new Table().Border(terminal ? TableBorder.Simple : TableBorder.None);
        for (var i = 0; i < headers.Count; i++)
        {
            var column = new TableColumn(new Text(headers[i], new Style(decoration: Decoration.Bold)));
            if (!terminal)
            {
                column.Padding(0, 0, 2, 0);
            }

            table.AddColumn(i < headers.Count - 1 ? column.NoWrap() : column);
        }

        foreach (var row in rows)
        {
            table.AddRow(row);
        }

        return table;
    }

    /// <summary>An execution or event status in its colour.</summary>
    public static IRenderable Status(string status) => new Text(status, new Style(StatusColor(status)));

    private static Color StatusColor(string status) =>
        status switch
        {
            "SUCCEEDED" => Color.Green,
            "FAILED" or "TIMED_OUT" or "STOPPED" => Color.Red,
            "RUNNING" => Color.Yellow,
            _ when status.EndsWith("Succeeded", StringComparison.Ordinal) => Color.Green,
            _ when status.EndsWith("Failed", StringComparison.Ordinal) || status.EndsWith("TimedOut", StringComparison.Ordinal)
                                                                        || status.EndsWith("Stopped", StringComparison.Ordinal) => Color.Red,
            _ when status.EndsWith("Started", StringComparison.Ordinal) => Color.Yellow,
            _ => Color.Default,
        };

    /// <summary>One history event as a timeline line: id, time, type (in its colour), name, the detail that matters.</summary>
    public static IRenderable EventLine(JsonElement e)
    {
        var id = e.TryGetProperty("EventId", out var eventId) ? eventId.GetInt32().ToString(CultureInfo.InvariantCulture) : "?";
        var type = Str(e, "EventType");
        var name = Str(e, "Name");
        var rest = $" {name,-22} {Detail(e)}".TrimEnd();
        var line = new Paragraph();
        line.Append($"{id,4}  {Time(e, "EventTimestamp")}  ");
        line.Append(rest.Length == 0 ? type : $"{type,-22}", new Style(StatusColor(type)));
        line.Append(rest);
        return line;
    }

    /// <summary>The history events as a table: id, time, type, name, detail.</summary>
    public static Table EventTable(IEnumerable<JsonElement> events, bool terminal) =>
        Table(["ID", "TIME", "TYPE", "NAME", "DETAIL"], events.Select(e => (IReadOnlyList<IRenderable>)
        [
            new Text(e.TryGetProperty("EventId", out var id) ? id.GetInt32().ToString(CultureInfo.InvariantCulture) : "?"),
            new Text(Time(e, "EventTimestamp")),
            Status(Str(e, "EventType")),
            new Text(Str(e, "Name")),
            new Text(Detail(e)),
        ]), terminal);

    private static string Detail(JsonElement e)
    {
        foreach (var property in e.EnumerateObject())
        {
            if (!property.Name.EndsWith("Details", StringComparison.Ordinal) || property.Value.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var details = property.Value;
            if (details.TryGetProperty("CallbackId", out var callbackId))
            {
                return "callback " + callbackId.GetString();
            }

            foreach (var key in new[] { "Result", "Input" })
            {
                if (details.TryGetProperty(key, out var payload) && payload.TryGetProperty("Payload", out var text))
                {
                    return Shorten(text.GetString() ?? "");
                }
            }

            if (details.TryGetProperty("Error", out var error) && error.TryGetProperty("Payload", out var errorPayload))
            {
                return $"{Str(errorPayload, "ErrorType")}: {Str(errorPayload, "ErrorMessage")}".Trim(' ', ':');
            }

            if (details.TryGetProperty("Duration", out var duration))
            {
                return $"{duration} s";
            }
        }

        return "";
    }

    private static string Shorten(string text) => text.Length <= 100 ? text : text[..97] + "...";

    /// <summary>Writes <paramref name="element"/> as indented JSON to standard output, for scripts.</summary>
    public static void Json(JsonElement element) =>
        System.Console.WriteLine(JsonSerializer.Serialize(element, JsonContext.Default.JsonElement));
}
