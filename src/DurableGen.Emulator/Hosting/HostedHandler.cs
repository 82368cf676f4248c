using System.Threading.Tasks;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Hosting;

/// <summary>Runs one invocation of a registered function and returns its output envelope.</summary>
internal delegate Task<DurableExecutionInvocationOutput> HostedHandler(HostedInvocation invocation);
