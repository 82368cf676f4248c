using System;
using System.IO;
using System.Linq;
using DurableGen.Deployment;

// The deployment tool the DurableGen package runs from MSBuild (dotnet build -p:DurableGenPackage=true) and that
// `durablegen package` runs in-process: the same code, so both write the same template and zips.
const string Usage = """
    DurableGen.Deployment — template and Native AOT packages of a DurableGen project

      package <project> [-c Release] [--arch x86_64,arm64] [--output <dir>] [--skip-publish]
      template --assembly <built.dll> [--output template.yaml]
    """;

try
{
    if (args.Length == 0 || args[0] is "-h" or "--help")
    {
        Console.WriteLine(Usage);
        return args.Length == 0 ? 2 : 0;
    }

    string? Option(string name, string? alias = null)
    {
        var index = Array.FindIndex(args, a => a == name || a == alias);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }

    switch (args[0])
    {
        case "package":
        {
            if (args.Length < 2 || args[1].StartsWith('-'))
            {
                throw new PackagingException("package needs the project folder or .csproj.");
            }

            var result = await Packager.PackageAsync(new PackageOptions
            {
                Project = args[1],
                Configuration = Option("-c", "--configuration") ?? "Release",
                Architectures = Option("--arch")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
                OutputDirectory = Option("--output", "-o"),
                SkipPublish = args.Contains("--skip-publish"),
            });
            Console.WriteLine(result.TemplatePath);
            return 0;
        }

        case "template":
        {
            var assembly = Option("--assembly") ?? throw new PackagingException("template needs --assembly <built.dll>.");
            var text = CloudFormationTemplate.Write(ManifestReader.Read(assembly));
            var output = Option("--output", "-o");
            if (output is null)
            {
                Console.Write(text);
            }
            else
            {
                File.WriteAllText(output, text);
            }

            return 0;
        }

        default:
            throw new PackagingException($"Unknown command '{args[0]}'.\n{Usage}");
    }
}
catch (Exception ex) when (ex is PackagingException or InvalidOperationException or FormatException or IOException
                               or BadImageFormatException or ArgumentException)
{
    Console.Error.WriteLine("error: " + ex.Message);
    return 1;
}
