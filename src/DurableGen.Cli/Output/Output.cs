using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace DurableGen.Cli;

/// <summary>Human output: tables and a one-line-per-event history timeline.</summary>
internal static class Output
{
    public static string Time(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(value.GetDecimal() * 1000m))
                .ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture)
            : "";

    public static string Str(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString()! : "";

    public static void Table(IReadOnlyList<string> headers, IEnumerable<IReadOnlyList<string>> rows)
    {
        var all = rows.ToList();
        var widths = headers.Select((h, i) => Math.Max(h.Length, all.Count == 0 ? 0 : all.Max(r => r[i].Length))).ToArray();
        Console.WriteLine(string.Join("  ", headers.Select((h, i) => h.PadRight(widths[i]))).TrimEnd());
        Console.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
        foreach (var row in all)
        {
            Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
        }
    }

    /// <summary>One history event as a timeline line: id, time, type, name, the detail that matters.</summary>
    public static string EventLine(JsonElement e)
    {
        var id = e.TryGetProperty("EventId", out var eventId) ? eventId.GetInt32().ToString(CultureInfo.InvariantCulture) : "?";
        var type = Str(e, "EventType");
        var name = Str(e, "Name");
        return $"{id,4}  {Time(e, "EventTimestamp")}  {type,-22} {name,-22} {Detail(e)}".TrimEnd();
    }

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

    public static void Json(JsonElement element) =>
        Console.WriteLine(JsonSerializer.Serialize(element, JsonContext.Default.JsonElement));
}

[System.Text.Json.Serialization.JsonSerializable(typeof(JsonElement))]
[System.Text.Json.Serialization.JsonSourceGenerationOptions(WriteIndented = true)]
internal sealed partial class JsonContext : System.Text.Json.Serialization.JsonSerializerContext;
