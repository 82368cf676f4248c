using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using DurableGen.Client;
using DurableGen.Protocol;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace DurableGen.Cli.Formatting;

/// <summary>Human output of the service's answers: tables, a one-line-per-event history, statuses in colour; and the
/// answers as JSON, as scripts read them (the REST channel's encoding, indented).</summary>
internal static class Output
{
    public static string Time(DateTimeOffset? value) =>
        value is { } time ? time.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) : "";

    /// <summary>An execution status as the service spells it (<c>TIMED_OUT</c>).</summary>
    public static string Name(ExecutionStatus status) => UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(status);

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

    /// <summary>One history event as a timeline line: id, time, type (in its colour), name, and the detail
    /// <see cref="HistoryTimeline.Describe"/> gives.</summary>
    public static IRenderable EventLine(Event e)
    {
        var type = e.EventType.ToString();
        var rest = $" {e.Name ?? "",-22} {HistoryTimeline.Describe(e)}".TrimEnd();
        var line = new Paragraph();
        line.Append($"{Id(e),4}  {Time(e.EventTimestamp)}  ");
        line.Append(rest.Length == 0 ? type : $"{type,-22}", new Style(StatusColor(type)));
        line.Append(rest);
        return line;
    }

    /// <summary>The history events as a table: id, time, type, name, detail.</summary>
    public static Table EventTable(IEnumerable<Event> events, bool terminal) =>
        Table(["ID", "TIME", "TYPE", "NAME", "DETAIL"], events.Select(e => (IReadOnlyList<IRenderable>)
        [
            new Text(Id(e)),
            new Text(Time(e.EventTimestamp)),
            Status(e.EventType.ToString()),
            new Text(e.Name ?? ""),
            new Text(HistoryTimeline.Describe(e)),
        ]), terminal);

    /// <summary>An execution and its events as <c>{"Execution","Events"}</c> (<c>run --json</c>, <c>history --json</c>).</summary>
    public static void ExecutionJson(GetDurableExecutionResponse execution, IEnumerable<Event> events) =>
        Console.WriteLine(JsonSerializer.Serialize(new Dictionary<string, JsonElement>
        {
            ["Execution"] = JsonSerializer.SerializeToElement(execution, ProtocolJson.Rest.GetDurableExecutionResponse),
            ["Events"] = JsonSerializer.SerializeToElement(
                events.Select(e => JsonSerializer.SerializeToElement(e, ProtocolJson.Rest.Event)).ToArray(),
                RunJsonContext.Default.JsonElementArray),
        }, RunJsonContext.Default.DictionaryStringJsonElement));

    /// <summary>Writes <paramref name="element"/> as indented JSON to standard output, for scripts.</summary>
    public static void Json(JsonElement element) =>
        Console.WriteLine(JsonSerializer.Serialize(element, JsonContext.Default.JsonElement));

    private static string Id(Event e) => e.EventId.ToString(CultureInfo.InvariantCulture);
}
