using System.IO;
using System.Linq;
using System.Reflection;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The binaries of the projects this test project builds first without referencing them (their paths are
/// written into the test assembly at build time, for the configuration being tested).</summary>
internal static class Artifacts
{
    /// <summary>The order-approval sample's <c>bootstrap.dll</c>.</summary>
    public static string Sample => Path("SampleAssembly");

    /// <summary><c>DurableGen.TestFunctions.dll</c>: the <c>five-steps</c> and <c>crashable</c> workflows.</summary>
    public static string TestFunctions => Path("TestFunctionsAssembly");

    /// <summary>The <c>durablegen</c> CLI's <c>DurableGen.Cli.dll</c>.</summary>
    public static string Cli => Path("CliAssembly");

    /// <summary>The build configuration of this test run (Debug or Release).</summary>
    public static string Configuration => Metadata("Configuration");

    /// <summary>The folder the browser tests save their screenshots in (<c>screenshots</c> beside the test assembly),
    /// created on first use.</summary>
    public static string Screenshots => Directory.CreateDirectory(System.IO.Path.Combine(System.AppContext.BaseDirectory, "screenshots")).FullName;

    /// <summary>A function definition that runs <see cref="TestFunctions"/> as <paramref name="name"/>.</summary>
    public static FunctionDefinition TestFunction(string name)
    {
        var function = new FunctionDefinition { Name = name, Command = "dotnet", Handler = name };
        function.Arguments.Add(TestFunctions);
        return function;
    }

    private static string Path(string key)
    {
        var path = System.IO.Path.GetFullPath(Metadata(key));
        Assert.True(File.Exists(path), $"{key} is not built at {path}");
        return path;
    }

    private static string Metadata(string key) =>
        typeof(Artifacts).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
