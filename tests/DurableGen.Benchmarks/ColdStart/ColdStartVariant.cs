using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;

namespace DurableGen.Benchmarks;

/// <summary>One way of starting a bootstrap: its binary and the environment that differs from the others'.</summary>
/// <param name="Name">The label in the report.</param>
/// <param name="Bootstrap">The published binary.</param>
/// <param name="Environment">Variables set on top of the Lambda-like environment every variant gets.</param>
/// <param name="Check">Why a posted response is wrong, or null when it is the expected answer.</param>
internal sealed record ColdStartVariant(string Name, string Bootstrap, IReadOnlyDictionary<string, string> Environment,
    Func<string, string?> Check)
{
    // Whatever the calling shell has must not reach the bootstrap: a region, profile or endpoint from a developer's
    // machine would change which service client the sample builds.
    private static readonly string[] AwsVariables =
    [
        "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_LAMBDA", "AWS_PROFILE",
        "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "DURABLEGEN_SERVICE_CLIENT",
        "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_CONTAINER_AUTHORIZATION_TOKEN",
    ];

    /// <summary>
    /// The start info: what Lambda sets for a custom runtime, with the Lambda endpoint (checkpoints) pointing at the
    /// fake as well, and dummy credentials, so the sample builds its real service client as it would on AWS.
    /// </summary>
    public ProcessStartInfo CreateStartInfo(string runtimeApi)
    {
        var start = new ProcessStartInfo(Bootstrap)
        {
            WorkingDirectory = Path.GetDirectoryName(Bootstrap)!,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (IsForeignArm64(Bootstrap))
        {
            // Another architecture's binary runs under qemu-user, with Debian's arm64 libraries (multiarch).
            start.FileName = "/usr/bin/qemu-aarch64-static";
            start.ArgumentList.Add(Bootstrap);
        }

        foreach (var name in AwsVariables)
        {
            start.Environment.Remove(name);
        }

        start.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        start.Environment["_HANDLER"] = SampleEnvelope.Function;
        start.Environment["AWS_LAMBDA_FUNCTION_NAME"] = SampleEnvelope.Function;
        start.Environment["AWS_LAMBDA_FUNCTION_VERSION"] = "$LATEST";
        start.Environment["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"] = "512";
        start.Environment["AWS_REGION"] = "us-east-1";
        start.Environment["AWS_DEFAULT_REGION"] = "us-east-1";
        start.Environment["AWS_ENDPOINT_URL_LAMBDA"] = "http://" + runtimeApi;
        start.Environment["AWS_ACCESS_KEY_ID"] = "cold-start";
        start.Environment["AWS_SECRET_ACCESS_KEY"] = "cold-start";
        start.Environment["AWS_SESSION_TOKEN"] = "cold-start";
        start.Environment["TZ"] = ":UTC";
        foreach (var (name, value) in Environment)
        {
            start.Environment[name] = value;
        }

        return start;
    }

    private static bool IsForeignArm64(string path)
    {
        var header = new byte[20];
        using (var file = File.OpenRead(path))
        {
            file.ReadExactly(header);
        }

        return BitConverter.ToUInt16(header, 18) == 0xB7 && System.Runtime.InteropServices.RuntimeInformation.OSArchitecture
            != System.Runtime.InteropServices.Architecture.Arm64;
    }
}
