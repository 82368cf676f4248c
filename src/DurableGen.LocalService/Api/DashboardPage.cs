using System.IO;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Api;

/// <summary>The web dashboard: one static page (HTML + JS, embedded in this assembly) that reads the service's own
/// REST APIs and <c>/local/*</c> endpoints.</summary>
internal static class DashboardPage
{
    private static byte[]? _page;

    public static byte[] Page
    {
        get
        {
            if (_page is null)
            {
                using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("DurableGen.LocalService.Dashboard.index.html")!;
                using var buffer = new MemoryStream();
                stream.CopyTo(buffer);
                _page = buffer.ToArray();
            }

            return _page;
        }
    }

    public static async Task ServeAsync(HttpContext context)
    {
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/html; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await context.Response.Body.WriteAsync(Page, context.RequestAborted).ConfigureAwait(false);
    }
}
