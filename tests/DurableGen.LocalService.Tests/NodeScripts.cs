using System.IO;
using DurableGen.TestSupport;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The Node scripts of <c>tests/DurableGen.LocalService.Tests/js</c>: the official AWS JS client, and
/// playwright-core driving Debian's chromium.</summary>
internal static class NodeScripts
{
    public const string ChromiumPath = "/usr/bin/chromium";

    /// <summary>The js folder of this test project.</summary>
    public static NodeProject Js { get; } = new(RepositoryRoot.Combine("tests", "DurableGen.LocalService.Tests", "js"),
        "@aws-sdk/client-lambda", "playwright-core");

    public static void RequireChromium()
    {
        if (!File.Exists(ChromiumPath))
        {
            Assert.Fail($"{ChromiumPath} is missing: the dashboard test drives Debian's chromium. Install it with " +
                "`apt-get update && apt-get install -y chromium` (.ci/run does this before the tests).");
        }
    }
}
