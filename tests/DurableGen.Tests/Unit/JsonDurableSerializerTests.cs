using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;
using Xunit;

namespace DurableGen.Tests.Unit;

public sealed record TestOrder(int Id, string Customer, decimal Amount, IReadOnlyList<string> Tags);

public sealed class NotInContext
{
    public int Value { get; set; }
}

[JsonSerializable(typeof(TestOrder))]
[JsonSerializable(typeof(string))]
internal sealed partial class TestJsonContext : JsonSerializerContext
{
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(TestOrder))]
internal sealed partial class CamelCaseTestJsonContext : JsonSerializerContext
{
}

public class JsonDurableSerializerTests
{
    private readonly JsonDurableSerializer _serializer = new(TestJsonContext.Default);

    [Fact]
    public void Null_context_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => new JsonDurableSerializer(null!));
    }

    [Fact]
    public void A_record_round_trips()
    {
        var order = new TestOrder(42, "kim", 42.50m, ["rush", "gift"]);

        var text = _serializer.Serialize(order);
        var back = _serializer.Deserialize<TestOrder>(text)!;

        Assert.Equal("""{"Id":42,"Customer":"kim","Amount":42.50,"Tags":["rush","gift"]}""", text);
        Assert.Equal(order.Id, back.Id);
        Assert.Equal(order.Customer, back.Customer);
        Assert.Equal(order.Amount, back.Amount);
        Assert.Equal(order.Tags, back.Tags);
    }

    [Fact]
    public void A_string_round_trips_as_json_text()
    {
        var text = _serializer.Serialize("shipped");

        Assert.Equal("\"shipped\"", text);
        Assert.Equal("shipped", _serializer.Deserialize<string>(text));
    }

    [Fact]
    public void Output_uses_the_relaxed_encoder()
    {
        var text = _serializer.Serialize("a+b <é> & \"q\"");

        Assert.Equal("\"a+b <é> & \\\"q\\\"\"", text);
    }

    [Fact]
    public void Null_text_gives_default()
    {
        Assert.Null(_serializer.Deserialize<TestOrder>(null));
        Assert.Null(_serializer.Deserialize<string>(null));
    }

    [Fact]
    public void Json_null_text_gives_null()
    {
        Assert.Null(_serializer.Deserialize<TestOrder>("null"));
        Assert.Equal("null", _serializer.Serialize<string?>(null));
    }

    [Fact]
    public void Invalid_json_throws_a_JsonException()
    {
        Assert.ThrowsAny<JsonException>(() => _serializer.Deserialize<TestOrder>("{not json"));
    }

    [Fact]
    public void Serializing_a_type_missing_from_the_context_names_the_type_and_the_fix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _serializer.Serialize(new NotInContext { Value = 1 }));

        Assert.Contains(typeof(NotInContext).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains($"[JsonSerializable(typeof({typeof(NotInContext).FullName}))]", ex.Message, StringComparison.Ordinal);
        Assert.IsType<NotSupportedException>(ex.InnerException);
    }

    [Fact]
    public void Deserializing_a_type_missing_from_the_context_names_the_type_and_the_fix()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => _serializer.Deserialize<NotInContext>("""{"Value":1}"""));

        Assert.Contains(typeof(NotInContext).FullName!, ex.Message, StringComparison.Ordinal);
        Assert.Contains("JsonSerializable", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_context_options_are_kept()
    {
        var serializer = new JsonDurableSerializer(CamelCaseTestJsonContext.Default);
        var order = new TestOrder(1, "ana", 1m, []);

        var text = serializer.Serialize(order);

        Assert.Equal("""{"id":1,"customer":"ana","amount":1,"tags":[]}""", text);
        Assert.Equal("ana", serializer.Deserialize<TestOrder>(text)!.Customer);
    }

    [Fact]
    public void DurableSerialization_registers_a_context_as_the_default()
    {
        var before = DurableSerialization.Default;
        try
        {
            DurableSerialization.Register(TestJsonContext.Default);
            Assert.IsType<JsonDurableSerializer>(DurableSerialization.Default);
            Assert.Equal("\"x\"", DurableSerialization.Default!.Serialize("x"));

            Assert.Throws<ArgumentNullException>(() => DurableSerialization.Register((IDurableSerializer)null!));
        }
        finally
        {
            if (before is not null)
            {
                DurableSerialization.Register(before);
            }
        }
    }
}
