using System;
using DurableGen.Protocol;
using Microsoft.AspNetCore.Http;

namespace DurableGen.LocalService.Http;

/// <summary>
/// Keeps a web page open in the developer's browser from driving the service. The service listens on loopback only,
/// but a page can still reach it: through DNS rebinding (the page's own name resolving to 127.0.0.1, so its requests
/// carry that name as <c>Host</c>), and through cross-origin requests a browser sends without a CORS preflight
/// (<c>text/plain</c>, form bodies, or none). AWS clients send a loopback <c>Host</c>, no <c>Origin</c>, and the content
/// types of protocol §1.4; the dashboard is served by the service itself, so its requests are same-origin.
/// </summary>
internal static class BrowserGuard
{
    /// <summary>The AWS error of a request refused here.</summary>
    public const string AccessDenied = "AccessDeniedException";

    /// <summary>Refuses a request whose <c>Host</c> is not a loopback name (any port), or that a browser sent from
    /// another origin (an <c>Origin</c> other than the service's own, or <c>Sec-Fetch-Site</c> cross-site/same-site).</summary>
    public static void CheckOrigin(HttpContext context)
    {
        var request = context.Request;
        if (!IsLoopback(request.Host.Host))
        {
            throw new DurableServiceException(AccessDenied, 403,
                "The local service answers only requests addressed to localhost, 127.0.0.1 or [::1] (Host header).");
        }

        // A browser sends Origin with every request that is not a plain GET or HEAD, and on a same-origin request it
        // is the service's own scheme, host and port: anything else is a page from elsewhere.
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0 && !string.Equals(origin, "http://" + request.Host.Value, StringComparison.OrdinalIgnoreCase))
        {
            throw new DurableServiceException(AccessDenied, 403, $"Cross-origin requests are refused (Origin {Truncate(origin)}).");
        }

        var site = request.Headers["Sec-Fetch-Site"].ToString();
        if (site is "cross-site" or "same-site")
        {
            throw new DurableServiceException(AccessDenied, 403, $"Cross-origin requests are refused (Sec-Fetch-Site {site}).");
        }
    }

    /// <summary>Refuses the content types a page may send cross-origin without a preflight (the CORS-safelisted
    /// <c>text/plain</c>, <c>application/x-www-form-urlencoded</c>, <c>multipart/form-data</c>): no AWS API takes
    /// them, so an AWS API request that carries one was not sent by an AWS client.</summary>
    public static void CheckContentType(HttpContext context)
    {
        var contentType = context.Request.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            return;
        }

        var media = contentType.Split(';')[0].Trim();
        if (media.Equals("text/plain", StringComparison.OrdinalIgnoreCase)
            || media.Equals("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase)
            || media.Equals("multipart/form-data", StringComparison.OrdinalIgnoreCase))
        {
            throw new DurableServiceException(LocalErrorCodes.UnsupportedMediaType, 415,
                $"The content type '{Truncate(contentType)}' is not one an AWS API takes; send application/json (or, for a payload, application/octet-stream).");
        }
    }

    private static bool IsLoopback(string host) =>
        host.Equals("localhost", StringComparison.OrdinalIgnoreCase) || host is "127.0.0.1" or "[::1]";

    private static string Truncate(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
