using System.CommandLine;
using DurableGen.Cli.Commands;

namespace DurableGen.Cli.CommandLine;

/// <summary>The <c>durablegen</c> root command: every command, with its help.</summary>
internal sealed class DurablegenCommand : RootCommand
{
    public DurablegenCommand(CliContext cli)
        : base("""
            durablegen: the local durable execution service and its client.

            `run` builds a project, starts a private service with each function of its template as its own process,
            starts one execution and streams its history until it closes. `serve` keeps a service up; `invoke`,
            `callback`, `history` and `executions` talk to it (--endpoint, default $DURABLEGEN_ENDPOINT or
            http://127.0.0.1:5055). `package` publishes the Native AOT bootstrap and writes template.yaml for sam deploy.
            The functions come from the template the project's [DurableWorkflow] and [LambdaFunction] attributes make.
            Tab completion: eval "$(durablegen completions bash)". Guide: docs/guides/cli.md.
            """)
    {
        Add(new RunCommand(cli));
        Add(new ServeCommand(cli));
        Add(new InvokeCommand(cli));
        Add(new CallbackCommand(cli));
        Add(new HistoryCommand(cli));
        Add(new ExecutionsCommand(cli));
        Add(new PackageCommand(cli));
        Add(new CompletionsCommand(cli));

        // `durablegen help` as before: the root's help.
        var help = new Command("help", "Show help.") { Hidden = true };
        help.SetAction(parse => Parse("--help").Invoke());
        Add(help);
    }
}
