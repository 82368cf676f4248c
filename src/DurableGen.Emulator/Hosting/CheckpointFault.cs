namespace DurableGen.Emulator.Hosting;

/// <summary>What a planned fault does to one checkpoint request.</summary>
public enum CheckpointFault
{
    /// <summary>No fault.</summary>
    None,

    /// <summary>The process dies before the request reaches the service: nothing in it is applied.</summary>
    CrashBeforeSending,

    /// <summary>The service applies the request, then the process dies before reading the answer.</summary>
    CrashAfterApplying,
}
