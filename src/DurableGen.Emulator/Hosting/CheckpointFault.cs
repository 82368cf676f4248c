namespace DurableGen.Emulator.Hosting;

/// <summary>
/// What a planned fault does to one checkpoint request (issue 19). A planned run sends its checkpoints through the
/// runtime's own HTTP client (<c>LambdaDurableServiceClient</c>) over an in-process handler, so the retries these
/// faults cause are the runtime's real retry policy and <c>ClientToken</c>s, answered by the engine's real replay rule.
/// </summary>
public enum CheckpointFault
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>The process dies before the request reaches the service: nothing in it is applied.</summary>
    CrashBeforeSending,

    /// <summary>The service applies the request, then the process dies before reading the answer.</summary>
    CrashAfterApplying,

    /// <summary>
    /// The service applies the request and the answer is lost (a connection reset or an attempt timeout): the HTTP
    /// client sends the same request again, same <c>ClientToken</c> and checkpoint token, and the service must answer
    /// it from its replay cache (protocol §1.7, §4.3).
    /// </summary>
    ResponseLost,

    /// <summary>The service fails the request with a 500 <c>ServiceException</c> before applying it; the HTTP client
    /// retries it (protocol §1.7).</summary>
    ServerError,

    /// <summary>The service refuses the request with a 429 <c>TooManyRequestsException</c>; the HTTP client retries it
    /// after a backoff (protocol §1.7, §2.11).</summary>
    Throttled,

    /// <summary>
    /// The invocation times out while the request is on the wire: the service ends the invocation
    /// (<c>Sandbox.Timedout</c>), then the request arrives and must be refused as a stale token (§4.2), and Lambda
    /// kills the process.
    /// </summary>
    TimeoutInFlight,

    /// <summary>
    /// A duplicate delivery: before the request arrives the service has ended this invocation and invoked the execution
    /// again, while this one runs on for a while. The newer invocation holds the only current token, so this request
    /// and every later one of the older invocation must be refused (§4.2), and its outcome ignored (§5.3).
    /// </summary>
    DuplicateDelivery,
}
