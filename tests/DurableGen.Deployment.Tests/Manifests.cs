using System.Collections.Generic;
using System.Linq;
using System.Reflection;

namespace DurableGen.Deployment.Tests;

/// <summary>Manifests for the tests: hand-built ones covering every setting, and the sample's as its build describes it.</summary>
internal static class Manifests
{
    /// <summary>The sample's JIT build (bin/Release/net10.0/bootstrap.dll).</summary>
    public static string SampleAssembly => System.IO.Path.GetFullPath(typeof(Manifests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SampleAssembly").Value!);

    /// <summary>Three functions: a durable one invoking a sibling, an external name and an ARN; a plain one completing
    /// callbacks of the workflow, an external workflow and an ARN; a durable one with every optional setting.</summary>
    public static DeploymentManifest Everything() => new("bootstrap",
    [
        new ManifestFunction
        {
            Name = "order-flow", IsDurable = true, TypeName = "Shop.OrderFlow", Architecture = "arm64", MemorySize = 512,
            FunctionTimeout = 60, ExecutionTimeout = 86_400,
            Invokes = ["notifier", "pricing", "arn:aws:lambda:eu-west-1:210987654321:function:tax"],
        },
        new ManifestFunction
        {
            Name = "notifier", IsDurable = false, TypeName = "Shop.Notifier", Architecture = "x86_64", MemorySize = 256,
            FunctionTimeout = 10, Description = "Tells the customer's 'phone'",
            CompletesCallbacksOf = ["order-flow", "billing", "arn:aws:lambda:us-east-1:123456789012:function:legacy:live"],
            Environment = new Dictionary<string, string> { ["TOPIC"] = "orders", ["MODE"] = "yes" },
        },
        new ManifestFunction
        {
            Name = "audit_log", IsDurable = true, TypeName = "Shop.Audit", Architecture = "x86_64", MemorySize = 10_240,
            FunctionTimeout = 900, ExecutionTimeout = 31_622_400, RetentionPeriodInDays = 90, ReservedConcurrency = 5,
        },
    ]);
}
