using System.Collections.Generic;
using System.Linq;
using System.Text.Json.Nodes;
using DurableGen.Conformance.Driving;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Running;
using DurableGen.Conformance.Validation;
using Xunit;

namespace DurableGen.Conformance.Tests;

public sealed class ResultValidatorTests
{
    private static List<string> Check(string expected, string execution, PlaceholderContext? context = null) =>
        ResultValidator.Validate(JsonNode.Parse(expected)!.AsObject(), JsonNode.Parse(execution)!.AsObject(),
            context ?? new PlaceholderContext());

    [Theory]
    [InlineData("""{"ExecutionStatus":"SUCCEEDED","Result":"Hello, World!"}""", """{"Status":"SUCCEEDED","Result":"\"Hello, World!\""}""", true)]
    [InlineData("""{"ExecutionStatus":"SUCCEEDED","Result":"\"HELLO\""}""", """{"Status":"SUCCEEDED","Result":"\"\\\"HELLO\\\"\""}""", true)] // one decode only
    [InlineData("""{"ExecutionStatus":"SUCCEEDED","Result":"\"HELLO\""}""", """{"Status":"SUCCEEDED","Result":"\"HELLO\""}""", false)]
    [InlineData("""{"Result":null}""", """{"Status":"SUCCEEDED"}""", true)] // absent result is None
    [InlineData("""{"Result":null}""", """{"Status":"SUCCEEDED","Result":"null"}""", true)]
    [InlineData("""{"Result":{"a":1,"b":[1,2]}}""", """{"Status":"SUCCEEDED","Result":"{\"b\":[1,2],\"a\":1.0}"}""", true)] // key order, 1 == 1.0
    [InlineData("""{"Result":{"a":1}}""", """{"Status":"SUCCEEDED","Result":"{\"a\":1,\"b\":2}"}""", false)] // whole-value equality, not subset
    [InlineData("""{"Result":1}""", """{"Status":"SUCCEEDED","Result":"true"}""", true)] // True == 1
    [InlineData("""{"Result":"2"}""", """{"Status":"SUCCEEDED","Result":"2"}""", false)] // '2' != 2
    [InlineData("""{"Result":"raw text"}""", """{"Status":"SUCCEEDED","Result":"raw text"}""", true)] // unparsable stays raw
    [InlineData("""{"ExecutionStatus":"SUCCEEDED"}""", """{"Status":"SUCCEEDED","Result":"\"x\""}""", true)] // no Result key: not compared
    [InlineData("""{"ExecutionStatus":"FAILED","Result":"x"}""", """{"Status":"FAILED","Error":{"ErrorType":"E"}}""", true)] // not SUCCEEDED: nothing more
    public void Result_rules(string expected, string execution, bool passes) =>
        Assert.Equal(passes, Check(expected, execution).Count == 0);

    [Fact]
    public void Status_mismatch_is_reported_alone()
    {
        var errors = Check("""{"ExecutionStatus":"SUCCEEDED","Result":"x"}""", """{"Status":"FAILED"}""");
        Assert.Equal("ExecutionStatus mismatch: expected 'SUCCEEDED', got 'FAILED'", Assert.Single(errors));
    }

    [Fact]
    public void Expected_result_is_substituted()
    {
        var context = new PlaceholderContext();
        context.Bind("INPUT_2", JsonValue.Create("v2"));
        Assert.Empty(Check("""{"Result":{"id":"${INPUT_2}"}}""", """{"Status":"SUCCEEDED","Result":"{\"id\":\"v2\"}"}""", context));
    }
}

public sealed class LogValidatorTests
{
    private static IReadOnlyList<LogRecord> Records(params string[] json) =>
        json.Select((j, i) => new LogRecord(i + 1, JsonNode.Parse(j)!.AsObject())).ToList();

    private static List<string> Check(string expected, IReadOnlyList<LogRecord> records, PlaceholderContext? context = null) =>
        LogValidator.Validate(JsonNode.Parse(expected)!.AsArray(), records, context ?? new PlaceholderContext());

    [Theory]
    [InlineData("/abc/", "\"xx abc yy\"", true)]
    [InlineData("/^abc$/", "\"  abc  \"", true)] // regex over stripped text
    [InlineData("/^abc$/", "\"abcd\"", false)]
    [InlineData("abc", "\"  abc \"", true)] // plain strings compare after stripping
    [InlineData("abc", "\"abcd\"", false)]
    [InlineData("/^5$/", "5", true)]
    public void String_field_rules(string expected, string actual, bool matches) =>
        Assert.Equal(matches, LogValidator.FieldMatches(JsonValue.Create(expected), JsonNode.Parse(actual)));

    [Theory]
    [InlineData("true", "true", true)]
    [InlineData("true", "\"true\"", false)] // booleans by identity
    [InlineData("true", "1", false)]
    [InlineData("2", "2.0", true)] // numbers numerically
    [InlineData("2", "\"2\"", false)]
    public void Boolean_and_number_field_rules(string expected, string actual, bool matches) =>
        Assert.Equal(matches, LogValidator.FieldMatches(JsonNode.Parse(expected), JsonNode.Parse(actual)));

    [Fact]
    public void Missing_field_never_matches() =>
        Assert.False(LogValidator.Matches(JsonNode.Parse("""{"hook":"x"}""")!.AsObject(), JsonNode.Parse("""{"message":"x"}""")!.AsObject()));

    [Fact]
    public void Counts_exact_min_max_and_default_at_least_one()
    {
        var records = Records("""{"message":"a 1"}""", """{"message":"a 2"}""", """{"message":"b"}""");
        Assert.Empty(Check("""[{"match":{"message":"/a/"},"count":2}]""", records));
        Assert.Single(Check("""[{"match":{"message":"/a/"},"count":1}]""", records));
        Assert.Empty(Check("""[{"match":{"message":"/a/"}}]""", records));
        Assert.Single(Check("""[{"match":{"message":"/zzz/"}}]""", records));
        Assert.Empty(Check("""[{"match":{"message":"/zzz/"},"count":0}]""", records));
        Assert.Empty(Check("""[{"match":{"message":"/a/"},"min_count":1,"max_count":2}]""", records));
        Assert.Single(Check("""[{"match":{"message":"/a/"},"max_count":1}]""", records));
        Assert.Single(Check("""[{"match":{"message":"/a/"},"min_count":3}]""", records));
        Assert.Single(Check("""[{"match":{}}]""", records)); // match must be non-empty
    }

    [Fact]
    public void Anchors_after_and_before()
    {
        var records = Records("""{"hook":"start"}""", """{"hook":"op"}""", """{"hook":"end"}""");
        Assert.Empty(Check("""[{"match":{"hook":"op"},"after":{"hook":"start"},"before":{"hook":"end"}}]""", records));
        Assert.Empty(Check("""[{"match":{"hook":"op"},"after":[{"hook":"start"}],"before":[{"hook":"end"}]}]""", records));
        Assert.Single(Check("""[{"match":{"hook":"op"},"after":{"hook":"end"}}]""", records));
        Assert.Single(Check("""[{"match":{"hook":"op"},"before":{"hook":"start"}}]""", records));
        var missing = Check("""[{"match":{"hook":"op"},"after":{"hook":"never"}}]""", records);
        Assert.Contains("matched no log record", Assert.Single(missing));
    }

    [Fact]
    public void After_uses_the_last_anchor_match_and_before_the_first()
    {
        var records = Records("""{"hook":"a"}""", """{"hook":"x"}""", """{"hook":"a"}""");
        Assert.Single(Check("""[{"match":{"hook":"x"},"after":{"hook":"a"}}]""", records)); // x precedes the last a
        Assert.Single(Check("""[{"match":{"hook":"x"},"before":{"hook":"a"}}]""", records)); // x follows the first a
    }

    [Fact]
    public void Match_fields_are_substituted()
    {
        var context = new PlaceholderContext();
        context.Bind("INPUT_1", JsonValue.Create("k3y"));
        Assert.Empty(Check("""[{"match":{"message":"/${INPUT_1}/"},"count":1}]""", Records("""{"message":"got k3y"}"""), context));
    }
}

public sealed class CallbackPlannerTests
{
    private static CallbackActionSpec Action(string name, string operation = "success", double delay = 0) =>
        new(name, operation, JsonValue.Create("p"), true, delay);

    private static JsonArray Started(params (string Id, string? Name)[] callbacks)
    {
        var events = new JsonArray();
        var eventId = 2;
        foreach (var (id, name) in callbacks)
        {
            var ev = new JsonObject
            {
                ["EventType"] = "CallbackStarted", ["EventId"] = eventId++, ["Id"] = "op-" + id,
                ["CallbackStartedDetails"] = new JsonObject { ["CallbackId"] = id },
            };
            if (name is not null)
            {
                ev["Name"] = name;
            }

            events.Add(ev);
        }

        return events;
    }

    [Fact]
    public void Selection_by_star_exact_name_and_regex()
    {
        var context = new PlaceholderContext();
        context.Bind("CB_NAME", JsonValue.Create("alpha"));
        Assert.True(CallbackPlanner.NameMatches("*", "anything", context));
        Assert.True(CallbackPlanner.NameMatches("${CB_NAME}", "alpha", context));
        Assert.False(CallbackPlanner.NameMatches("${CB_NAME}", "alphabet", context)); // exact, not prefix
        Assert.True(CallbackPlanner.NameMatches("${/^al/}", "alphabet", context)); // regex search
        Assert.True(CallbackPlanner.NameMatches("${/ph/}", "alpha", context));
        Assert.False(CallbackPlanner.NameMatches("${/^x/}", "alpha", context));
        Assert.False(CallbackPlanner.NameMatches("alpha", "", context)); // an unnamed callback is ""
        Assert.True(CallbackPlanner.NameMatches("*", "", context));
    }

    [Fact]
    public void Callbacks_are_served_in_history_order_with_the_first_unused_matching_action()
    {
        var planner = new CallbackPlanner([Action("b", delay: 4), Action("a", delay: 3)]);
        var errors = new List<string>();
        var plan = planner.Plan(Started(("1", "a"), ("2", "b")), new PlaceholderContext(), errors);
        Assert.Empty(errors);
        Assert.Equal(new[] { "1", "2" }, plan.Select(p => p.CallbackId));
        Assert.Equal(new[] { 3d, 4d }, plan.Select(p => p.Delay));
        Assert.Empty(planner.Plan(Started(("1", "a"), ("2", "b")), new PlaceholderContext(), errors)); // handled
    }

    [Fact]
    public void Two_star_actions_are_used_once_each_in_list_order()
    {
        var first = Action("*") with { Payload = JsonValue.Create("one") };
        var second = Action("*") with { Payload = JsonValue.Create("two") };
        var planner = new CallbackPlanner([first, second]);
        var errors = new List<string>();
        var round1 = planner.Plan(Started(("1", "first")), new PlaceholderContext(), errors);
        Assert.Same(first, Assert.Single(round1).Action);
        var round2 = planner.Plan(Started(("1", "first"), ("2", "second")), new PlaceholderContext(), errors);
        Assert.Same(second, Assert.Single(round2).Action);
        Assert.Empty(errors);
    }

    [Fact]
    public void Heartbeat_does_not_consume_the_callback()
    {
        var planner = new CallbackPlanner([Action("cb", "heartbeat"), Action("cb", "success", 1)]);
        var errors = new List<string>();
        var events = Started(("1", "cb"));
        Assert.Equal("heartbeat", Assert.Single(planner.Plan(events, new PlaceholderContext(), errors)).Action.Operation);
        Assert.Equal("success", Assert.Single(planner.Plan(events, new PlaceholderContext(), errors)).Action.Operation);
        Assert.Empty(planner.Plan(events, new PlaceholderContext(), errors));
        Assert.Empty(errors);
    }

    [Fact]
    public void No_matching_action_is_an_error_only_when_actions_exist()
    {
        var errors = new List<string>();
        var silent = new CallbackPlanner([]);
        Assert.Empty(silent.Plan(Started(("1", "x")), new PlaceholderContext(), errors));
        Assert.Empty(errors);
        Assert.Contains("1", silent.Handled);

        var strict = new CallbackPlanner([Action("other")]);
        Assert.Empty(strict.Plan(Started(("1", "x")), new PlaceholderContext(), errors));
        Assert.Contains("No matching CallbackAction", Assert.Single(errors));
        Assert.Empty(strict.Plan(Started(("1", "x")), new PlaceholderContext(), errors)); // handled: reported once
        Assert.Single(errors);
    }

    [Fact]
    public void Failure_payload_keeps_only_the_four_error_fields()
    {
        var error = RequirementRunner.ToError(JsonNode.Parse("""
            {"ErrorType":"RejectedError","ErrorMessage":"not approved","ErrorData":"d","StackTrace":["a","b"],"Extra":"x"}
            """)!.AsObject());
        Assert.Equal("RejectedError", error.ErrorType);
        Assert.Equal("not approved", error.ErrorMessage);
        Assert.Equal("d", error.ErrorData);
        Assert.Equal(new[] { "a", "b" }, error.StackTrace);
    }
}
