using System.IO;
using System.Threading.Tasks;
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

    /// <summary>Installs Debian's chromium the first time a test needs it (tests/prerequisites.sh chromium).</summary>
    public static async Task RequireChromiumAsync()
    {
        await Prerequisites.EnsureChromiumAsync();
        Assert.True(File.Exists(ChromiumPath), $"{ChromiumPath} is missing after tests/prerequisites.sh chromium.");
    }
}
