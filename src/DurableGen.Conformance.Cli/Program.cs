using System;
using DurableGen.Conformance.Running;

return await ConformanceCli.RunAsync(args, Console.Out, Console.Error).ConfigureAwait(false);
