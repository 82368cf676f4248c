using System;
using System.IO;
using System.Text;

namespace DurableGen.Cli.Formatting;

/// <summary>A <see cref="TextWriter"/> that hands each complete line to <paramref name="line"/> (progress from code that
/// logs to a writer, shown by <see cref="Terminal.StatusAsync{T}(string, bool, Func{Action{string}, System.Threading.Tasks.Task{T}})"/>).</summary>
internal sealed class LineWriter(Action<string> line) : TextWriter
{
    private readonly StringBuilder _pending = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        lock (_pending)
        {
            if (value == '\n')
            {
                var text = _pending.ToString().TrimEnd('\r');
                _pending.Clear();
                line(text);
            }
            else
            {
                _pending.Append(value);
            }
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_pending)
        {
            if (_pending.Length > 0)
            {
                line(_pending.ToString());
                _pending.Clear();
            }
        }

        base.Dispose(disposing);
    }
}
