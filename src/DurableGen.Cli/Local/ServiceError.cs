using System;

namespace DurableGen.Cli;

/// <summary>An AWS error the service answered: printed without a stack trace, exit code 1.</summary>
internal sealed class ServiceError(string code, int status, string message) : Exception($"{code} ({status}): {message}")
{
    public string Code { get; } = code;
}
