using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Validation;
using Xunit;

namespace DurableGen.Conformance.Tests;

public sealed class HistoryMatcherTests
{
    private static List<string> Match(string expectedJson, string actualJson, PlaceholderContext? context = null) =>
        HistoryMatcher.Match(JsonNode.Parse(expectedJson)!.AsArray(), JsonNode.Parse(actualJson)!.AsArray(),
            context ?? new PlaceholderContext());

    private static List<string> Value(string expectedJson, string actualJson, PlaceholderContext? context = null)
    {
        var errors = new List<string>();
        HistoryMatcher.MatchValue(JsonNode.Parse(expectedJson), JsonNode.Parse(actualJson), "v", context ?? new PlaceholderContext(), errors);
        return errors;
    }

    [Theory]
    [InlineData("{}", "{\"a\":1}", true)]
    [InlineData("{}", "\"text\"", true)] // {} accepts any value, not only mappings
    [InlineData("{}", "null", true)]
    [InlineData("\"*\"", "[1,2]", true)]
    [InlineData("\"*\"", "null", true)]
    [InlineData("\"2\"", "2", false)] // strings and numbers are never coerced
    [InlineData("2", "\"2\"", false)]
    [InlineData("2", "2.0", true)] // numbers compare numerically
    [InlineData("1", "true", true)] // Python: True == 1
    [InlineData("false", "false", true)]
    [InlineData("false", "0", true)]
    [InlineData("\"a\"", "\"a\"", true)]
    [InlineData("null", "null", true)]
    [InlineData("null", "\"\"", false)]
    [InlineData("{\"a\":1}", "{\"a\":1,\"b\":2}", true)] // subset match
    [InlineData("{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", true)]
    [InlineData("[1,2]", "[1,2]", true)]
    [InlineData("[2,1]", "[1,2]", false)]
    [InlineData("[1]", "[1,2]", false)] // list length
    [InlineData("[\"*\",\"*\"]", "[1,2]", true)]
    [InlineData("{\"a\":1}", "\"a\"", false)] // mapping vs non-mapping falls to literal comparison
    public void Literal_rules(string expected, string actual, bool matches) =>
        Assert.Equal(matches, Value(expected, actual).Count == 0);

    [Theory]
    [InlineData("{\"StepStartedDetails\":{}}", "{\"StepStartedDetails\":{}}", true)]
    [InlineData("{\"StepStartedDetails\":{}}", "{}", false)] // {} still requires the key
    [InlineData("{\"InvocationCompletedDetails\":\"*\"}", "{}", false)] // '*' still requires the key
    [InlineData("{\"Name\":\"${NAME1}\"}", "{}", false)] // a placeholder requires the key
    [InlineData("{\"Input\":\"*\"}", "{\"Input\":null}", true)] // present with null is present
    public void Key_presence_is_required_even_for_wildcards(string expected, string actual, bool matches)
    {
        var errors = Value(expected, actual);
        Assert.Equal(matches, errors.Count == 0);
        if (!matches)
        {
            Assert.Contains("key missing", errors.Single());
        }
    }

    [Fact]
    public void List_length_mismatch_is_reported_with_the_path()
    {
        var errors = Value("{\"Items\":[1,2,3]}", "{\"Items\":[1,2]}");
        Assert.Equal("v.Items: list length mismatch: expected 3, got 2", Assert.Single(errors));
    }

    [Fact]
    public void Placeholder_binds_on_first_encounter_and_compares_afterwards()
    {
        var context = new PlaceholderContext();
        var expected = """
            [{"EventId":2,"Id":"${ID1}"},{"EventId":3,"Id":"${ID1}"},{"EventId":4,"Id":"${ID2}"}]
            """;
        Assert.Empty(Match(expected, """[{"EventId":1},{"EventId":2,"Id":"a"},{"EventId":3,"Id":"a"},{"EventId":4,"Id":"b"}]""", context));
        Assert.True(context.TryGet("ID1", out var id1));
        Assert.Equal("a", Py.Str(id1));

        var errors = Match(expected, """[{"EventId":2,"Id":"a"},{"EventId":3,"Id":"x"},{"EventId":4,"Id":"b"}]""", new PlaceholderContext());
        Assert.Equal("Event[EventId=3].Id: expected ${ID1} = 'a', got 'x'", Assert.Single(errors));
    }

    [Fact]
    public void Two_names_may_bind_the_same_value()
    {
        var errors = Match("""[{"EventId":2,"Id":"${A}"},{"EventId":3,"Id":"${B}"}]""",
            """[{"EventId":2,"Id":"same"},{"EventId":3,"Id":"same"}]""");
        Assert.Empty(errors);
    }

    [Fact]
    public void Placeholder_binds_any_json_type_and_keeps_it()
    {
        var context = new PlaceholderContext();
        Assert.Empty(Value("{\"N\":\"${N}\",\"O\":\"${O}\",\"Z\":\"${Z}\"}", "{\"N\":5,\"O\":{\"k\":[1]},\"Z\":null}", context));
        Assert.True(context.TryGet("N", out var n));
        Assert.Equal(System.Text.Json.JsonValueKind.Number, JsonValueKindOf(n));
        Assert.True(context.TryGet("Z", out var z));
        Assert.Null(z);
        Assert.NotEmpty(Value("\"${N}\"", "\"5\"", context)); // type-sensitive re-use
        Assert.Empty(Value("\"${O}\"", "{\"k\":[1]}", context));
    }

    [Fact]
    public void Variables_are_equality_checks_not_fresh_bindings()
    {
        var context = new PlaceholderContext();
        context.EvaluateVariables(new JsonObject { ["CB_NAME"] = "abc" });
        Assert.Empty(Value("\"${CB_NAME}\"", "\"abc\"", context));
        Assert.Equal("v: expected ${CB_NAME} = 'abc', got 'other'", Assert.Single(Value("\"${CB_NAME}\"", "\"other\"", context)));
    }

    [Fact]
    public void Binding_order_is_list_order_then_key_order()
    {
        var context = new PlaceholderContext();
        Value("{\"First\":\"${X}\",\"Second\":\"${X}\"}", "{\"Second\":2,\"First\":1}", context);
        Assert.True(context.TryGet("X", out var x));
        Assert.Equal("1", Py.Str(x)); // expected key order decides, not the actual object's
    }

    [Theory]
    [InlineData("\"${/^[0-5]$/}\"", "3", true)] // regex over str() of an integer
    [InlineData("\"${/^[0-5]$/}\"", "7", false)]
    [InlineData("\"${/^([0-9]|10)$/}\"", "10", true)]
    [InlineData("\"${/^([0-9]|10)$/}\"", "11", false)]
    [InlineData("\"${/.*TransientError$/}\"", "\"My.Namespace.TransientError\"", true)]
    [InlineData("\"${/wrapped/}\"", "\"{\\\"wrapped\\\":\\\"x\\\"}\"", true)] // search, not full match
    [InlineData("\"${/^True$/}\"", "true", true)] // str(True)
    [InlineData("\"${/^None$/}\"", "null", true)]
    [InlineData("\"${/(?i)HELLO/}\"", "\"hello\"", true)]
    public void Regex_rule_searches_python_str_of_the_value(string expected, string actual, bool matches) =>
        Assert.Equal(matches, Value(expected, actual).Count == 0);

    [Fact]
    public void Regex_form_never_binds()
    {
        var context = new PlaceholderContext();
        Value("\"${/abc/}\"", "\"abc\"", context);
        Assert.Empty(context.Names);
    }

    [Fact]
    public void Embedded_placeholders_are_substituted_in_literal_strings()
    {
        var context = new PlaceholderContext();
        context.Bind("INPUT_1", JsonValue.Create("abc"));
        Assert.Empty(Value("\"\\\"${INPUT_1}\\\"\"", "\"\\\"abc\\\"\"", context));
        Assert.Empty(Value("\"Hello, ${INPUT_1}!\"", "\"Hello, abc!\"", context));
        Assert.NotEmpty(Value("\"Hello, ${INPUT_1}!\"", "\"Hello, abd!\"", context));
        // Unbound names stay literal inside a longer string.
        Assert.Empty(Value("\"x-${UNBOUND}\"", "\"x-${UNBOUND}\"", context));
    }

    [Fact]
    public void Whole_value_placeholder_pattern_is_greedy()
    {
        var context = new PlaceholderContext();
        Assert.Empty(Value("\"${A}-${B}\"", "\"anything\"", context));
        Assert.True(context.IsBound("A}-${B")); // read as one strange name, as in Python
    }

    [Fact]
    public void Missing_event_id_and_shifted_ids_fail()
    {
        var errors = Match("""[{"EventId":5,"EventType":"StepStarted"}]""", """[{"EventId":1},{"EventId":2}]""");
        Assert.Contains("Event[EventId=5]: no event with this EventId", Assert.Single(errors));

        // One surplus event shifts every later id.
        errors = Match("""[{"EventId":2,"EventType":"StepStarted"},{"EventId":3,"EventType":"StepSucceeded"}]""",
            """[{"EventId":1},{"EventId":2,"EventType":"StepStarted"},{"EventId":3,"EventType":"InvocationCompleted"},{"EventId":4,"EventType":"StepSucceeded"}]""");
        Assert.Equal("Event[EventId=3].EventType: expected 'StepSucceeded', got 'InvocationCompleted'", Assert.Single(errors));
    }

    [Fact]
    public void Unlisted_ids_are_not_looked_at()
    {
        Assert.Empty(Match("""[{"EventId":3,"EventType":"X"}]""", """[{"EventId":1},{"EventId":2,"EventType":"Y"},{"EventId":3,"EventType":"X"}]"""));
    }

    [Fact]
    public void All_errors_are_collected_with_paths()
    {
        var errors = Match("""[{"EventId":2,"A":1,"B":{"C":2}},{"EventId":3,"A":1}]""",
            """[{"EventId":2,"A":0,"B":{"C":3}},{"EventId":3,"A":0}]""");
        Assert.Equal(new[]
        {
            "Event[EventId=2].A: expected 1, got 0",
            "Event[EventId=2].B.C: expected 2, got 3",
            "Event[EventId=3].A: expected 1, got 0",
        }, errors);
    }

    [Fact]
    public void Expected_event_without_event_id_is_an_error()
    {
        Assert.Contains("EventId", Assert.Single(Match("""[{"EventType":"X"}]""", """[{"EventId":1}]""")));
    }

    [Fact]
    public void Name_repair_copies_the_wait_for_callback_parent_name()
    {
        var events = JsonNode.Parse("""
            [
              {"EventId":2,"EventType":"ContextStarted","SubType":"WaitForCallback","Id":"p","Name":"approve"},
              {"EventId":3,"EventType":"CallbackStarted","Id":"c","ParentId":"p"},
              {"EventId":4,"EventType":"StepStarted","Id":"s","ParentId":"p"},
              {"EventId":5,"EventType":"StepSucceeded","Id":"s","ParentId":"p"},
              {"EventId":6,"EventType":"CallbackSucceeded","Id":"c","ParentId":"p"},
              {"EventId":7,"EventType":"StepStarted","Id":"t","ParentId":"p","Name":"own"},
              {"EventId":8,"EventType":"ContextStarted","SubType":"RunInChildContext","Id":"q","Name":"ctx"},
              {"EventId":9,"EventType":"StepStarted","Id":"u","ParentId":"q"}
            ]
            """)!.AsArray();
        HistoryMatcher.RepairNames(events);
        Assert.Equal("approve", Py.Str(events[1]!["Name"]));
        Assert.Equal("approve", Py.Str(events[2]!["Name"]));
        Assert.Equal("approve", Py.Str(events[3]!["Name"]));
        Assert.False(events[4]!.AsObject().ContainsKey("Name")); // CallbackSucceeded is not repaired
        Assert.Equal("own", Py.Str(events[5]!["Name"])); // an existing name is kept
        Assert.False(events[7]!.AsObject().ContainsKey("Name")); // parent is not a wait-for-callback
    }

    [Theory]
    [InlineData("""{"Events":[{"EventType":"ExecutionStarted"}]}""", null)]
    [InlineData("""{"Events":[{"EventType":"ExecutionStarted"},{"EventType":"ExecutionSucceeded"}]}""", "SUCCEEDED")]
    [InlineData("""{"Events":[{"EventType":"ExecutionFailed"}]}""", "FAILED")]
    [InlineData("""{"ExecutionStatus":"RUNNING","Events":[{"EventType":"ExecutionFailed"}]}""", "RUNNING")]
    public void Terminal_status_prefers_the_top_level_status_then_the_last_terminal_event(string json, string? status) =>
        Assert.Equal(status, HistoryMatcher.TerminalStatus(JsonNode.Parse(json)!.AsObject()));

    private static System.Text.Json.JsonValueKind JsonValueKindOf(JsonNode? node) => Py.Kind(node);
}
