using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Emulator.Engine;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Connections;

namespace DurableGen.LocalService.Http;

/// <summary>
/// Gives the requests Kestrel refuses itself (a NUL in the path, an over-long request line or header, a broken
/// Content-Length, HTTP/0.9) the AWS error shape every other answer of the service has. Kestrel writes those refusals
/// before any code of the service runs, as a bare status with <c>Content-Length: 0</c> and <c>Connection: close</c>, and
/// offers no hook to shape them; so the connection's output is watched at each flush, and a response head with that
/// signature (which the service's own answers never have: its 4xx always carry an AWS body) is rewritten with the same
/// status and an AWS body. Every other byte passes through unchanged.
/// </summary>
internal static class KestrelRefusals
{
    /// <summary>The connection middleware: <c>listen.Use(KestrelRefusals.Shape)</c>.</summary>
    public static ConnectionDelegate Shape(ConnectionDelegate next) => connection =>
    {
        connection.Transport = new ShapedTransport(connection.Transport);
        return next(connection);
    };

    /// <summary>The AWS-shaped replacement for <paramref name="head"/> when it is a Kestrel refusal; null otherwise.</summary>
    internal static byte[]? Rewrite(ReadOnlySpan<byte> head)
    {
        // "HTTP/1.1 4xx Reason\r\n" ... "\r\n\r\n" and nothing after: a refusal has no body.
        if (head.Length < 16 || !head.StartsWith("HTTP/1.1 4"u8) || !head.EndsWith("\r\n\r\n"u8)
            || head.IndexOf("\r\nContent-Length: 0\r\n"u8) < 0 || head.IndexOf("\r\nConnection: close\r\n"u8) < 0
            || head.IndexOf("\r\nx-amzn-"u8) >= 0)
        {
            return null;
        }

        var lineEnd = head.IndexOf("\r\n"u8);
        var statusLine = Encoding.ASCII.GetString(head[..lineEnd]);
        if (!int.TryParse(statusLine.AsSpan(9, 3), out var status))
        {
            return null;
        }

        var reason = statusLine.Length > 13 ? statusLine[13..] : "Bad Request";
        var code = status == 413 ? ErrorCodes.RequestTooLarge : LocalErrorCodes.InvalidRequestContent;
        var body = AwsErrorBody.Serialize(code, status, $"The request is not valid HTTP/1.1 ({reason}).");
        var answer = $"{statusLine}\r\nContent-Type: application/json\r\nContent-Length: {body.Length}\r\n" +
                     $"x-amzn-ErrorType: {code}\r\nx-amzn-RequestId: {Guid.NewGuid()}\r\nConnection: close\r\n\r\n";
        var bytes = new byte[Encoding.ASCII.GetByteCount(answer) + body.Length];
        var written = Encoding.ASCII.GetBytes(answer, bytes);
        body.CopyTo(bytes, written);
        return bytes;
    }

    private sealed class ShapedTransport(IDuplexPipe inner) : IDuplexPipe
    {
        public PipeReader Input { get; } = inner.Input;

        public PipeWriter Output { get; } = new ShapedWriter(inner.Output);
    }

    /// <summary>Holds what Kestrel writes until it flushes, so a refusal can be swapped before it reaches the socket.
    /// Responses here are small JSON documents; the one copy per flush is the price.</summary>
    private sealed class ShapedWriter(PipeWriter inner) : PipeWriter
    {
        private const int MaxRetained = 256 * 1024;
        private ArrayBufferWriter<byte> _pending = new(4096);

        public override void Advance(int bytes) => _pending.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => _pending.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => _pending.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            Drain();
            return inner.FlushAsync(cancellationToken);
        }

        public override void Complete(Exception? exception = null)
        {
            Drain();
            inner.Complete(exception);
        }

        public override async ValueTask CompleteAsync(Exception? exception = null)
        {
            Drain();
            await inner.CompleteAsync(exception).ConfigureAwait(false);
        }

        private void Drain()
        {
            if (_pending.WrittenCount == 0)
            {
                return;
            }

            var written = _pending.WrittenSpan;
            inner.Write(Rewrite(written) is { } shaped ? shaped : written);
            if (_pending.Capacity > MaxRetained)
            {
                _pending = new ArrayBufferWriter<byte>(4096); // a large history page is not kept for the connection's life
            }
            else
            {
                _pending.ResetWrittenCount();
            }
        }
    }
}
