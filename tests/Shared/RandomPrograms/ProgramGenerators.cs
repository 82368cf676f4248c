using System;
using System.Collections.Generic;
using System.Linq;
using CsCheck;

namespace DurableGen.TestSupport.RandomPrograms;

/// <summary>Random programs (CsCheck generators): every node kind, nested two deep, batches of units without callbacks.</summary>
internal static class ProgramGenerators
{
    private static readonly Gen<Node> Leaf = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[0, 3],
            (value, failFirst, delay, exhausts) => (Node)new StepNode("", value, false, failFirst, delay, exhausts == 0))),
        (2, Gen.Int[1, 5].Select(seconds => (Node)new WaitNode("", seconds))),
        (2, Gen.Select(Gen.Bool, Gen.Bool, (succeeds, viaWaitFor) => (Node)new CallbackNode("", succeeds, viaWaitFor))),
        (1, Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], (target, delay) => (Node)new PollNode("", target, delay))),
        (1, Gen.Int[0, 99].Select(value => (Node)new InvokeNode("", value))));

    /// <summary>What a batch unit runs: no callbacks (their answers follow program order) and no nested batches.</summary>
    private static readonly Gen<Node> UnitLeaf = Gen.Frequency(
        (4, Gen.Select(Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[1, 2], Gen.Int[0, 3],
            (value, failFirst, delay, exhausts) => (Node)new StepNode("", value, false, failFirst, delay, exhausts == 0))),
        (1, Gen.Int[1, 5].Select(seconds => (Node)new WaitNode("", seconds))),
        (1, Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], (target, delay) => (Node)new PollNode("", target, delay))),
        (1, Gen.Int[0, 99].Select(value => (Node)new InvokeNode("", value))));

    private static readonly Gen<Node> Batch = Gen.Frequency(
        (1, UnitLeaf.Array[0, 3].Select(branches => (Node)new ParallelNode("", branches))),
        (1, Gen.Select(Gen.Int[0, 99], Gen.Int[0, 2], Gen.Int[0, 3],
                (value, failFirst, exhausts) => new StepNode("", value, false, failFirst, 1, exhausts == 0)).Array[0, 3]
            .Select(items => (Node)new MapNode("", items))));

    /// <summary>A random program of one to six top-level nodes, renamed; about half have some at-most-once steps.</summary>
    public static readonly Gen<IReadOnlyList<Node>> Program = Gen.Select(NodeGen(2).Array[1, 6], Gen.Bool,
        Gen.Int[0, 1000], (nodes, allowAtMostOnce, salt) => Rename(allowAtMostOnce ? MakeSomeAtMostOnce(nodes, salt) : nodes));

    /// <summary>Gives every operation a unique name (s1, w2, cb3, ctx4, …) in program order.</summary>
    public static IReadOnlyList<Node> Rename(IReadOnlyList<Node> nodes)
    {
        var counter = 0;
        return Walk(nodes);

        IReadOnlyList<Node> Walk(IReadOnlyList<Node> list) => list.Select(n =>
        {
            var number = ++counter;
            return n switch
            {
                StepNode s => s with { Name = "s" + number },
                WaitNode w => w with { Name = "w" + number },
                CallbackNode c => c with { Name = "cb" + number },
                ChildNode c => (Node)new ChildNode("ctx" + number, Walk(c.Children), c.Flat),
                ParallelNode p => new ParallelNode("par" + number, Walk(p.Branches)),
                MapNode m => new MapNode("map" + number, Walk(m.Items).Cast<StepNode>().ToArray()),
                PollNode p => p with { Name = "poll" + number },
                InvokeNode i => i with { Name = "inv" + number },
                _ => throw new InvalidOperationException(),
            };
        }).ToArray();
    }

    private static Gen<Node> NodeGen(int depth) => depth == 0
        ? Leaf
        : Gen.Frequency((8, Leaf), (2, Gen.Select(NodeGen(depth - 1).Array[0, 3], Gen.Int[0, 3],
            (children, flat) => (Node)new ChildNode("", children, flat == 0))), (2, Batch));

    /// <summary>Turns about half the steps at-most-once, chosen by <paramref name="salt"/> (so shrinking keeps it stable).</summary>
    private static IReadOnlyList<Node> MakeSomeAtMostOnce(IReadOnlyList<Node> nodes, int salt)
    {
        var index = 0;
        return Walk(nodes);

        IReadOnlyList<Node> Walk(IReadOnlyList<Node> list) => list.Select(n => n switch
        {
            // An exhausted at-most-once step would legitimately fail sooner when a crash interrupts an attempt.
            StepNode s when ((salt >> (index++ % 10)) & 1) == 0 => s with { AtMostOnce = true, Exhausts = false },
            ChildNode c => c with { Children = Walk(c.Children) },
            ParallelNode p => p with { Branches = Walk(p.Branches) },
            MapNode m => m with { Items = Walk(m.Items).Cast<StepNode>().ToArray() },
            _ => n,
        }).ToArray();
    }
}

