using System;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Http.Headers;
using System.Threading;

// The smallest Lambda custom runtime worth comparing against: the Runtime API loop with the same HttpClient set-up as
// DurableGen's LambdaRuntimeApiClient (no proxy look-up, no client timeout on the long poll), answering every event
// with a constant JSON body. Nothing is parsed, so whatever the sample costs on top is DurableGen and the workflow.
var api = Environment.GetEnvironmentVariable("AWS_LAMBDA_RUNTIME_API");
if (string.IsNullOrEmpty(api))
{
    Console.Error.WriteLine("AWS_LAMBDA_RUNTIME_API is not set: this process is not running under a Lambda Runtime API.");
    return 1;
}

using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false, PooledConnectionIdleTimeout = Timeout.InfiniteTimeSpan })
{
    BaseAddress = new Uri($"http://{api}/2018-06-01/runtime/"),
    Timeout = Timeout.InfiniteTimeSpan,
};
var answer = """{"message":"hello"}"""u8.ToArray();
while (true)
{
    string requestId;
    using (var next = await http.GetAsync("invocation/next"))
    {
        await next.Content.ReadAsByteArrayAsync();
        if (next.StatusCode != HttpStatusCode.OK
            || !next.Headers.TryGetValues("Lambda-Runtime-Aws-Request-Id", out var ids)
            || ids.FirstOrDefault() is not { Length: > 0 } id)
        {
            Console.Error.WriteLine($"Exiting: next answered {(int)next.StatusCode}.");
            return 1;
        }

        requestId = id;
    }

    using var content = new ByteArrayContent(answer);
    content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
    using var posted = await http.PostAsync($"invocation/{Uri.EscapeDataString(requestId)}/response", content);
    if (posted.StatusCode == HttpStatusCode.InternalServerError)
    {
        Console.Error.WriteLine("Exiting: the Runtime API answered 500 (container error).");
        return 1;
    }
}
