using System;
using System.Collections.Generic;
using System.Diagnostics;

namespace DurableGen.Emulator.Store;

/// <summary>
/// <b>Test only.</b> A crash a test asks a service <i>process</i> for through the environment variable
/// <see cref="Variable"/>, so that a real process dies at a point no signal sent from outside can hit reliably: the
/// process kills itself with SIGKILL (as <c>kill -9</c>: no finally block, no dispose, no flush) while the store's
/// transaction is open. Inert unless the variable is set; an unknown value is refused at start so a typo cannot
/// silently test nothing.
/// </summary>
/// <remarks>
/// <para><c>DURABLEGEN_TEST_FAULT=kill-in-chained-invoke-delivery</c>: dies when the store is about to write the caller
/// of a chained invoke after writing its closed child (the child marked delivered) — inside the one commit that
/// carries both, or at the caller's own commit if they were ever split again, in which case the child would survive
/// closed and delivered while the caller never gets its result.</para>
/// </remarks>
internal static class TestFault
{
    /// <summary>The environment variable a test sets on the service process.</summary>
    public const string Variable = "DURABLEGEN_TEST_FAULT";

    /// <summary>The value that kills the process inside a chained invoke's delivery to its caller.</summary>
    public const string KillInChainedInvokeDelivery = "kill-in-chained-invoke-delivery";

    /// <summary>The write hook the environment asks for, or null (the normal case).</summary>
    public static Action<ExecutionRecord>? FromEnvironment()
    {
        var value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        if (!string.Equals(value, KillInChainedInvokeDelivery, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"{Variable}={value} is not a known test fault (known: {KillInChainedInvokeDelivery}).");
        }

        Console.Error.WriteLine($"{Variable}={value}: this process will kill itself inside a chained invoke's delivery (test only).");
        var callersOfDeliveredChildren = new HashSet<string>(StringComparer.Ordinal);
        return record =>
        {
            if (record is { IsClosed: true, Parent: { Delivered: true } link })
            {
                callersOfDeliveredChildren.Add(link.ParentArn);
            }
            else if (callersOfDeliveredChildren.Contains(record.DurableExecutionArn))
            {
                Console.Error.WriteLine($"{Variable}: killing the process before writing {record.DurableExecutionArn}.");
                Console.Error.Flush();
                using var self = Process.GetCurrentProcess();
                self.Kill();
                Environment.FailFast($"{Variable}: SIGKILL did not end the process."); // never let this write go on
            }
        };
    }
}
