using System.Diagnostics;
using Xunit;

namespace DurableGen.OpenTelemetry.Tests;

/// <summary>The id derivation against otel.md §2.2's test vector, and the X-Ray header parsing.</summary>
public sealed class TraceIdsTests
{
    private const string Arn =
        "arn:aws:lambda:us-east-1:123456789012:function:otel-1:$LATEST/durable-execution/exec-1/11111111-2222-3333-4444-555555555555";

    [Fact]
    public void Ids_are_the_spec_vectors()
    {
        Assert.Equal("124c39cd0b05ff1eb99ba82e8251f09a", TraceIds.Trace(Arn, null).ToHexString());
        Assert.Equal("221908bafad84a24", TraceIds.Workflow(Arn).ToHexString());
        Assert.Equal("b31f22efd534cb4c", TraceIds.Operation(Arn, "c4ca4238a0b92382").ToHexString());
    }

    [Theory]
    [InlineData("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", "5759e988bd862e3fe1be46a994272793", "53995c3f42cd8ad8")]
    [InlineData("Root=2-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8", null, "53995c3f42cd8ad8")]
    [InlineData("Root=1-5759E988-bd862e3fe1be46a994272793", null, null)]
    [InlineData("Parent=zz;Sampled=0", null, null)]
    [InlineData(null, null, null)]
    public void The_trace_header_gives_a_root_and_parent_only_when_well_formed(string? header, string? root, string? parent)
    {
        Assert.Equal(root, TraceIds.RootOf(header)?.ToHexString());
        Assert.Equal(parent, TraceIds.ParentOf(header)?.ToHexString());
        Assert.Equal(root ?? TraceIds.Trace(Arn, null).ToHexString(), TraceIds.Trace(Arn, header).ToHexString());
    }

    [Fact]
    public void A_started_activity_takes_the_derived_ids()
    {
        using var listener = new ActivityListener
        {
            ShouldListenTo = s => s.Name == "ids-test", Sample = (ref ActivityCreationOptions<ActivityContext> _) =>
                ActivitySamplingResult.AllDataAndRecorded,
        };
        ActivitySource.AddActivityListener(listener);
        using var source = new ActivitySource("ids-test");
        using var span = source.StartActivity("x")!;

        Assert.True(ActivityIdOverride.TryAssign(span, TraceIds.Trace(Arn, null), TraceIds.Workflow(Arn)));

        Assert.Equal("124c39cd0b05ff1eb99ba82e8251f09a", span.TraceId.ToHexString());
        Assert.Equal("221908bafad84a24", span.SpanId.ToHexString());
        Assert.Equal(span.SpanId, span.Context.SpanId);
        Assert.Equal("00-124c39cd0b05ff1eb99ba82e8251f09a-221908bafad84a24-01", span.Id);
        using var child = source.StartActivity("child")!;
        Assert.Equal(span.SpanId, child.ParentSpanId);
        Assert.Equal(span.TraceId, child.TraceId);
    }
}
