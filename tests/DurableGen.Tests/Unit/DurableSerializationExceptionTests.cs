using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Serialization;
using Xunit;

namespace DurableGen.Tests.Unit;

public class DurableSerializationExceptionTests
{
    public sealed record Receipt(string Id);

    public sealed class Outer
    {
        public sealed record Inner(int N);
    }

    [Fact]
    public void Message_names_the_value_the_type_and_the_attribute_to_add()
    {
        // A real failure: the context has no metadata for Receipt.
        var serializer = new JsonDurableSerializer(EmptyJson.Default);
        var inner = Assert.ThrowsAny<Exception>(() => serializer.Serialize(new Receipt("r-1")));

        var ex = DurableSerializationException.ForValue("the result of step 'charge'", typeof(Receipt), false, inner);

        Assert.Same(inner, ex.InnerException);
        Assert.Equal("DurableGen.Tests.Unit.DurableSerializationExceptionTests.Receipt", ex.ValueType);
        Assert.StartsWith("The result of step 'charge' could not be serialized as DurableGen.Tests.Unit.DurableSerializationExceptionTests.Receipt: ",
            ex.Message, StringComparison.Ordinal);
        Assert.Contains(inner.Message, ex.Message, StringComparison.Ordinal);
        Assert.Contains("Add [JsonSerializable(typeof(DurableGen.Tests.Unit.DurableSerializationExceptionTests.Receipt))]",
            ex.Message, StringComparison.Ordinal);
        Assert.Single(ex.Message.Split("[JsonSerializable(").Skip(1)); // the fix is said once, not twice
        Assert.EndsWith("This is a programming error, so it is not retried.", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Another_serializers_failure_gets_the_attribute_to_add()
    {
        var ex = DurableSerializationException.ForValue("the workflow's result", typeof(List<Receipt>), false,
            new NotSupportedException("no metadata"));

        Assert.Contains("no metadata Add [JsonSerializable(typeof(System.Collections.Generic.List<DurableGen.Tests.Unit.DurableSerializationExceptionTests.Receipt>))] to the workflow's JsonSerializerContext",
            ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_a_custom_serializer_the_message_points_at_it()
    {
        var ex = DurableSerializationException.ForValue("the state of wait-for-condition 'poll'", typeof(int), true,
            new FormatException("bad"));

        Assert.Contains("Fix the operation's ICheckpointSerializer", ex.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("JsonSerializable", ex.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(typeof(int), "System.Int32")]
    [InlineData(typeof(int?), "System.Int32?")]
    [InlineData(typeof(string[]), "System.String[]")]
    [InlineData(typeof(int[,]), "System.Int32[,]")]
    [InlineData(typeof(List<Receipt>), "System.Collections.Generic.List<DurableGen.Tests.Unit.DurableSerializationExceptionTests.Receipt>")]
    [InlineData(typeof(Dictionary<string, List<int?>>), "System.Collections.Generic.Dictionary<System.String, System.Collections.Generic.List<System.Int32?>>")]
    [InlineData(typeof(Outer.Inner), "DurableGen.Tests.Unit.DurableSerializationExceptionTests.Outer.Inner")]
    public void Type_names_are_written_as_typeof_takes_them(Type type, string expected) =>
        Assert.Equal(expected, TypeNames.Display(type));
}

[JsonSerializable(typeof(string))]
internal sealed partial class EmptyJson : JsonSerializerContext;
