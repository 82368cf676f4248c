using System;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Dashboard;

/// <summary>
/// <c>/local/events</c>: server-sent events, one <c>change</c> whenever the engine changed (a checkpoint, an
/// invocation, a timer, a callback, a start or stop), so an open page re-reads what it shows instead of polling.
/// Changes that come in a burst are sent as one, at most every <see cref="Coalesce"/>; a comment line every
/// <see cref="KeepAlive"/> shows a dead connection to both ends. The stream ends when the service stops.
/// </summary>
internal static class ChangeStream
{
    private static readonly TimeSpan Coalesce = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan KeepAlive = TimeSpan.FromSeconds(15);

    public static async Task ServeAsync(HttpContext context, LocalDurableService service)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-store";
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, service.Stopping);
        var token = stop.Token;
        var sequence = 0L;
        try
        {
            // The next change is awaited from before each event is sent: a change that lands while the event is
            // written, or while the page reads, completes it and is announced again, never lost.
            var changed = service.Changed;

            // A page that reconnects may have missed changes: the first event tells it to read everything again.
            await WriteAsync(context, $"retry: 1000\nevent: change\ndata: {sequence}\n\n", token).ConfigureAwait(false);
            while (!token.IsCancellationRequested)
            {
                var woke = await Task.WhenAny(changed, Task.Delay(KeepAlive, token)).ConfigureAwait(false);
                if (woke != changed)
                {
                    await WriteAsync(context, ": keep-alive\n\n", token).ConfigureAwait(false);
                    continue;
                }

                await Task.Delay(Coalesce, token).ConfigureAwait(false);
                changed = service.Changed;
                sequence++;
                await WriteAsync(context, $"event: change\ndata: {sequence}\n\n", token).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (token.IsCancellationRequested)
        {
            // the page went away or the service stops
        }
    }

    private static async Task WriteAsync(HttpContext context, string text, CancellationToken token)
    {
        await context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text), token).ConfigureAwait(false);
        await context.Response.Body.FlushAsync(token).ConfigureAwait(false);
    }
}
