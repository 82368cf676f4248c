using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;

namespace DurableGen.TestSupport.RandomPrograms;

/// <summary>
/// The random workflow programs of the crash tests (design §5): a program is a list of nodes (steps, waits, callbacks,
/// child contexts, batches, polls, chained invokes) that <see cref="ProgramInterpreter"/> runs over a durable context.
/// One model for the in-process crash-anywhere property test and the kill -9 soak on the local service, where the
/// program travels to a real function process as text (<see cref="ProgramText"/>).
/// </summary>
internal abstract record Node(string Name);

/// <summary>
/// A step whose body fails its first <paramref name="FailFirst"/> attempts, retried after <paramref name="Delay"/> s. When
/// <paramref name="Exhausts"/> (at-least-once only) the strategy gives up after those attempts, so the step fails and the
/// interpreter folds the <c>StepException</c> into the result.
/// </summary>
internal sealed record StepNode(string Name, int Value, bool AtMostOnce, int FailFirst, int Delay, bool Exhausts = false)
    : Node(Name);

internal sealed record WaitNode(string Name, int Seconds) : Node(Name);

/// <summary>A callback the test answers with success or failure, created directly or through WaitForCallbackAsync.</summary>
internal sealed record CallbackNode(string Name, bool Succeeds, bool ViaWaitFor) : Node(Name);

/// <summary>A child context; <paramref name="Flat"/> ones have no record of their own.</summary>
internal sealed record ChildNode(string Name, IReadOnlyList<Node> Children, bool Flat = false) : Node(Name);

/// <summary>A parallel run one branch at a time (deterministic history); each branch is one node, all must run.</summary>
internal sealed record ParallelNode(string Name, IReadOnlyList<Node> Branches) : Node(Name);

/// <summary>A map run one item at a time; item i runs the step <c>Items[i]</c> in its iteration context.</summary>
internal sealed record MapNode(string Name, IReadOnlyList<StepNode> Items) : Node(Name);

/// <summary>A wait-for-condition counting from 0 to <paramref name="Target"/>, polling every <paramref name="Delay"/> s.</summary>
internal sealed record PollNode(string Name, int Target, int Delay) : Node(Name);

/// <summary>A chained invoke of the plain target that answers <c>value + 1</c>.</summary>
internal sealed record InvokeNode(string Name, int Value) : Node(Name);

internal static class NodeExtensions
{
    public static IEnumerable<Node> Flatten(this IEnumerable<Node> nodes) => nodes.SelectMany(n => n switch
    {
        ChildNode c => new[] { n }.Concat(c.Children.Flatten()),
        ParallelNode p => new[] { n }.Concat(p.Branches.Flatten()),
        MapNode m => new[] { n }.Concat(m.Items.Flatten()),
        _ => new[] { n },
    });
}

internal static class ProgramLimits
{
    /// <summary>Step attempts allowed: enough for two planned failures plus an interruption per crash.</summary>
    public const int MaxAttempts = 8;
}

/// <summary>A program as compact JSON text, so a function process can take it as (part of) its input.</summary>
internal static class ProgramText
{
    public static string Write(IReadOnlyList<Node> program)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteList(writer, program);
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    public static IReadOnlyList<Node> Read(string text)
    {
        using var document = JsonDocument.Parse(text);
        return ReadList(document.RootElement);
    }

    private static void WriteList(Utf8JsonWriter writer, IEnumerable<Node> nodes)
    {
        writer.WriteStartArray();
        foreach (var node in nodes)
        {
            writer.WriteStartObject();
            writer.WriteString("n", node.Name);
            switch (node)
            {
                case StepNode s:
                    writer.WriteString("k", "step");
                    writer.WriteNumber("v", s.Value);
                    writer.WriteBoolean("amo", s.AtMostOnce);
                    writer.WriteNumber("ff", s.FailFirst);
                    writer.WriteNumber("d", s.Delay);
                    writer.WriteBoolean("ex", s.Exhausts);
                    break;
                case WaitNode w:
                    writer.WriteString("k", "wait");
                    writer.WriteNumber("s", w.Seconds);
                    break;
                case CallbackNode c:
                    writer.WriteString("k", "callback");
                    writer.WriteBoolean("ok", c.Succeeds);
                    writer.WriteBoolean("wf", c.ViaWaitFor);
                    break;
                case ChildNode c:
                    writer.WriteString("k", "child");
                    writer.WriteBoolean("flat", c.Flat);
                    writer.WritePropertyName("c");
                    WriteList(writer, c.Children);
                    break;
                case ParallelNode p:
                    writer.WriteString("k", "parallel");
                    writer.WritePropertyName("c");
                    WriteList(writer, p.Branches);
                    break;
                case MapNode m:
                    writer.WriteString("k", "map");
                    writer.WritePropertyName("c");
                    WriteList(writer, m.Items);
                    break;
                case PollNode p:
                    writer.WriteString("k", "poll");
                    writer.WriteNumber("t", p.Target);
                    writer.WriteNumber("d", p.Delay);
                    break;
                case InvokeNode i:
                    writer.WriteString("k", "invoke");
                    writer.WriteNumber("v", i.Value);
                    break;
                default:
                    throw new InvalidOperationException($"Unknown node {node}");
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
    }

    private static Node[] ReadList(JsonElement array) => array.EnumerateArray().Select(ReadNode).ToArray();

    private static Node ReadNode(JsonElement e)
    {
        var name = e.GetProperty("n").GetString()!;
        return e.GetProperty("k").GetString() switch
        {
            "step" => new StepNode(name, e.GetProperty("v").GetInt32(), e.GetProperty("amo").GetBoolean(),
                e.GetProperty("ff").GetInt32(), e.GetProperty("d").GetInt32(), e.GetProperty("ex").GetBoolean()),
            "wait" => new WaitNode(name, e.GetProperty("s").GetInt32()),
            "callback" => new CallbackNode(name, e.GetProperty("ok").GetBoolean(), e.GetProperty("wf").GetBoolean()),
            "child" => new ChildNode(name, ReadList(e.GetProperty("c")), e.GetProperty("flat").GetBoolean()),
            "parallel" => new ParallelNode(name, ReadList(e.GetProperty("c"))),
            "map" => new MapNode(name, ReadList(e.GetProperty("c")).Cast<StepNode>().ToArray()),
            "poll" => new PollNode(name, e.GetProperty("t").GetInt32(), e.GetProperty("d").GetInt32()),
            "invoke" => new InvokeNode(name, e.GetProperty("v").GetInt32()),
            var kind => throw new FormatException($"Unknown node kind {kind}"),
        };
    }
}
