using System;
using System.Collections.Generic;
using System.IO;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen.LocalService.Tests;

/// <summary>An answer read off the socket: status, headers (lower-case names) and the body bytes.</summary>
internal sealed record RawResponse(int Status, Dictionary<string, string> Headers, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    public string? Header(string name) => Headers.TryGetValue(name.ToLowerInvariant(), out var value) ? value : null;

    /// <summary>The AWS error name when the answer has the AWS restJson1 error shape (header <c>x-amzn-ErrorType</c>
    /// equal to the body's <c>__type</c>, <c>Type</c> User/Service by status, a non-empty message); null otherwise.</summary>
    public string? AwsErrorCode()
    {
        var code = Header("x-amzn-ErrorType");
        if (code is null || !(Header("content-type") ?? "").StartsWith("application/json", StringComparison.Ordinal))
        {
            return null;
        }

        try
        {
            using var document = JsonDocument.Parse(Body);
            var root = document.RootElement;
            return root.GetProperty("__type").GetString() == code
                   && root.GetProperty("Type").GetString() == (Status >= 500 ? "Service" : "User")
                   && !string.IsNullOrEmpty(root.GetProperty("message").GetString())
                ? code
                : null;
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return null;
        }
    }

    public override string ToString() => $"{Status} {Header("x-amzn-ErrorType")} {Text}";
}

/// <summary>HTTP/1.1 written byte for byte on a real socket, for requests no HttpClient sends (broken chunking, NUL
/// bytes, foreign Host headers); each request closes its connection, so the answer is read to the end.</summary>
internal static class RawHttp
{
    /// <summary>Sends <c>{method} {target} HTTP/1.1</c> with the given header lines (a Host line is added unless one is
    /// given; <c>Connection: close</c> always), then <paramref name="body"/> as it is.</summary>
    public static Task<RawResponse> SendAsync(Uri service, string method, string target, IEnumerable<string>? headers = null,
        byte[]? body = null)
    {
        var head = new StringBuilder().Append(method).Append(' ').Append(target).Append(" HTTP/1.1\r\n");
        var hasHost = false;
        foreach (var header in headers ?? [])
        {
            hasHost |= header.StartsWith("Host:", StringComparison.OrdinalIgnoreCase);
            head.Append(header).Append("\r\n");
        }

        if (!hasHost)
        {
            head.Append("Host: ").Append(service.Authority).Append("\r\n");
        }

        head.Append("Connection: close\r\n\r\n");
        var bytes = new List<byte>(Encoding.Latin1.GetBytes(head.ToString()));
        bytes.AddRange(body ?? []);
        return SendBytesAsync(service, bytes.ToArray());
    }

    /// <summary>Writes <paramref name="request"/> as it is and reads the answer until the server closes.</summary>
    public static async Task<RawResponse> SendBytesAsync(Uri service, byte[] request)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        using var client = new TcpClient();
        await client.ConnectAsync(service.Host, service.Port, timeout.Token);
        var stream = client.GetStream();
        try
        {
            // No half-close after it: Kestrel takes a client's FIN for a disconnect and aborts the request.
            await stream.WriteAsync(request, timeout.Token);
        }
        catch (IOException)
        {
            // the server may answer and close before it read everything (a refused request line)
        }

        using var answer = new MemoryStream();
        try
        {
            await stream.CopyToAsync(answer, timeout.Token);
        }
        catch (IOException)
        {
            // a reset after the answer
        }

        return Parse(answer.ToArray());
    }

    private static RawResponse Parse(byte[] raw)
    {
        var text = Encoding.Latin1.GetString(raw);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            throw new InvalidDataException($"No HTTP answer ({raw.Length} bytes): {text}");
        }

        var lines = text[..end].Split("\r\n");
        var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var headers = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in lines[1..])
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim().ToLowerInvariant()] = line[(colon + 1)..].Trim();
        }

        var body = raw.AsSpan(end + 4).ToArray();
        if (headers.TryGetValue("transfer-encoding", out var encoding) && encoding.Contains("chunked", StringComparison.OrdinalIgnoreCase))
        {
            body = Unchunk(body);
        }

        return new RawResponse(status, headers, body);
    }

    private static byte[] Unchunk(byte[] body)
    {
        using var output = new MemoryStream();
        var position = 0;
        while (position < body.Length)
        {
            var lineEnd = Array.IndexOf(body, (byte)'\n', position);
            var size = Convert.ToInt32(Encoding.ASCII.GetString(body, position, lineEnd - position).Trim().Split(';')[0], 16);
            if (size == 0)
            {
                break;
            }

            output.Write(body, lineEnd + 1, size);
            position = lineEnd + 1 + size + 2;
        }

        return output.ToArray();
    }
}
