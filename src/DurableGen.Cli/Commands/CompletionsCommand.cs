using System.CommandLine;
using DurableGen.Cli.CommandLine;

namespace DurableGen.Cli.Commands;

/// <summary>
/// <c>durablegen completions bash|zsh</c>: a script that wires the shell's tab completion to System.CommandLine's
/// <c>[suggest]</c> directive (<c>durablegen "[suggest:POS]" "LINE"</c> prints the candidates), so completions work
/// without installing anything else. <c>dotnet-suggest</c> uses the same directive and works too.
/// </summary>
internal sealed class CompletionsCommand : Command
{
    private const string Bash = """
        # durablegen tab completion for bash: eval "$(durablegen completions bash)" (e.g. in ~/.bashrc)
        _durablegen_complete() {
          local IFS=$'\n'
          COMPREPLY=($(command durablegen "[suggest:${COMP_POINT}]" "${COMP_LINE}" 2>/dev/null))
        }
        complete -o default -F _durablegen_complete durablegen
        """;

    private const string Zsh = """
        # durablegen tab completion for zsh: eval "$(durablegen completions zsh)" (e.g. in ~/.zshrc)
        autoload -U +X bashcompinit && bashcompinit
        """;

    public CompletionsCommand(CliContext cli)
        : base("completions", "Print the tab-completion script of a shell: eval \"$(durablegen completions bash)\" in ~/.bashrc " +
                              "(or zsh in ~/.zshrc).")
    {
        var shell = new Argument<string>("shell") { Description = "bash or zsh." };
        shell.AcceptOnlyFromAmong("bash", "zsh");
        Add(shell);
        SetAction(parse =>
        {
            System.Console.WriteLine(parse.GetValue(shell) == "zsh" ? Zsh + "\n" + Bash : Bash);
            return 0;
        });
    }
}
