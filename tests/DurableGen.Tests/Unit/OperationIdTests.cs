using System.Collections.Generic;
using System.Linq;
using System.Threading.Tasks;
using DurableGen.Execution;
using Xunit;

namespace DurableGen.Tests.Unit;

public class OperationIdTests
{
    // semantics.md §2.1 test vectors.
    private const string Root1 = "6b86b273ff34fce19d6b804eff5a3f5747ada4eaa22f1d49c01e52ddb7875b4b";
    private const string Root2 = "d4735e3a265e16eee03f59718b9b5d03019c07d8b6c51f90da3a666eec13ab35";
    private const string Child1Of1 = "2ac06c59dbc2f95f867ebb0f4e986076465c3dfd08e9353610dcf46b8b030df6";
    private const string Child2Of1 = "02639542652da51af1ee1b734ee5663c43baae11fdef37a46a5c463c9dccbbe0";
    private const string Grandchild1 = "dcabffb0c7d5dffe0fe2ad693e622ac30af66aa18c5e4336877480106d1c77d1";

    [Fact]
    public void Root_generator_produces_the_first_two_vectors_and_reports_no_parent()
    {
        var root = OperationIdGenerator.CreateRoot();

        Assert.Null(root.ParentId);
        Assert.Equal(Root1, root.Next());
        Assert.Equal(Root2, root.Next());
    }

    [Fact]
    public void Child_generator_of_root_op_1_produces_positions_1_and_2_and_reports_its_owner()
    {
        var child = OperationIdGenerator.ForChild(Root1);

        Assert.Equal(Root1, child.ParentId);
        Assert.Equal(Child1Of1, child.Next());
        Assert.Equal(Child2Of1, child.Next());
    }

    [Fact]
    public void Grandchild_generator_produces_the_first_op_inside_the_first_child()
    {
        var grandchild = OperationIdGenerator.ForChild(Child1Of1);

        Assert.Equal(Child1Of1, grandchild.ParentId);
        Assert.Equal(Grandchild1, grandchild.Next());
    }

    [Fact]
    public void ChildId_computes_positions_without_allocating()
    {
        Assert.Equal(Child1Of1, OperationIdGenerator.ChildId(Root1, 1));
        Assert.Equal(Child2Of1, OperationIdGenerator.ChildId(Root1, 2));
        Assert.Equal(Grandchild1, OperationIdGenerator.ChildId(Child1Of1, 1));
    }

    [Fact]
    public void Hash_is_lowercase_hex_sha256_of_the_raw_id()
    {
        Assert.Equal(Root1, OperationIdGenerator.Hash("1"));
        Assert.Equal(Child1Of1, OperationIdGenerator.Hash(Root1 + "-1"));
        var id = OperationIdGenerator.Hash("anything");
        Assert.Equal(64, id.Length);
        Assert.All(id, c => Assert.True(c is >= '0' and <= '9' or >= 'a' and <= 'f', $"unexpected char '{c}'"));
    }

    [Fact]
    public void ForVirtualChild_reports_the_given_parent_but_hashes_under_the_owner()
    {
        var flat = OperationIdGenerator.ForVirtualChild(Root1, reportedParentId: null);
        Assert.Null(flat.ParentId);
        Assert.Equal(Child1Of1, flat.Next());
        Assert.Equal(Child2Of1, flat.Next());

        var underParallel = OperationIdGenerator.ForVirtualChild(Child1Of1, reportedParentId: Root1);
        Assert.Equal(Root1, underParallel.ParentId);
        Assert.Equal(Grandchild1, underParallel.Next());
    }

    [Fact]
    public void Generators_count_independently()
    {
        var root = OperationIdGenerator.CreateRoot();
        var child = OperationIdGenerator.ForChild(Root1);

        Assert.Equal(Root1, root.Next());
        Assert.Equal(Child1Of1, child.Next());
        Assert.Equal(Root2, root.Next());
        Assert.Equal(Child2Of1, child.Next());
    }

    [Fact]
    public async Task Concurrent_allocation_never_repeats_a_counter_value()
    {
        var root = OperationIdGenerator.CreateRoot();
        var tasks = Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            var ids = new List<string>();
            for (var i = 0; i < 250; i++)
            {
                ids.Add(root.Next());
            }

            return ids;
        })).ToArray();
        var all = (await Task.WhenAll(tasks)).SelectMany(x => x).ToList();

        Assert.Equal(2000, all.Count);
        Assert.Equal(2000, all.Distinct().Count());
        var expected = Enumerable.Range(1, 2000).Select(n => OperationIdGenerator.Hash(n.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        Assert.True(expected.ToHashSet().SetEquals(all));
    }

    [Fact]
    public void Ids_remembered_across_generators_are_those_of_their_own_prefix_and_position()
    {
        // Each pair runs twice: the second generator of a shape reads the process-wide memo, the first may hash.
        for (var pass = 0; pass < 2; pass++)
        {
            var root = OperationIdGenerator.CreateRoot();
            Assert.Equal(Root1, root.Next());
            Assert.Equal(Root2, root.Next());

            var under1 = OperationIdGenerator.ForChild(Root1);
            var under2 = OperationIdGenerator.ForChild(Root2);
            Assert.Equal(Child1Of1, under1.Next());
            Assert.Equal(OperationIdGenerator.Hash(Root2 + "-1"), under2.Next());
            Assert.Equal(Child2Of1, under1.Next());
            Assert.Equal(OperationIdGenerator.Hash(Root2 + "-2"), under2.Next());

            var flat = OperationIdGenerator.ForVirtualChild(Child1Of1, reportedParentId: Root1);
            Assert.Equal(Grandchild1, flat.Next());
        }
    }

    [Fact]
    public void Positions_past_what_was_remembered_are_hashed_exactly()
    {
        var root = OperationIdGenerator.CreateRoot();
        for (var n = 1; n <= 3000; n++)
        {
            Assert.Equal(OperationIdGenerator.Hash(n.ToString(System.Globalization.CultureInfo.InvariantCulture)), root.Next());
        }
    }
}
