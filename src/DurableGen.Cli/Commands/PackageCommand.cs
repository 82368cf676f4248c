using System;
using System.CommandLine;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Cli.CommandLine;
using DurableGen.Cli.Formatting;
using DurableGen.Deployment;
using Spectre.Console;

namespace DurableGen.Cli.Commands;

/// <summary><c>durablegen package</c>: the Native AOT bootstrap per architecture, zipped, and template.yaml for
/// <c>sam deploy</c>.</summary>
internal sealed class PackageCommand : Command
{
    private static readonly string[] Architectures = ["x86_64", "arm64"];
    private readonly CliContext _cli;
    private readonly Argument<string> _project = CliOptions.Project("The project to package");
    private readonly Option<string?> _configuration = new("--configuration", "-c")
    {
        Description = "The build configuration (default Release).",
        HelpName = "configuration",
    };

    private readonly Option<string[]?> _arch = new("--arch")
    {
        Description = "Only these architectures, comma-separated (default: every one the functions declare).",
        HelpName = "x86_64,arm64",
        CustomParser = result =>
        {
            var values = result.Tokens.Single().Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            foreach (var value in values.Where(v => !Architectures.Contains(v)))
            {
                result.AddError($"--arch takes x86_64 and arm64, not '{value}'.");
            }

            return values;
        },
    };

    private readonly Option<string?> _output = new("--output")
    {
        Description = "Where template.yaml and the zips go (default: the project folder, zips in bin/lambda).",
        HelpName = "dir",
    };

    public PackageCommand(CliContext cli)
        : base("package", "Publish the Native AOT bootstrap for each architecture the functions use, zip it, and write " +
                          "template.yaml for sam deploy (plain CloudFormation: functions, roles, versions and aliases).")
    {
        _cli = cli;
        _configuration.CompletionSources.Add("Debug", "Release");
        _arch.CompletionSources.Add("x86_64", "arm64", "x86_64,arm64");
        Add(_project);
        Add(_configuration);
        Add(_arch);
        Add(_output);
        SetAction((parse, _) => ExecuteAsync(parse, cli.Shutdown.Token));
    }

    private async Task<int> ExecuteAsync(ParseResult parse, CancellationToken cancellationToken)
    {
        var project = parse.GetValue(_project)!;
        PackageResult result;
        try
        {
            result = await _cli.Terminal.StatusAsync($"packaging {project} ...", quiet: false, async log =>
            {
                using var writer = new LineWriter(log);
                return await Packager.PackageAsync(new PackageOptions
                {
                    Project = project,
                    Configuration = parse.GetValue(_configuration) ?? "Release",
                    Architectures = parse.GetResult(_arch) is null ? null : parse.GetValue(_arch),
                    OutputDirectory = parse.GetValue(_output),
                    Log = writer,
                }, cancellationToken);
            });
        }
        catch (Exception ex) when (ex is PackagingException or InvalidOperationException or FormatException or IOException or BadImageFormatException)
        {
            throw new CliException(ex.Message);
        }

        var template = Path.GetRelativePath(Environment.CurrentDirectory, result.TemplatePath);
        _cli.Terminal.Out.WriteLine($"wrote {template}; deploy it with:");
        _cli.Terminal.Out.WriteLine($"  sam deploy --guided --template-file {template} --capabilities CAPABILITY_IAM");
        return 0;
    }
}
