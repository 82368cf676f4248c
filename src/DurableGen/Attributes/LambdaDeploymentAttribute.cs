using System;

namespace DurableGen;

/// <summary>
/// What every Lambda function of an assembly declares, durable (<see cref="DurableWorkflowAttribute"/>) or plain
/// (<see cref="LambdaFunctionAttribute"/>): its name, its handler method, its serializer, and how it is deployed. The
/// generator writes the handler and the <c>_HANDLER</c> dispatch from it; <c>durablegen package</c> writes the
/// CloudFormation template and the Native AOT zips; <c>durablegen run</c> and <c>serve</c> run the functions locally
/// from that same template. Every setting has a default that deploys.
/// </summary>
public abstract class LambdaDeploymentAttribute : Attribute
{
    /// <summary>The smallest function timeout Lambda accepts, in seconds.</summary>
    public const int MinFunctionTimeout = 1;

    /// <summary>The largest function timeout Lambda accepts, in seconds (15 minutes).</summary>
    public const int MaxFunctionTimeout = 900;

    /// <summary>The function timeout used when none is declared, in seconds.</summary>
    public const int DefaultFunctionTimeout = 60;

    /// <summary>The smallest memory size Lambda accepts, in MB.</summary>
    public const int MinMemorySize = 128;

    /// <summary>The largest memory size Lambda accepts, in MB.</summary>
    public const int MaxMemorySize = 10_240;

    /// <summary>The memory size used when none is declared, in MB.</summary>
    public const int DefaultMemorySize = 512;

    /// <summary>
    /// The Lambda function name; it is also the <c>_HANDLER</c> value that selects this function when one assembly
    /// holds several, and the name other functions invoke it by. Default: the class name.
    /// </summary>
    public string? FunctionName { get; set; }

    /// <summary>The handler method's name, when the class has several methods of the handler's shape.</summary>
    public string? Method { get; set; }

    /// <summary>
    /// The <c>JsonSerializerContext</c> that serializes the function's input and output (and, for a workflow, everything
    /// it checkpoints). Default: the only context declared in the assembly; without any, the reflection-based
    /// serializer (not usable with Native AOT or trimming).
    /// </summary>
    public Type? JsonContext { get; set; }

    /// <summary>
    /// The function timeout in seconds (1 … 900): how long one invocation may run before Lambda stops it. A durable
    /// execution spans many invocations, each bounded by this; the execution as a whole is bounded by
    /// <see cref="DurableWorkflowAttribute.ExecutionTimeout"/>. 0 means <see cref="DefaultFunctionTimeout"/>.
    /// </summary>
    public int FunctionTimeout { get; set; }

    /// <summary>The memory in MB (128 … 10,240); CPU is allotted in proportion. 0 means <see cref="DefaultMemorySize"/>.</summary>
    public int MemorySize { get; set; }

    /// <summary>The instruction set the function runs on (default x86_64).</summary>
    public LambdaArchitecture Architecture { get; set; }

    /// <summary>Environment variables of the function, each <c>NAME=value</c> (names of letters, digits and underscores,
    /// starting with a letter; <c>AWS_</c> and <c>LAMBDA_</c> names are Lambda's, <c>DURABLEGEN_</c> names DurableGen's).</summary>
    public string[]? Environment { get; set; }

    /// <summary>
    /// Concurrent invocations reserved for this function (and the most it may run at once); 0 leaves it unreserved,
    /// sharing the account's pool. Reserve for a function whose downstream cannot take more.
    /// </summary>
    public int ReservedConcurrency { get; set; }

    /// <summary>A description of the function for the Lambda console.</summary>
    public string? Description { get; set; }

    /// <summary>
    /// Functions this one invokes that the generator cannot see in the code (a name computed at run time, DG1014):
    /// names of functions of this assembly, or function ARNs. Each gets <c>lambda:InvokeFunction</c> in the generated
    /// template. Targets the code names with a constant need no declaration.
    /// </summary>
    public string[]? Invokes { get; set; }

    /// <summary>
    /// Durable functions whose callbacks this one completes, when the generator cannot tell from the code (callbacks
    /// completed through <c>IDurableCallbackClient</c> directly rather than a <c>[Callback]</c> contract, DG1015): names
    /// of workflows of this assembly, or function ARNs. Each gets the three <c>SendDurableExecutionCallback*</c> actions
    /// on its executions in the generated template.
    /// </summary>
    public string[]? CompletesCallbacksOf { get; set; }
}
