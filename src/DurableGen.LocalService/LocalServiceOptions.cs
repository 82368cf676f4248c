using System;
using System.Collections.Generic;
using DurableGen.Emulator.Hosting;
using DurableGen.Emulator.Store;

namespace DurableGen.LocalService;

/// <summary>Settings of a <see cref="LocalDurableService"/>.</summary>
public sealed class LocalServiceOptions
{
    /// <summary>The port on 127.0.0.1 (0 = any free port; read <see cref="LocalDurableService.BaseAddress"/>).</summary>
    public int Port { get; set; }

    /// <summary>The SQLite database file; null keeps executions in memory only.</summary>
    public string? DatabasePath { get; set; }

    /// <summary>What a commit to <see cref="DatabasePath"/> survives once acknowledged: a crash or kill of the service
    /// (the default), or a power cut as well (an <c>fsync</c> per commit: slower).</summary>
    public CommitDurability CommitDurability { get; set; } = CommitDurability.ProcessCrash;

    /// <summary>The functions the service knows: Invoke of any other name is <c>ResourceNotFoundException</c>.</summary>
    public List<FunctionDefinition> Functions { get; } = new();

    /// <summary>The region written into ARNs and given to function processes.</summary>
    public string Region { get; set; } = "us-east-1";

    /// <summary>The account id written into ARNs.</summary>
    public string AccountId { get; set; } = "123456789012";

    /// <summary>How long one invocation may run before it is failed as <c>Sandbox.Timedout</c> (Lambda's function
    /// timeout; at most 15 minutes).</summary>
    public TimeSpan InvocationTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a synchronous (RequestResponse) Invoke of a durable function waits for the execution to
    /// close before answering with its current state.</summary>
    public TimeSpan SynchronousInvokeTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// The service's <see cref="ExecutionDriver"/>: null (the default) drives executions in real time on the system
    /// clock, as a service does (no runaway guard, never idle-stops). A test or conformance host gives a
    /// <see cref="ExecutionDriverOptions.Clock"/> (the engine then reads that virtual clock) with a skipping
    /// <see cref="ExecutionDriverOptions.TimeSkip"/> policy, its runaway guard and idle timeout.
    /// </summary>
    public ExecutionDriverOptions? Driver { get; set; }

    /// <summary>Whether the service runs its driver itself from <see cref="LocalDurableService.StartAsync"/> (default
    /// true). False: the host runs <see cref="LocalDurableService.Driver"/> (its <c>RunUntilAsync</c>) whenever it wants
    /// executions to move, as the conformance runner does per requirement, so its own actors share the driver's clock.</summary>
    public bool RunsDriver { get; set; } = true;

    /// <summary>Whether the processes the service starts export their traces to it (default true): each gets
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> = the service's address, <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> =
    /// <c>http/protobuf</c> and <c>OTEL_SERVICE_NAME</c> = the function name, each unless the function's
    /// <see cref="FunctionDefinition.Environment"/> or the service's own environment already sets it (an explicit
    /// <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> or <c>OTEL_EXPORTER_OTLP_TRACES_ENDPOINT</c> keeps both OTLP settings the
    /// developer's). The service accepts OTLP/HTTP traces at <c>/v1/traces</c> either way.</summary>
    public bool CollectTraces { get; set; } = true;

    /// <summary>Receives each line a function process writes (function name, line).</summary>
    public Action<string, string>? FunctionOutput { get; set; }

    /// <summary>Receives service notices (process started, exited, restarted).</summary>
    public Action<string>? Log { get; set; }

    /// <summary>Receives each sandbox whose process the service stops restarting (<see cref="SandboxStop"/>); when
    /// null, its message goes to <see cref="Log"/>.</summary>
    public Action<SandboxStop>? SandboxStopped { get; set; }
}

/// <summary>A Lambda function the local service hosts.</summary>
public sealed class FunctionDefinition
{
    /// <summary>The function name (1-64 characters of <c>[a-zA-Z0-9-_]</c>).</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether Invoke starts a durable execution (true) or delivers the payload as a plain event.</summary>
    public bool Durable { get; set; } = true;

    /// <summary>The executable the service starts (and restarts when it exits); null when the process connects to the
    /// function's Runtime API endpoint by itself.</summary>
    public string? Command { get; set; }

    /// <summary>Arguments of <see cref="Command"/>.</summary>
    public List<string> Arguments { get; } = new();

    /// <summary>The working directory of the process (default: the service's).</summary>
    public string? WorkingDirectory { get; set; }

    /// <summary>How many sandboxes run <see cref="Command"/> at once (1-64, default 1): each is its own process with
    /// its own Runtime API endpoint and takes one invocation at a time, as Lambda runs concurrent invocations in
    /// separate execution environments, so a long step of one execution does not hold up the others.</summary>
    public int Concurrency { get; set; } = 1;

    /// <summary>The <c>_HANDLER</c> value (default: the function name).</summary>
    public string? Handler { get; set; }

    /// <summary>Extra environment variables of the process.</summary>
    public Dictionary<string, string> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>The function timeout: how long one invocation may run before it fails as <c>Sandbox.Timedout</c> and
    /// its sandbox is replaced (default: <see cref="LocalServiceOptions.InvocationTimeout"/>).</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>The memory size in MB the process is told it has (<c>AWS_LAMBDA_FUNCTION_MEMORY_SIZE</c>, default 512).</summary>
    public int? MemorySize { get; set; }

    /// <summary>The execution timeout of its durable executions, in seconds (<c>DurableConfig.ExecutionTimeout</c>;
    /// default: the engine's).</summary>
    public int? ExecutionTimeoutSeconds { get; set; }

    /// <summary>Alias names it can be invoked through (<c>name:alias</c>, or an alias ARN); each runs <c>$LATEST</c>.</summary>
    public List<string> Aliases { get; } = new();
}
