using System;
using System.Collections.Generic;
using Amazon.Runtime;

namespace DurableGen.Client.Tests;

/// <summary>A clock fixed at one instant for signing; timers (retry delays) still run in real time.</summary>
public sealed class FixedClock(DateTimeOffset now) : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => now;
}

public static class Wire
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    public const string SessionToken = "FQoGZXIvYXdzEXAMPLETOKEN+/=";

    /// <summary>protocol.md §10's execution ARN and its single-encoded path label.</summary>
    public const string Arn =
        "arn:aws:lambda:us-east-1:123456789012:function:order-flow:7/durable-execution/order-42/0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11";

    public const string EncodedArn =
        "arn%3Aaws%3Alambda%3Aus-east-1%3A123456789012%3Afunction%3Aorder-flow%3A7%2Fdurable-execution%2Forder-42%2F0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11";

    /// <summary>protocol.md §10 (b)'s callback id: base64 with '+', '/'; plus a padded variant.</summary>
    public const string CallbackId = "scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK";

    public const string EncodedCallbackId = "scDKyYALNFBYar5cCaxe%2B%2BM4WDLkqQKp65dhnx%2FCoDZK";

    public static readonly DateTimeOffset Now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static DurableClientOptions Options(FakeLambdaService service, int maxAttempts = 3, bool session = true,
        Dictionary<string, string>? environment = null) => new()
    {
        Endpoint = service.Endpoint,
        Region = "us-east-1",
        Credentials = session
            ? new SessionAWSCredentials(AccessKey, SecretKey, SessionToken)
            : new BasicAWSCredentials(AccessKey, SecretKey),
        TimeProvider = new FixedClock(Now),
        MaxAttempts = maxAttempts,
        RetryBaseDelay = TimeSpan.FromMilliseconds(1),
        MaxRetryDelay = TimeSpan.FromMilliseconds(20),
        Environment = name => environment is not null && environment.TryGetValue(name, out var v) ? v : null,
    };
}
