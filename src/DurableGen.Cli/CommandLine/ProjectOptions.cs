using System.CommandLine;
using DurableGen.Cli.Local;

namespace DurableGen.Cli.CommandLine;

/// <summary>How <c>serve --project</c> and <c>run</c> build a project and run its functions: <c>--template</c>,
/// <c>-c/--configuration</c>, <c>--no-build</c>, <c>--concurrency</c>, <c>--bootstrap</c> and <c>--no-traces</c>.</summary>
internal sealed class ProjectOptions
{
    public Option<string?> Template { get; } = new("--template")
    {
        Description = "Run the functions of this template instead of the one the project's attributes make " +
                      "(obj/durablegen/template.yaml).",
        HelpName = "file",
    };

    public Option<string?> Configuration { get; } = Configured();

    public Option<bool> NoBuild { get; } = new("--no-build") { Description = "Use what is built already (with -c)." };

    public Option<int?> Concurrency { get; } = CliOptions.Concurrency();

    public Option<string?> Bootstrap { get; } = new("--bootstrap")
    {
        Description = "Run every function as this published native executable (the Native AOT bootstrap, its folder or " +
                      "its deployment zip bin/lambda/bootstrap-<arch>.zip) instead of dotnet <the built assembly>.",
        HelpName = "path",
    };

    public Option<bool> NoTraces { get; } = new("--no-traces")
    {
        Description = "Do not point the functions' OpenTelemetry exporter at the service (OTEL_EXPORTER_OTLP_ENDPOINT); " +
                      "an OTEL_EXPORTER_OTLP_ENDPOINT you set is always kept.",
    };

    public void AddTo(Command command)
    {
        command.Add(Template);
        command.Add(Configuration);
        command.Add(NoBuild);
        command.Add(Concurrency);
        command.Add(Bootstrap);
        command.Add(NoTraces);
    }

    public ProjectBuild Build(ParseResult parse) => new(parse.GetValue(Configuration), parse.GetValue(NoBuild));

    private static Option<string?> Configured()
    {
        var option = new Option<string?>("--configuration", "-c")
        {
            Description = "The build configuration (default Debug).",
            HelpName = "configuration",
        };
        option.CompletionSources.Add("Debug", "Release");
        return option;
    }
}
