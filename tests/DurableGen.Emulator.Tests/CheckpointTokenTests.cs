using System;
using System.Linq;
using System.Text;
using System.Text.Json;
using DurableGen.Emulator.Tokens;
using DurableGen.Protocol;
using Xunit;

namespace DurableGen.Emulator.Tests;

public sealed class CheckpointTokenTests
{
    [Fact]
    public void Token_is_base64_json_with_arn_invocation_and_sequence()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        using var doc = JsonDocument.Parse(Convert.FromBase64String(inv.Token));
        Assert.Equal(inv.Arn, doc.RootElement.GetProperty("arn").GetString());
        Assert.Equal("1", doc.RootElement.GetProperty("inv").GetString());
        Assert.True(doc.RootElement.GetProperty("seq").GetInt64() > 0);
    }

    [Fact]
    public void The_codec_writes_the_same_json_on_every_thread_and_reads_it_back()
    {
        // The codec reuses one buffer per thread; a token must never carry another's bytes, and an ARN longer than the
        // buffer's first size must come out whole.
        const string arn = "arn:aws:lambda:us-east-1:123456789012:function:shop:$LATEST/durable-execution/order-7/0c9e";
        var cases = Enumerable.Range(0, 200)
            .Select(i => (Arn: i % 10 == 0 ? arn + new string('x', 600 + i) : arn + i, Invocation: i, Sequence: (1L << 40) | (uint)i))
            .ToArray();
        var tokens = cases.AsParallel().WithDegreeOfParallelism(4)
            .Select(c => (c, Token: CheckpointTokenCodec.Encode(c.Arn, c.Invocation, c.Sequence))).ToArray();

        foreach (var (c, token) in tokens)
        {
            Assert.Equal($"{{\"arn\":\"{c.Arn}\",\"inv\":\"{c.Invocation}\",\"seq\":{c.Sequence}}}",
                Encoding.UTF8.GetString(Convert.FromBase64String(token)));
            Assert.True(CheckpointTokenCodec.TryDecode(token, out var data));
            Assert.Equal(new CheckpointTokenData(c.Arn, c.Invocation, c.Sequence), data);
        }
    }

    [Fact]
    public void Each_checkpoint_consumes_the_token_and_a_stale_token_is_rejected_with_the_sdk_prefix()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var first = inv.Token;
        inv.Checkpoint(U.StepStart("s1"));
        Assert.NotEqual(first, inv.Token);

        var error = Harness.Rejects(() => h.Checkpoint(inv.Arn, first, new[] { U.StepSucceed("s1", "1") }));
        Assert.Equal(400, error.StatusCode);
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
        Assert.True(error.IsStaleCheckpointToken);

        // The current token still works and nothing from the stale request was applied.
        inv.Checkpoint(U.StepSucceed("s1", "\"ok\""));
        Assert.Equal("\"ok\"", h.Operation(inv.Arn, "s1").StepDetails!.Result);
    }

    [Fact]
    public void Empty_checkpoint_is_a_refresh_that_still_issues_a_new_token()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var before = inv.Token;
        var response = inv.Checkpoint();
        Assert.NotEqual(before, response.CheckpointToken);
        Assert.Empty(response.NewExecutionState.Operations!);
        Harness.Rejects(() => h.Checkpoint(inv.Arn, before, null));
    }

    [Fact]
    public void GetExecutionState_validates_but_does_not_consume_the_token()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var state = h.State(inv.Arn, inv.Token);
        Assert.Equal(OperationType.Execution, state.Operations[0].Type);
        inv.Checkpoint(U.StepStart("s1")); // same token still valid
        var error = Harness.Rejects(() => h.State(inv.Arn, "bm90LWEtdG9rZW4="));
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_of_another_execution_is_rejected()
    {
        var h = new Harness();
        var a = h.StartAndBegin();
        var b = h.StartAndBegin();
        var error = Harness.Rejects(() => h.Checkpoint(a.Arn, b.Token, new[] { U.StepStart("x") }));
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("!!!")]
    [InlineData("aGVsbG8=")]
    public void Malformed_token_is_rejected_as_invalid_checkpoint_token(string token)
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var error = Harness.Rejects(() => h.Checkpoint(inv.Arn, token, null));
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Token_of_a_closed_execution_is_rejected()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        h.Engine.StopExecution(inv.Arn);
        var error = Harness.Rejects(() => inv.Checkpoint(U.StepStart("s1")));
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(h.History(inv.Arn), e => e.EventType == EventType.StepStarted);
    }

    [Fact]
    public void Unknown_arn_is_invalid_parameter_on_function_apis_and_not_found_on_management_apis()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var unknown = inv.Arn + "x";
        var checkpoint = Harness.Rejects(() => h.Checkpoint(unknown, inv.Token, null));
        Assert.DoesNotContain("Invalid Checkpoint Token", checkpoint.Message, StringComparison.Ordinal);
        Harness.Rejects(() => h.State(unknown, inv.Token));
        Harness.Rejects(() => h.Engine.GetExecution(unknown), ErrorCodes.ResourceNotFound);
        Harness.Rejects(() => h.Engine.GetExecutionHistory(unknown), ErrorCodes.ResourceNotFound);
        Harness.Rejects(() => h.Engine.StopExecution(unknown), ErrorCodes.ResourceNotFound);
    }

    [Fact]
    public void Same_client_token_and_checkpoint_token_replays_the_cached_response_without_applying_again()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        var token = inv.Token;
        var first = h.Checkpoint(inv.Arn, token, new[] { U.StepStart("s1"), U.StepSucceed("s1", "1") }, "client-1");
        var events = h.History(inv.Arn).Count;

        var replay = h.Checkpoint(inv.Arn, token, new[] { U.StepStart("s1"), U.StepSucceed("s1", "1") }, "client-1");
        Assert.Equal(first.CheckpointToken, replay.CheckpointToken);
        Assert.Equal(first.NewExecutionState.Operations!.Single().Id, replay.NewExecutionState.Operations!.Single().Id);
        Assert.Equal(events, h.History(inv.Arn).Count);

        // Another client token with the consumed checkpoint token is a stale token.
        var error = Harness.Rejects(() => h.Checkpoint(inv.Arn, token, null, "client-2"));
        Assert.StartsWith("Invalid Checkpoint Token", error.Message, StringComparison.Ordinal);
        // Without a client token there is no replay either.
        Harness.Rejects(() => h.Checkpoint(inv.Arn, token, null));
    }

    [Fact]
    public void Invalid_client_token_is_rejected()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        Harness.Rejects(() => h.Checkpoint(inv.Arn, inv.Token, null, new string('x', 65)));
        Harness.Rejects(() => h.Checkpoint(inv.Arn, inv.Token, null, "has space"));
    }

    [Fact]
    public void Token_stays_base64_alphabet()
    {
        var h = new Harness();
        var inv = h.StartAndBegin();
        Assert.Matches("^[A-Za-z0-9+/]+={0,2}$", inv.Token);
        Assert.True(Encoding.UTF8.GetString(Convert.FromBase64String(inv.Token)).Contains("\"seq\"", StringComparison.Ordinal));
    }
}
