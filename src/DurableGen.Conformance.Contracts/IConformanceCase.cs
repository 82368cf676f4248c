using System.Threading.Tasks;

namespace DurableGen.Conformance;

/// <summary>A durable handler for one or more requirements, written against the public DurableGen API.</summary>
/// <typeparam name="TInput">What the requirement's <c>Input</c> deserializes to (use <c>JsonNode?</c> for null).</typeparam>
/// <typeparam name="TOutput">The execution result.</typeparam>
public interface IConformanceCase<TInput, TOutput>
{
    /// <summary>The durable function body.</summary>
    Task<TOutput> RunAsync(TInput input, IDurableContext context, IConformanceEnv env);
}
