using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Xunit;

namespace DurableGen.Client.Tests;

/// <summary>
/// An independent SigV4 implementation (protocol §1.3; AWS "Create a canonical request"): recomputes the signature of a
/// recorded request from the secret key and compares it with the Authorization header. Canonical URI = the path as
/// sent, each segment URI-encoded again (so <c>%3A</c> becomes <c>%253A</c>); canonical query = decoded pairs
/// re-encoded and sorted; canonical headers = the signed ones, lower-cased, trimmed.
/// </summary>
public static partial class SigV4Verifier
{
    public sealed record Parsed(string AccessKey, string Date, string Region, string Service, string[] SignedHeaders, string Signature);

    [GeneratedRegex(@"^AWS4-HMAC-SHA256 Credential=(?<ak>[^/]+)/(?<date>\d{8})/(?<region>[^/]+)/(?<service>[^/]+)/aws4_request, SignedHeaders=(?<sh>[a-z0-9\-;]+), Signature=(?<sig>[0-9a-f]{64})$")]
    private static partial Regex AuthorizationPattern();

    public static Parsed Parse(string authorization)
    {
        var match = AuthorizationPattern().Match(authorization);
        Assert.True(match.Success, $"Authorization header has an unexpected shape: {authorization}");
        return new Parsed(match.Groups["ak"].Value, match.Groups["date"].Value, match.Groups["region"].Value,
            match.Groups["service"].Value, match.Groups["sh"].Value.Split(';'), match.Groups["sig"].Value);
    }

    public static string CanonicalUri(string rawPath) =>
        string.Join("/", rawPath.Split('/').Select(Encode));

    public static string CanonicalQuery(string rawQuery)
    {
        if (rawQuery.Length == 0)
        {
            return "";
        }

        var pairs = rawQuery.Split('&').Select(p =>
        {
            var eq = p.IndexOf('=');
            var key = Uri.UnescapeDataString(eq < 0 ? p : p[..eq]);
            var value = eq < 0 ? "" : Uri.UnescapeDataString(p[(eq + 1)..]);
            return (Key: Encode(key), Value: Encode(value));
        });
        return string.Join("&", pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Key + "=" + p.Value));
    }

    public static string CanonicalRequest(RecordedRequest request, IReadOnlyList<string> signedHeaders)
    {
        var builder = new StringBuilder();
        builder.Append(request.Method).Append('\n');
        builder.Append(CanonicalUri(request.Path)).Append('\n');
        builder.Append(CanonicalQuery(request.Query)).Append('\n');
        foreach (var name in signedHeaders)
        {
            var value = request.Header(name);
            Assert.True(value is not null, $"signed header '{name}' was not sent");
            builder.Append(name).Append(':').Append(Regex.Replace(value!.Trim(), " +", " ")).Append('\n');
        }

        builder.Append('\n').Append(string.Join(";", signedHeaders)).Append('\n');
        builder.Append(Hex(SHA256.HashData(request.Body)));
        return builder.ToString();
    }

    /// <summary>Asserts that the request's signature is what <paramref name="secretKey"/> produces; returns the parsed header.</summary>
    public static Parsed Verify(RecordedRequest request, string secretKey)
    {
        var parsed = Parse(request.Header("Authorization") ?? throw new Xunit.Sdk.XunitException("no Authorization header"));
        var amzDate = request.Header("X-Amz-Date")!;
        Assert.StartsWith(parsed.Date, amzDate);
        var canonical = CanonicalRequest(request, parsed.SignedHeaders);
        var scope = $"{parsed.Date}/{parsed.Region}/{parsed.Service}/aws4_request";
        var stringToSign = $"AWS4-HMAC-SHA256\n{amzDate}\n{scope}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)))}";
        var key = Hmac(Encoding.UTF8.GetBytes("AWS4" + secretKey), parsed.Date);
        key = Hmac(key, parsed.Region);
        key = Hmac(key, parsed.Service);
        key = Hmac(key, "aws4_request");
        var expected = Hex(Hmac(key, stringToSign));
        Assert.True(expected == parsed.Signature,
            $"signature mismatch\nexpected {expected}\nactual   {parsed.Signature}\ncanonical request:\n{canonical}");
        return parsed;
    }

    private static string Encode(string value)
    {
        var builder = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static byte[] Hmac(byte[] key, string data) => HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(data));

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
