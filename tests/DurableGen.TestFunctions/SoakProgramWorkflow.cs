using System;
using System.Globalization;
using System.IO;
using System.Threading.Tasks;
using DurableGen;
using DurableGen.TestSupport.RandomPrograms;

namespace DurableGen.TestFunctions;

/// <summary>
/// Runs the random program its input carries (the crash tests' program model, <see cref="ProgramText"/>), so the kill -9
/// soak can run any generated workflow as a real function process and the same program in process for the expected
/// result. Each step body run appends <c>step attempt pid</c> to the input's journal, when it names one: the soak
/// counts the runs from it.
/// </summary>
[DurableWorkflow(FunctionName = "soak-program")]
public sealed partial class SoakProgramWorkflow
{
    // The journal callback runs only inside the interpreter's step bodies (once per attempt), which the analyzers
    // cannot see through the delegate.
#pragma warning disable DG2003, DG2004
    public Task<string> RunAsync(SoakInput input, IDurableContext context) =>
        ProgramInterpreter.RunAsync(context, ProgramText.Read(input.Program), (step, attempt) =>
        {
            if (input.Journal is { Length: > 0 } journal)
            {
                File.AppendAllText(journal, string.Create(CultureInfo.InvariantCulture,
                    $"{step} {attempt} {Environment.ProcessId}\n"));
            }
        });
#pragma warning restore DG2003, DG2004
}

/// <summary>The target of the programs' chained invokes (<see cref="ProgramInterpreter.InvokeTarget"/>): answers
/// <c>value + 1</c>.</summary>
[DurableWorkflow(FunctionName = ProgramInterpreter.InvokeTarget)]
public sealed partial class IncrementWorkflow
{
    public Task<int> RunAsync(int value, IDurableContext context) => Task.FromResult(value + 1);
}
