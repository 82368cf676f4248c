namespace DurableGen.Emulator.Hosting;

/// <summary>A registered function: how to run an invocation, and the execution timeout its executions get.</summary>
/// <param name="Handler">Runs one invocation.</param>
/// <param name="ExecutionTimeoutSeconds">The execution timeout, in whole seconds, as <c>DurableConfig</c> takes it.</param>
/// <param name="Durable">Whether the function is durable; a plain function gets the invoke's payload as its event.</param>
internal sealed record HostedFunction(HostedHandler Handler, int? ExecutionTimeoutSeconds, bool Durable);
