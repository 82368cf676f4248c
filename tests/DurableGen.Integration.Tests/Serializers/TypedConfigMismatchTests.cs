using System;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.Testing;
using DurableGen.Integration.Tests.Support;
using Xunit;

namespace DurableGen.Integration.Tests.Serializers;

public sealed class TypedConfigMismatchTests
{
    private sealed class Upper : ICheckpointSerializer<int>
    {
        public string? Serialize(int value, SerializationContext context) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

        public int Deserialize(string? data, SerializationContext context) => int.Parse(data!, System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public async Task A_config_typed_for_another_result_type_is_rejected_instead_of_silently_ignored()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
            await ctx.StepAsync((_, _) => Task.FromResult("text"), "step", new StepConfig<int> { Serializer = new Upper() }));

        var result = await runner.RunAsync("x");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Equal(typeof(ArgumentException).FullName, result.Error!.ErrorType);
        Assert.Contains("<Int32>", result.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("<String>", result.Error.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(result.AllOperations);
    }

    [Fact]
    public async Task A_rejected_config_does_not_consume_an_operation_id()
    {
        var runner = ReflectionRunner.Create<string, string>(async (input, ctx) =>
        {
            try
            {
                await ctx.StepAsync((_, _) => Task.FromResult("text"), "wrong", new StepConfig<int>());
            }
            catch (ArgumentException)
            {
            }

            return await ctx.StepAsync((_, _) => Task.FromResult("ok"), "right");
        });

        var result = await runner.RunAsync("x");

        Assert.Equal("ok", result.Result);
        // The second step still has the first root position: sha256("1").
        Assert.Equal(H.Root1, result.GetStep("right").Id);
    }

    [Fact]
    public async Task A_map_config_typed_for_other_items_is_rejected_before_anything_is_checkpointed()
    {
        var runner = ReflectionRunner.Create<string, int>(async (input, ctx) =>
        {
            var batch = await ctx.MapAsync<int, int>([1, 2], (c, item, i, all, _) => Task.FromResult(item), "map",
                new MapConfig<int, string>());
            return batch.TotalCount;
        });

        var result = await runner.RunAsync("x");

        Assert.Equal(ExecutionStatus.Failed, result.Status);
        Assert.Contains("<Int32, String>", result.Error!.ErrorMessage, StringComparison.Ordinal);
        Assert.Empty(result.AllOperations);
    }
}
