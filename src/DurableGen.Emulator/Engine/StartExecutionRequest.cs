namespace DurableGen.Emulator.Engine;

/// <summary>A durable start (the <c>Invoke</c> of a durable function).</summary>
public sealed class StartExecutionRequest
{
    /// <summary>The function: name, <c>name:qualifier</c>, partial ARN or full ARN.</summary>
    public string FunctionName { get; set; } = "";

    /// <summary>The version to run (<c>$LATEST</c>, <c>$LATEST.PUBLISHED</c> or a number); default <c>$LATEST</c>
    /// unless <see cref="FunctionName"/> carries one.</summary>
    public string? Qualifier { get; set; }

    /// <summary>The execution name (1–64 of <c>[a-zA-Z0-9-_]</c>); generated when absent.</summary>
    public string? ExecutionName { get; set; }

    /// <summary>The input payload text.</summary>
    public string? Payload { get; set; }

    /// <summary>The execution timeout in seconds; <see cref="EngineOptions.DefaultExecutionTimeoutSeconds"/> when
    /// absent.</summary>
    public int? ExecutionTimeoutSeconds { get; set; }
}
