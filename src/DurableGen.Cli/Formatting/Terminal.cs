using System;
using System.Threading.Tasks;
using Spectre.Console;

namespace DurableGen.Cli.Formatting;

/// <summary>
/// Where people read the CLI: standard output and standard error as Spectre consoles. Colour, styles and the spinner
/// only reach a terminal: a redirected stream gets plain text (no ANSI escape, tables as plain columns), <c>NO_COLOR</c>
/// turns colour off and <c>TERM=dumb</c> every escape. Lines are never broken (<see cref="Out"/>, <see cref="Error"/>):
/// a terminal wraps them softly, so an ARN, a callback id or a command copies whole; only tables and the spinner are
/// laid out to the terminal's width (<see cref="Tables"/>, <see cref="Progress"/>). What scripts read (<c>--json</c>)
/// is written to <see cref="System.Console.Out"/> directly, never through these.
/// </summary>
internal sealed class Terminal
{
    /// <summary>Wide enough that Spectre never breaks a line.</summary>
    private const int Unbroken = 4096;

    private Terminal(bool outIsTerminal, bool errorIsTerminal, bool noColor)
    {
        OutIsTerminal = outIsTerminal;
        ErrorIsTerminal = errorIsTerminal;
        Out = Console(System.Console.Out, outIsTerminal, noColor, Unbroken);
        Tables = Console(System.Console.Out, outIsTerminal, noColor, outIsTerminal ? null : Unbroken);
        Error = Console(System.Console.Error, errorIsTerminal, noColor, Unbroken);
        Progress = Console(System.Console.Error, errorIsTerminal, noColor, errorIsTerminal ? null : Unbroken);
    }

    /// <summary>Standard output, line by line.</summary>
    public IAnsiConsole Out { get; }

    /// <summary>Standard output for tables, laid out to the terminal's width.</summary>
    public IAnsiConsole Tables { get; }

    /// <summary>Whether standard output is a terminal (tables get rules there, plain columns elsewhere).</summary>
    public bool OutIsTerminal { get; }

    /// <summary>Standard error, line by line: notices, function output and errors.</summary>
    public IAnsiConsole Error { get; }

    /// <summary>Standard error for the spinner and the progress lines above it.</summary>
    public IAnsiConsole Progress { get; }

    /// <summary>Whether standard error is a terminal that shows a spinner.</summary>
    public bool ErrorIsTerminal { get; }

    public static Terminal Create()
    {
        var noColor = !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        var dumb = Environment.GetEnvironmentVariable("TERM") == "dumb";
        return new Terminal(!System.Console.IsOutputRedirected && !dumb, !System.Console.IsErrorRedirected && !dumb, noColor);
    }

    private static IAnsiConsole Console(System.IO.TextWriter writer, bool terminal, bool noColor, int? width)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal && !noColor ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Interactive = terminal ? InteractionSupport.Detect : InteractionSupport.No,
            Out = new AnsiConsoleOutput(writer),
        });
        if (width is { } columns)
        {
            console.Profile.Width = columns;
        }

        return console;
    }

    /// <summary>Writes <c>error: message</c> to standard error.</summary>
    public void Fail(string message) => Error.MarkupLineInterpolated($"[red]error:[/] {message}");

    /// <summary>Writes a notice to standard error, dimmed on a terminal.</summary>
    public void Notice(string message) => Error.MarkupLineInterpolated($"[grey]{message}[/]");

    /// <summary>Runs <paramref name="work"/> under a spinner that says <paramref name="status"/> on a terminal; elsewhere
    /// writes the status once (unless <paramref name="quiet"/>).</summary>
    public Task<T> StatusAsync<T>(string status, bool quiet, Func<Task<T>> work) =>
        StatusAsync(status, quiet, _ => work());

    /// <summary><see cref="StatusAsync{T}(string, bool, Func{Task{T}})"/> for work that reports progress: each line it
    /// gives is written to standard error (above the spinner, which shows the latest).</summary>
    public async Task<T> StatusAsync<T>(string status, bool quiet, Func<Action<string>, Task<T>> work)
    {
        if (quiet)
        {
            return await work(_ => { });
        }

        if (!ErrorIsTerminal)
        {
            Error.WriteLine(status);
            return await work(line => Error.WriteLine(line));
        }

        return await Progress.Status().Spinner(Spinner.Known.Dots).StartAsync(Markup.Escape(status), context => work(line =>
        {
            Progress.WriteLine(line);
            context.Status(Markup.Escape(line));
        }));
    }
}
