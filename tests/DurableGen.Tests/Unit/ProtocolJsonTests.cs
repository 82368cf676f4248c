using System;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Nodes;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Tests.Unit;

public class ProtocolJsonTests
{
    private static readonly DateTimeOffset At123 = DateTimeOffset.FromUnixTimeMilliseconds(1767225600123);

    private static void AssertJsonEquivalent(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)),
            $"JSON differs.\nExpected: {expected}\nActual:   {actual}");

    // ---- timestamps: envelope channel (epoch milliseconds) -------------------------------------------------------

    [Fact]
    public void Envelope_writes_timestamps_as_integer_epoch_milliseconds()
    {
        var op = new Operation
        {
            Id = "a", Type = OperationType.Wait, Status = OperationStatus.Started, StartTimestamp = At123,
            WaitDetails = new WaitDetails { ScheduledEndTimestamp = At123.AddSeconds(30) },
        };

        var json = JsonSerializer.Serialize(op, ProtocolJson.Envelope.Operation);

        Assert.Contains("\"StartTimestamp\":1767225600123", json, StringComparison.Ordinal);
        Assert.Contains("\"ScheduledEndTimestamp\":1767225630123", json, StringComparison.Ordinal);
        Assert.DoesNotContain("EndTimestamp\":null", json, StringComparison.Ordinal);
        Assert.DoesNotContain("1767225600.123", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Envelope_reads_timestamps_from_epoch_milliseconds()
    {
        var op = JsonSerializer.Deserialize(
            """{"Id":"a","Type":"STEP","Status":"PENDING","StartTimestamp":1767225600123,"StepDetails":{"NextAttemptTimestamp":1767225605000}}""",
            ProtocolJson.Envelope.Operation)!;

        Assert.Equal(At123, op.StartTimestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225605000), op.StepDetails!.NextAttemptTimestamp);
    }

    [Theory]
    [InlineData("2026-01-01T00:00:00.123Z")]
    [InlineData("2026-01-01T00:00:00.123+00:00")]
    [InlineData("2026-01-01T01:00:00.123+01:00")]
    public void Envelope_reads_timestamps_from_iso_8601_text(string iso)
    {
        var op = JsonSerializer.Deserialize($$"""{"Id":"a","Type":"STEP","Status":"STARTED","StartTimestamp":"{{iso}}"}""",
            ProtocolJson.Envelope.Operation)!;

        Assert.Equal(1767225600123, op.StartTimestamp!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Envelope_iso_text_without_offset_is_taken_as_utc()
    {
        var op = JsonSerializer.Deserialize("""{"Id":"a","StartTimestamp":"2026-01-01T00:00:00"}""",
            ProtocolJson.Envelope.Operation)!;

        Assert.Equal(1767225600000, op.StartTimestamp!.Value.ToUnixTimeMilliseconds());
    }

    [Theory]
    [InlineData("\"not a date\"")]
    [InlineData("true")]
    public void Envelope_rejects_a_timestamp_that_is_neither_number_nor_iso_text(string value)
    {
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize(
            $$"""{"Id":"a","StartTimestamp":{{value}}}""", ProtocolJson.Envelope.Operation));
    }

    [Fact]
    public void Envelope_round_trips_a_timestamp_to_the_millisecond()
    {
        var op = new Operation { Id = "a", EndTimestamp = At123 };
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(op, ProtocolJson.Envelope.Operation),
            ProtocolJson.Envelope.Operation)!;

        Assert.Equal(At123, back.EndTimestamp);
    }

    // ---- timestamps: REST channel (epoch seconds with a fraction) ------------------------------------------------

    [Fact]
    public void Rest_writes_epoch_seconds_with_a_fraction()
    {
        var op = new Operation { Id = "a", StartTimestamp = At123, EndTimestamp = At123.AddMilliseconds(377) };

        var json = JsonSerializer.Serialize(op, ProtocolJson.Rest.Operation);

        Assert.Contains("\"StartTimestamp\":1767225600.123", json, StringComparison.Ordinal);
        Assert.Contains("\"EndTimestamp\":1767225600.5", json, StringComparison.Ordinal);
        Assert.DoesNotContain("1767225600123", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Rest_writes_a_whole_second_as_a_plain_number()
    {
        var op = new Operation { Id = "a", StartTimestamp = DateTimeOffset.FromUnixTimeSeconds(1767225600) };

        var json = JsonSerializer.Serialize(op, ProtocolJson.Rest.Operation);
        var value = JsonNode.Parse(json)!["StartTimestamp"]!.GetValue<decimal>();

        Assert.Equal(1767225600m, value);
    }

    [Theory]
    [InlineData("1767225600.123", 1767225600123)]
    [InlineData("1767225600.5", 1767225600500)]
    [InlineData("1767225600", 1767225600000)]
    [InlineData("1767225600.0", 1767225600000)]
    [InlineData("1767225600.9996", 1767225601000)]
    [InlineData("\"2026-01-01T00:00:00.123Z\"", 1767225600123)]
    public void Rest_reads_epoch_seconds_back_to_the_millisecond(string value, long expectedMs)
    {
        var op = JsonSerializer.Deserialize($$"""{"Id":"a","StartTimestamp":{{value}}}""", ProtocolJson.Rest.Operation)!;

        Assert.Equal(expectedMs, op.StartTimestamp!.Value.ToUnixTimeMilliseconds());
    }

    [Fact]
    public void Rest_round_trips_a_timestamp_to_the_millisecond()
    {
        var op = new Operation { Id = "a", StartTimestamp = At123.AddMilliseconds(7) };
        var back = JsonSerializer.Deserialize(JsonSerializer.Serialize(op, ProtocolJson.Rest.Operation),
            ProtocolJson.Rest.Operation)!;

        Assert.Equal(At123.AddMilliseconds(7), back.StartTimestamp);
    }

    // ---- enums ----------------------------------------------------------------------------------------------------

    [Fact]
    public void Enums_are_written_as_upper_snake_case()
    {
        var op = new Operation { Id = "a", Type = OperationType.ChainedInvoke, Status = OperationStatus.TimedOut };

        var json = JsonSerializer.Serialize(op, ProtocolJson.Rest.Operation);

        Assert.Contains("\"Type\":\"CHAINED_INVOKE\"", json, StringComparison.Ordinal);
        Assert.Contains("\"Status\":\"TIMED_OUT\"", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Upper_snake_enums_are_read_back()
    {
        var op = JsonSerializer.Deserialize("""{"Id":"a","Type":"CHAINED_INVOKE","Status":"TIMED_OUT"}""",
            ProtocolJson.Rest.Operation)!;

        Assert.Equal(OperationType.ChainedInvoke, op.Type);
        Assert.Equal(OperationStatus.TimedOut, op.Status);
    }

    [Fact]
    public void Unknown_enum_strings_read_as_Unknown()
    {
        var op = JsonSerializer.Deserialize("""{"Id":"a","Type":"TELEPORT","Status":"chained_invoke"}""",
            ProtocolJson.Envelope.Operation)!;

        Assert.Equal(OperationType.Unknown, op.Type);
        Assert.Equal(OperationStatus.Unknown, op.Status);
    }

    [Fact]
    public void Null_enum_values_and_unknown_event_types_read_as_Unknown()
    {
        var op = JsonSerializer.Deserialize("""{"Id":"a","Type":null,"Status":null}""", ProtocolJson.Rest.Operation)!;
        var e = JsonSerializer.Deserialize("""{"EventType":"TeleportStarted","EventId":7}""", ProtocolJson.Rest.Event)!;

        Assert.Equal(OperationType.Unknown, op.Type);
        Assert.Equal(OperationStatus.Unknown, op.Status);
        Assert.Equal(EventType.Unknown, e.EventType);
        Assert.Equal(7, e.EventId);
        Assert.Contains("\"EventType\":\"StepStarted\"",
            JsonSerializer.Serialize(new Event { EventType = EventType.StepStarted }, ProtocolJson.Rest.Event));
    }

    [Fact]
    public void A_non_string_enum_value_is_rejected()
    {
        Assert.Throws<JsonException>(() =>
            JsonSerializer.Deserialize("""{"Id":"a","Type":3}""", ProtocolJson.Rest.Operation));
    }

    [Theory]
    [InlineData("ChainedInvoke", "CHAINED_INVOKE")]
    [InlineData("TimedOut", "TIMED_OUT")]
    [InlineData("Step", "STEP")]
    [InlineData("Unknown", "UNKNOWN")]
    public void ToUpperSnake_inserts_underscores_before_capitals(string pascal, string expected)
    {
        Assert.Equal(expected, UpperSnakeCaseEnumConverter<OperationType>.ToUpperSnake(pascal));
    }

    [Fact]
    public void Format_and_TryParse_use_the_wire_names_and_refuse_other_text()
    {
        foreach (var status in Enum.GetValues<ExecutionStatus>())
        {
            var wire = JsonSerializer.Serialize(new GetDurableExecutionResponse { Status = status },
                ProtocolJson.Rest.GetDurableExecutionResponse);
            Assert.Contains($"\"Status\":\"{UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(status)}\"", wire, StringComparison.Ordinal);
            Assert.True(UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse(UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(status), out var parsed));
            Assert.Equal(status, parsed);
        }

        Assert.Equal("TIMED_OUT", UpperSnakeCaseEnumConverter<ExecutionStatus>.Format(ExecutionStatus.TimedOut));
        Assert.False(UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse("TimedOut", out _));
        Assert.False(UpperSnakeCaseEnumConverter<ExecutionStatus>.TryParse("running", out _));
    }

    [Fact]
    public void Every_enum_member_round_trips()
    {
        foreach (var status in Enum.GetValues<OperationStatus>())
        {
            var json = JsonSerializer.Serialize(new Operation { Id = "a", Status = status }, ProtocolJson.Rest.Operation);
            Assert.Equal(status, JsonSerializer.Deserialize(json, ProtocolJson.Rest.Operation)!.Status);
        }

        foreach (var type in Enum.GetValues<OperationType>())
        {
            var json = JsonSerializer.Serialize(new Operation { Id = "a", Type = type }, ProtocolJson.Rest.Operation);
            Assert.Equal(type, JsonSerializer.Deserialize(json, ProtocolJson.Rest.Operation)!.Type);
        }
    }

    [Fact]
    public void Invocation_output_status_is_upper_snake_and_null_members_are_omitted()
    {
        var json = JsonSerializer.Serialize(new DurableExecutionInvocationOutput { Status = InvocationStatus.Pending },
            ProtocolJson.Envelope.DurableExecutionInvocationOutput);

        Assert.Equal("""{"Status":"PENDING"}""", json);
    }

    // ---- null handling, encoder ------------------------------------------------------------------------------------

    [Fact]
    public void Null_members_are_omitted()
    {
        var update = new OperationUpdate { Id = "x", Type = OperationType.Wait, Action = OperationAction.Start };

        var json = JsonSerializer.Serialize(update, ProtocolJson.Rest.OperationUpdate);

        Assert.Equal("""{"Id":"x","Type":"WAIT","Action":"START"}""", json);
    }

    [Fact]
    public void Relaxed_encoder_keeps_plus_slash_and_non_ascii_unescaped()
    {
        var op = new Operation
        {
            Id = "cb", Name = "café ünïcode <&>",
            CallbackDetails = new CallbackDetails { CallbackId = "scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK" },
        };

        var json = JsonSerializer.Serialize(op, ProtocolJson.Rest.Operation);

        Assert.Contains("scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK", json, StringComparison.Ordinal);
        Assert.Contains("café ünïcode <&>", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", json, StringComparison.Ordinal);
    }

    [Fact]
    public void Payload_text_is_carried_as_a_json_string()
    {
        var update = new OperationUpdate { Id = "x", Payload = """{"ok":true}""" };

        var json = JsonSerializer.Serialize(update, ProtocolJson.Envelope.OperationUpdate);

        Assert.Contains("""
            "Payload":"{\"ok\":true}"
            """, json, StringComparison.Ordinal);
    }

    // ---- history events -------------------------------------------------------------------------------------------

    [Fact]
    public void Event_with_empty_details_serializes_them_as_an_empty_object()
    {
        var ev = new Event
        {
            EventType = EventType.StepStarted, SubType = "Step", EventId = 2, Id = "c4ca4238a0b92382",
            Name = "charge-card", EventTimestamp = At123, StepStartedDetails = new EmptyEventDetails(),
        };

        var json = JsonSerializer.Serialize(ev, ProtocolJson.Rest.Event);

        Assert.Contains("\"StepStartedDetails\":{}", json, StringComparison.Ordinal);
        Assert.Contains("\"EventType\":\"StepStarted\"", json, StringComparison.Ordinal);
        Assert.Contains("\"EventTimestamp\":1767225600.123", json, StringComparison.Ordinal);
        Assert.DoesNotContain("ParentId", json, StringComparison.Ordinal);
        AssertJsonEquivalent("""
            { "EventType": "StepStarted", "SubType": "Step", "EventId": 2,
              "Id": "c4ca4238a0b92382", "Name": "charge-card",
              "EventTimestamp": 1767225600.123, "StepStartedDetails": {} }
            """, json);
    }

    // ---- protocol.md §10 worked examples ----------------------------------------------------------------------------

    private const string ExampleD = """
        {
          "DurableExecutionArn": "arn:aws:lambda:us-east-1:123456789012:function:order-flow:7/durable-execution/order-42/0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11",
          "CheckpointToken": "eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjIiLCJzZXEiOjB9",
          "InitialExecutionState": {
            "Operations": [
              {
                "Id": "0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11",
                "Name": "order-42",
                "Type": "EXECUTION",
                "Status": "STARTED",
                "StartTimestamp": 1767225600000,
                "ExecutionDetails": { "InputPayload": "{\"orderId\":42}" }
              },
              {
                "Id": "c4ca4238a0b92382",
                "Name": "charge-card",
                "Type": "STEP",
                "SubType": "Step",
                "Status": "SUCCEEDED",
                "StartTimestamp": 1767225600123,
                "EndTimestamp": 1767225600456,
                "StepDetails": { "Attempt": 1, "Result": "{\"chargeId\":\"ch_1\",\"amount\":4200}" }
              },
              {
                "Id": "c81e728d9d4c2f63",
                "Name": "cool-off",
                "Type": "WAIT",
                "SubType": "Wait",
                "Status": "SUCCEEDED",
                "StartTimestamp": 1767225600500,
                "EndTimestamp": 1767225630500,
                "WaitDetails": { "ScheduledEndTimestamp": 1767225630500 }
              }
            ],
            "NextMarker": ""
          },
          "UpdatedOperationIds": [ "c81e728d9d4c2f63" ]
        }
        """;

    [Fact]
    public void Example_d_envelope_deserializes()
    {
        var input = JsonSerializer.Deserialize(ExampleD, ProtocolJson.Envelope.DurableExecutionInvocationInput)!;

        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:order-flow:7/durable-execution/order-42/0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11",
            input.DurableExecutionArn);
        Assert.Equal("eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjIiLCJzZXEiOjB9", input.CheckpointToken);
        Assert.Equal(["c81e728d9d4c2f63"], input.UpdatedOperationIds);
        var state = input.InitialExecutionState!;
        Assert.Equal("", state.NextMarker);
        var ops = state.Operations!;
        Assert.Equal(3, ops.Count);

        var execution = ops[0];
        Assert.Equal(OperationType.Execution, execution.Type);
        Assert.Equal(OperationStatus.Started, execution.Status);
        Assert.Equal("order-42", execution.Name);
        Assert.Null(execution.SubType);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), execution.StartTimestamp);
        Assert.Null(execution.EndTimestamp);
        Assert.Equal("""{"orderId":42}""", execution.ExecutionDetails!.InputPayload);

        var step = ops[1];
        Assert.Equal("c4ca4238a0b92382", step.Id);
        Assert.Equal("charge-card", step.Name);
        Assert.Equal(OperationType.Step, step.Type);
        Assert.Equal("Step", step.SubType);
        Assert.Equal(OperationStatus.Succeeded, step.Status);
        Assert.Equal(At123, step.StartTimestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600456), step.EndTimestamp);
        Assert.Equal(1, step.StepDetails!.Attempt);
        Assert.Equal("""{"chargeId":"ch_1","amount":4200}""", step.StepDetails.Result);
        Assert.Null(step.ParentId);

        var wait = ops[2];
        Assert.Equal("c81e728d9d4c2f63", wait.Id);
        Assert.Equal(OperationType.Wait, wait.Type);
        Assert.Equal("Wait", wait.SubType);
        Assert.Equal(OperationStatus.Succeeded, wait.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225630500), wait.WaitDetails!.ScheduledEndTimestamp);
        Assert.Equal(wait.WaitDetails.ScheduledEndTimestamp, wait.EndTimestamp);
    }

    [Fact]
    public void Example_d_envelope_round_trips_unchanged()
    {
        var input = JsonSerializer.Deserialize(ExampleD, ProtocolJson.Envelope.DurableExecutionInvocationInput)!;

        var json = JsonSerializer.Serialize(input, ProtocolJson.Envelope.DurableExecutionInvocationInput);

        AssertJsonEquivalent(ExampleD, json);
    }

    private const string ExampleABody = """
        {
          "CheckpointToken": "eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjEiLCJzZXEiOjB9",
          "ClientToken": "5d0c6f1e-8f7a-4a53-9a0e-1b2c3d4e5f60",
          "Updates": [
            { "Id": "c4ca4238a0b92382", "Type": "STEP", "SubType": "Step",
              "Action": "START", "Name": "charge-card" },
            { "Id": "c4ca4238a0b92382", "Type": "STEP", "SubType": "Step",
              "Action": "SUCCEED", "Name": "charge-card",
              "Payload": "{\"chargeId\":\"ch_1\",\"amount\":4200}" }
          ]
        }
        """;

    [Fact]
    public void Example_a_succeed_update_serializes_to_the_expected_text()
    {
        var update = new OperationUpdate
        {
            Id = "c4ca4238a0b92382", Type = OperationType.Step, SubType = "Step", Action = OperationAction.Succeed,
            Name = "charge-card", Payload = """{"chargeId":"ch_1","amount":4200}""",
        };

        var json = JsonSerializer.Serialize(update, ProtocolJson.Rest.OperationUpdate);

        Assert.Equal(
            """{"Id":"c4ca4238a0b92382","Name":"charge-card","Type":"STEP","SubType":"Step","Action":"SUCCEED","Payload":"{\"chargeId\":\"ch_1\",\"amount\":4200}"}""",
            json);
    }

    [Fact]
    public void Example_a_checkpoint_request_matches_the_spec_body()
    {
        var request = new CheckpointDurableExecutionRequest
        {
            DurableExecutionArn = "arn:aws:lambda:us-east-1:123456789012:function:order-flow:7/durable-execution/order-42/x",
            CheckpointToken = "eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjEiLCJzZXEiOjB9",
            ClientToken = "5d0c6f1e-8f7a-4a53-9a0e-1b2c3d4e5f60",
            Updates =
            [
                new OperationUpdate
                {
                    Id = "c4ca4238a0b92382", Type = OperationType.Step, SubType = "Step",
                    Action = OperationAction.Start, Name = "charge-card",
                },
                new OperationUpdate
                {
                    Id = "c4ca4238a0b92382", Type = OperationType.Step, SubType = "Step",
                    Action = OperationAction.Succeed, Name = "charge-card",
                    Payload = """{"chargeId":"ch_1","amount":4200}""",
                },
            ],
        };

        var json = JsonSerializer.Serialize(request, ProtocolJson.Rest.CheckpointDurableExecutionRequest);

        Assert.DoesNotContain("DurableExecutionArn", json, StringComparison.Ordinal);
        AssertJsonEquivalent(ExampleABody, json);
    }

    [Fact]
    public void Example_a_checkpoint_response_deserializes_on_the_rest_channel()
    {
        const string body = """
            {
              "CheckpointToken": "eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjEiLCJzZXEiOjF9",
              "NewExecutionState": {
                "Operations": [
                  { "Id": "c4ca4238a0b92382", "Name": "charge-card", "Type": "STEP",
                    "SubType": "Step", "Status": "SUCCEEDED",
                    "StartTimestamp": 1767225600.123, "EndTimestamp": 1767225600.456,
                    "StepDetails": { "Attempt": 1,
                                     "Result": "{\"chargeId\":\"ch_1\",\"amount\":4200}" } }
                ]
              }
            }
            """;

        var response = JsonSerializer.Deserialize(body, ProtocolJson.Rest.CheckpointDurableExecutionResponse)!;

        Assert.Equal("eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjEiLCJzZXEiOjF9", response.CheckpointToken);
        var op = Assert.Single(response.NewExecutionState.Operations!);
        Assert.Equal(OperationStatus.Succeeded, op.Status);
        Assert.Equal(At123, op.StartTimestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600456), op.EndTimestamp);
        Assert.Equal(1, op.StepDetails!.Attempt);
    }

    [Fact]
    public void Example_b_callback_start_update_serializes_with_callback_options()
    {
        var update = new OperationUpdate
        {
            Id = "eccbc87e4b5ce2fe", Type = OperationType.Callback, SubType = "Callback", Action = OperationAction.Start,
            Name = "await-approval",
            CallbackOptions = new CallbackOptions { TimeoutSeconds = 86400, HeartbeatTimeoutSeconds = 3600 },
        };

        var json = JsonSerializer.Serialize(update, ProtocolJson.Rest.OperationUpdate);

        AssertJsonEquivalent("""
            { "Id": "eccbc87e4b5ce2fe", "Type": "CALLBACK", "SubType": "Callback",
              "Action": "START", "Name": "await-approval",
              "CallbackOptions": { "TimeoutSeconds": 86400,
                                   "HeartbeatTimeoutSeconds": 3600 } }
            """, json);
    }

    [Fact]
    public void Example_b_response_keeps_the_callback_id_verbatim()
    {
        const string body = """
            {
              "CheckpointToken": "eyJhcm4iOiJhcm46YXdzOi4uLiIsImludiI6IjIiLCJzZXEiOjF9",
              "NewExecutionState": {
                "Operations": [
                  { "Id": "eccbc87e4b5ce2fe", "Name": "await-approval", "Type": "CALLBACK",
                    "SubType": "Callback", "Status": "STARTED",
                    "StartTimestamp": 1767225631.002,
                    "CallbackDetails": { "CallbackId": "scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK" } }
                ]
              }
            }
            """;

        var response = JsonSerializer.Deserialize(body, ProtocolJson.Rest.CheckpointDurableExecutionResponse)!;

        var op = Assert.Single(response.NewExecutionState.Operations!);
        Assert.Equal(OperationType.Callback, op.Type);
        Assert.Equal("scDKyYALNFBYar5cCaxe++M4WDLkqQKp65dhnx/CoDZK", op.CallbackDetails!.CallbackId);
        Assert.Equal(1767225631002, op.StartTimestamp!.Value.ToUnixTimeMilliseconds());
    }

    private const string ExampleE = """
        {
          "Events": [
            { "EventType": "ExecutionStarted", "EventId": 1,
              "Id": "0f4e6c1a-6d0e-4c43-9b67-2f0e3d8b9a11", "Name": "order-42",
              "EventTimestamp": 1767225600.0,
              "ExecutionStartedDetails": { "Input": { "Payload": "{\"orderId\":42}" },
                                           "ExecutionTimeout": 86400 } },
            { "EventType": "StepStarted", "SubType": "Step", "EventId": 2,
              "Id": "c4ca4238a0b92382", "Name": "charge-card",
              "EventTimestamp": 1767225600.123, "StepStartedDetails": {} },
            { "EventType": "StepSucceeded", "SubType": "Step", "EventId": 3,
              "Id": "c4ca4238a0b92382", "Name": "charge-card",
              "EventTimestamp": 1767225600.456,
              "StepSucceededDetails": {
                "Result": { "Payload": "{\"chargeId\":\"ch_1\",\"amount\":4200}" },
                "RetryDetails": { "CurrentAttempt": 1 } } },
            { "EventType": "WaitStarted", "SubType": "Wait", "EventId": 4,
              "Id": "c81e728d9d4c2f63", "Name": "cool-off",
              "EventTimestamp": 1767225600.5,
              "WaitStartedDetails": { "Duration": 30, "ScheduledEndTimestamp": 1767225630.5 } },
            { "EventType": "InvocationCompleted", "EventId": 5,
              "EventTimestamp": 1767225600.61,
              "InvocationCompletedDetails": {
                "StartTimestamp": 1767225599.98, "EndTimestamp": 1767225600.61,
                "RequestId": "3c9a4b7e-2f1d-4e8a-9b6c-5d4e3f2a1b0c" } },
            { "EventType": "WaitSucceeded", "SubType": "Wait", "EventId": 6,
              "Id": "c81e728d9d4c2f63", "Name": "cool-off",
              "EventTimestamp": 1767225630.5,
              "WaitSucceededDetails": { "Duration": 30 } }
          ],
          "NextMarker": "7"
        }
        """;

    [Fact]
    public void Example_e_history_deserializes_on_the_rest_channel()
    {
        var history = JsonSerializer.Deserialize(ExampleE, ProtocolJson.Rest.GetDurableExecutionHistoryResponse)!;

        Assert.Equal("7", history.NextMarker);
        Assert.Equal(6, history.Events.Count);
        Assert.Equal(
            [EventType.ExecutionStarted, EventType.StepStarted, EventType.StepSucceeded, EventType.WaitStarted,
                EventType.InvocationCompleted, EventType.WaitSucceeded],
            history.Events.Select(e => e.EventType));
        Assert.Equal([1, 2, 3, 4, 5, 6], history.Events.Select(e => e.EventId));

        var started = history.Events[0];
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1767225600), started.EventTimestamp);
        Assert.Equal("""{"orderId":42}""", started.ExecutionStartedDetails!.Input!.Payload);
        Assert.Equal(86400, started.ExecutionStartedDetails.ExecutionTimeout);

        Assert.NotNull(history.Events[1].StepStartedDetails);
        Assert.Equal(At123, history.Events[1].EventTimestamp);

        var succeeded = history.Events[2].StepSucceededDetails!;
        Assert.Equal("""{"chargeId":"ch_1","amount":4200}""", succeeded.Result!.Payload);
        Assert.Equal(1, succeeded.RetryDetails!.CurrentAttempt);
        Assert.Null(succeeded.RetryDetails.NextAttemptDelaySeconds);

        var wait = history.Events[3].WaitStartedDetails!;
        Assert.Equal(30, wait.Duration);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225630500), wait.ScheduledEndTimestamp);

        var invocation = history.Events[4];
        Assert.Null(invocation.Id);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225599980), invocation.InvocationCompletedDetails!.StartTimestamp);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1767225600610), invocation.InvocationCompletedDetails.EndTimestamp);
        Assert.Equal("3c9a4b7e-2f1d-4e8a-9b6c-5d4e3f2a1b0c", invocation.InvocationCompletedDetails.RequestId);

        Assert.Equal(30, history.Events[5].WaitSucceededDetails!.Duration);
    }

    [Fact]
    public void Example_e_history_round_trips_unchanged()
    {
        var history = JsonSerializer.Deserialize(ExampleE, ProtocolJson.Rest.GetDurableExecutionHistoryResponse)!;

        var json = JsonSerializer.Serialize(history, ProtocolJson.Rest.GetDurableExecutionHistoryResponse);

        AssertJsonEquivalent(ExampleE, json);
    }
}
