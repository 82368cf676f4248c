using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Validation;
using Xunit;

namespace DurableGen.Conformance.Tests;

public sealed class PyAndPlaceholderTests
{
    [Theory]
    [InlineData("\"abc\"", "\"abc\"")]
    [InlineData("42", "42")]
    [InlineData("null", "null")]
    [InlineData("true", "true")]
    [InlineData("{\"status\":\"approved\"}", "{\"status\": \"approved\"}")] // ", " and ": " separators
    [InlineData("{\"a\":1,\"b\":[1,2]}", "{\"a\": 1, \"b\": [1, 2]}")]
    [InlineData("{\"b\":1,\"a\":2}", "{\"b\": 1, \"a\": 2}")] // key order as given
    [InlineData("[]", "[]")]
    [InlineData("{}", "{}")]
    [InlineData("\"caf\\u00e9\"", "\"caf\\u00e9\"")] // ASCII-only, lower-case hex
    [InlineData("\"\\u20AC\"", "\"\\u20ac\"")]
    [InlineData("\"\\ud83d\\ude00\"", "\"\\ud83d\\ude00\"")] // astral characters as surrogate pairs
    [InlineData("\"a\\\"b\\\\c\\nd\\te\"", "\"a\\\"b\\\\c\\nd\\te\"")]
    [InlineData("\"<&'>\"", "\"<&'>\"")] // no HTML escaping
    [InlineData("\"\\u0001\"", "\"\\u0001\"")]
    public void Json_dumps_matches_python_defaults(string json, string dumped) =>
        Assert.Equal(dumped, Py.JsonDumps(JsonNode.Parse(json)));

    [Theory]
    [InlineData("\"abc\"", "abc")]
    [InlineData("42", "42")]
    [InlineData("-7", "-7")]
    [InlineData("1.5", "1.5")]
    [InlineData("true", "True")]
    [InlineData("false", "False")]
    [InlineData("null", "None")]
    [InlineData("[1,\"a\"]", "[1, 'a']")]
    [InlineData("{\"k\":\"v\"}", "{'k': 'v'}")]
    public void Str_matches_python(string json, string text) => Assert.Equal(text, Py.Str(JsonNode.Parse(json)));

    [Theory]
    [InlineData("\"\\\"HELLO\\\"\"", "\"HELLO\"")] // decoded once: a JSON string whose text has quotes
    [InlineData("\"{\\\"a\\\":1}\"", "{\"a\":1}")]
    [InlineData("\"not json\"", null)]
    public void Loads_decodes_exactly_once(string resultTextJson, string? decodedJson)
    {
        var text = JsonNode.Parse(resultTextJson)!.GetValue<string>();
        var decoded = Py.LoadsOrRaw(text);
        if (decodedJson is null)
        {
            Assert.Equal(text, Py.AsString(decoded)); // unparsable: the raw text
        }
        else
        {
            Assert.True(Py.Equal(JsonNode.Parse(decodedJson), decoded));
        }
    }

    [Fact]
    public void Gen_str_values_use_the_alphabet_and_length_and_are_seeded()
    {
        var context = new PlaceholderContext(seed: 7);
        context.EvaluateVariables(new JsonObject
        {
            ["A"] = "${GEN_STR:8}", ["B"] = "${GEN_STR:12}", ["C"] = "plain", ["D"] = 5, ["E"] = true, ["F"] = "x ${GEN_STR:3}",
        });
        Assert.True(context.TryGet("A", out var a));
        Assert.Matches("^[a-z0-9]{8}$", Py.Str(a));
        Assert.True(context.TryGet("B", out var b));
        Assert.Matches("^[a-z0-9]{12}$", Py.Str(b));
        Assert.True(context.TryGet("C", out var c));
        Assert.Equal("plain", Py.AsString(c));
        Assert.True(context.TryGet("D", out var d));
        Assert.Equal("5", Py.AsString(d)); // non-strings bound as their str() text
        Assert.True(context.TryGet("E", out var e));
        Assert.Equal("True", Py.AsString(e));
        Assert.True(context.TryGet("F", out var f));
        Assert.Equal("x ${GEN_STR:3}", Py.AsString(f)); // only the exact form generates

        var again = new PlaceholderContext(seed: 7);
        again.EvaluateVariables(new JsonObject { ["A"] = "${GEN_STR:8}" });
        Assert.True(again.TryGet("A", out var a2));
        Assert.Equal(Py.Str(a), Py.Str(a2));
    }

    [Fact]
    public void Substitution_walks_mappings_and_lists_and_leaves_unknown_names_and_scalars()
    {
        var context = new PlaceholderContext();
        context.Bind("N", JsonValue.Create("x"));
        var result = context.Substitute(JsonNode.Parse("""{"a":"${N}","b":["Hello, ${N}!","${M}",3,true,null],"c":{"d":"${N}${N}"}}"""));
        Assert.True(Py.Equal(JsonNode.Parse("""{"a":"x","b":["Hello, x!","${M}",3,true,null],"c":{"d":"xx"}}"""), result));
    }

    [Fact]
    public void Matcher_bindings_share_the_variables_namespace()
    {
        var context = new PlaceholderContext();
        context.EvaluateVariables(new JsonObject { ["INPUT_1"] = "v" });
        var errors = new System.Collections.Generic.List<string>();
        HistoryMatcher.MatchValue(JsonValue.Create("${ID1}"), JsonValue.Create("op-1"), "p", context, errors);
        Assert.Empty(errors);
        Assert.Equal("op-1 v", context.SubstituteString("${ID1} ${INPUT_1}"));
        Assert.Equal(new[] { "INPUT_1", "ID1" }, context.Names.ToArray());
    }

    [Theory]
    [InlineData("", null)]
    [InlineData("~", null)]
    [InlineData("null", null)]
    [InlineData("Null", null)]
    [InlineData("true", true)]
    [InlineData("yes", true)]
    [InlineData("On", true)]
    [InlineData("no", false)]
    [InlineData("OFF", false)]
    [InlineData("False", false)]
    public void Yaml_plain_scalars_follow_pyyaml_words(string text, bool? expected)
    {
        var node = YamlJson.PlainScalar(text);
        if (expected is null)
        {
            Assert.Null(node);
        }
        else
        {
            Assert.Equal(expected.Value, node!.GetValue<bool>());
        }
    }

    [Fact]
    public void Yaml_typing_distinguishes_plain_and_quoted_scalars()
    {
        var doc = YamlJson.Parse("""
            a: 2
            b: '2'
            c: "true"
            d: true
            e:
            f: Y
            g: '2026-01-01T00:00:00.000Z'
            h: 1_000
            i: -3
            j: |
              line one
              line two
            k: [x, 'y', 3]
            l: {m: n}
            """)!.AsObject();
        Assert.True(Py.IsNumber(doc["a"]));
        Assert.Equal("2", Py.AsString(doc["b"]));
        Assert.Equal("true", Py.AsString(doc["c"]));
        Assert.True(doc["d"]!.GetValue<bool>());
        Assert.True(doc.ContainsKey("e"));
        Assert.Null(doc["e"]);
        Assert.Equal("Y", Py.AsString(doc["f"])); // PyYAML's YAML 1.1 booleans do not include y/n
        Assert.Equal("2026-01-01T00:00:00.000Z", Py.AsString(doc["g"]));
        Assert.Equal("1000", Py.Str(doc["h"]));
        Assert.Equal("-3", Py.Str(doc["i"]));
        Assert.Equal("line one\nline two\n", Py.AsString(doc["j"]));
        Assert.True(Py.Equal(JsonNode.Parse("[\"x\",\"y\",3]"), doc["k"]));
        Assert.True(Py.Equal(JsonNode.Parse("{\"m\":\"n\"}"), doc["l"]));
    }

    [Theory]
    [InlineData("a: 1.5")]
    [InlineData("a: 2026-01-01")]
    [InlineData("a: 0x1F")]
    [InlineData("a: !!str 5")]
    [InlineData("a: [unclosed")]
    public void Yaml_refuses_forms_the_suite_does_not_use(string yaml) =>
        Assert.Throws<System.FormatException>(() => YamlJson.Parse(yaml));

    [Fact]
    public void Requirement_load_validates_shape()
    {
        var ok = Requirement.FromYaml("""
            description: d
            AsyncInvoke: true
            async: true
            Input:
            CallbackActions:
              - CallbackName: '*'
                Operation: SUCCESS
                Delay: 2
              - CallbackName: x
                Operation: heartbeat
            ExpectedExecutionHistory:
              - EventType: StepStarted
                EventId: 2
            ExpectedResult:
              ExecutionStatus: SUCCEEDED
              Result:
            optional: true
            """, "1-1", "step");
        Assert.Null(ok.LoadError);
        Assert.True(ok.AsyncInvoke);
        Assert.True(ok.Optional);
        Assert.Null(ok.Input);
        Assert.Equal("success", ok.CallbackActions[0].Operation);
        Assert.Equal(2, ok.CallbackActions[0].Delay);
        Assert.False(ok.CallbackActions[1].HasPayload);
        Assert.True(ok.ExpectedResult!.ContainsKey("Result"));

        Assert.Contains("EventId", Requirement.FromYaml("ExpectedExecutionHistory:\n  - EventType: X\n", "x", "s").LoadError);
        Assert.Contains("Operation", Requirement.FromYaml("CallbackActions:\n  - CallbackName: a\n    Operation: cancel\n", "x", "s").LoadError);
        Assert.Contains("CallbackName", Requirement.FromYaml("CallbackActions:\n  - Operation: success\n", "x", "s").LoadError);
        Assert.Contains("Delay", Requirement.FromYaml("CallbackActions:\n  - CallbackName: a\n    Operation: success\n    Delay: soon\n", "x", "s").LoadError);
        Assert.NotNull(Requirement.FromYaml("a: 1.5\n", "x", "s").LoadError);
    }

    [Fact]
    public void Requirement_ids_sort_numerically()
    {
        var ids = new[] { "1-10", "10-1", "1-2", "2-1", "1-1" };
        Assert.Equal(new[] { "1-1", "1-2", "1-10", "2-1", "10-1" }, ids.OrderBy(i => i, RequirementOrder.Instance).ToArray());
    }
}
