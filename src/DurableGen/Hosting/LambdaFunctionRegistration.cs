using System;
using System.Threading;
using System.Threading.Tasks;

namespace DurableGen;

/// <summary>One invocation of a plain Lambda function: the event's JSON in, the response's JSON out.</summary>
/// <param name="payload">The event as Lambda delivered it (UTF-8 JSON).</param>
/// <param name="lambdaContext">The invocation's request id, function name and deadline.</param>
/// <param name="cancellationToken">Cancelled when the invocation's deadline passes or the host stops.</param>
public delegate Task<byte[]> LambdaHandler(byte[] payload, ILambdaContext lambdaContext, CancellationToken cancellationToken);

/// <summary>
/// A plain (not durable) Lambda function a host can run: its name (also its <c>_HANDLER</c> value) and its handler.
/// The generator writes one per <c>[LambdaFunction]</c> class.
/// </summary>
public sealed class LambdaFunctionRegistration
{
    /// <summary>Creates a registration.</summary>
    public LambdaFunctionRegistration(string functionName, string functionType, LambdaHandler handler)
    {
        ArgumentException.ThrowIfNullOrEmpty(functionName);
        ArgumentException.ThrowIfNullOrEmpty(functionType);
        ArgumentNullException.ThrowIfNull(handler);
        FunctionName = functionName;
        FunctionType = functionType;
        Handler = handler;
    }

    /// <summary>The function name, matched against <c>_HANDLER</c>.</summary>
    public string FunctionName { get; }

    /// <summary>The full name of the function class, also accepted as <c>_HANDLER</c>.</summary>
    public string FunctionType { get; }

    /// <summary>Runs one invocation.</summary>
    public LambdaHandler Handler { get; }

    /// <summary>Whether <paramref name="handler"/> (a <c>_HANDLER</c> value) names this function.</summary>
    public bool Matches(string handler) => HandlerNames.Match(handler, FunctionName, FunctionType);
}

/// <summary>The <c>_HANDLER</c> values that select a function: its name, its class's full name or its class's name.</summary>
internal static class HandlerNames
{
    public static bool Match(string handler, string functionName, string typeName) =>
        string.Equals(handler, functionName, StringComparison.Ordinal)
        || string.Equals(handler, typeName, StringComparison.Ordinal)
        || string.Equals(handler, typeName[(typeName.LastIndexOf('.') + 1)..], StringComparison.Ordinal);
}
