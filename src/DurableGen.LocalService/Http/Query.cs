using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using DurableGen.Protocol;

namespace DurableGen.LocalService.Http;

/// <summary>The raw query of a request (repeated keys kept, <c>+</c> kept as it is: protocol §1.4); malformed values
/// are refused with the AWS validation error.</summary>
internal sealed class Query(List<KeyValuePair<string, string>> values)
{
    /// <summary>Parses the text after <c>?</c>.</summary>
    public static Query Parse(string raw)
    {
        var values = new List<KeyValuePair<string, string>>();
        foreach (var pair in raw.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var key = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? "" : pair[(eq + 1)..];
            try
            {
                values.Add(new(Uri.UnescapeDataString(key), Uri.UnescapeDataString(value)));
            }
            catch (UriFormatException)
            {
                throw DurableServiceException.InvalidParameter($"The query parameter '{key}' is not valid.");
            }
        }

        return new Query(values);
    }

    public bool Has(string key) => values.Any(p => p.Key == key);

    public string? Get(string key) => values.Where(p => p.Key == key).Select(p => p.Value).FirstOrDefault();

    public IEnumerable<string> All(string key) => values.Where(p => p.Key == key).Select(p => p.Value);

    public bool? Bool(string key) => Get(key) switch
    {
        null => null,
        "true" => true,
        "false" => false,
        var other => throw DurableServiceException.InvalidParameter($"{key} must be true or false, not '{other}'."),
    };

    public int? Int(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }

        return int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
            ? parsed
            : throw DurableServiceException.InvalidParameter($"{key} must be an integer, not '{value}'.");
    }

    public DateTimeOffset? Timestamp(string key)
    {
        var value = Get(key);
        if (value is null)
        {
            return null;
        }

        return DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed)
            ? parsed
            : throw DurableServiceException.InvalidParameter($"{key} must be an ISO-8601 timestamp, not '{value}'.");
    }
}
