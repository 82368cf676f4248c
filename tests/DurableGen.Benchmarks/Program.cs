using System;
using System.Linq;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;

namespace DurableGen.Benchmarks;

/// <summary>
/// Runs the benchmarks. <c>--quick</c> uses BenchmarkDotNet's short job (3 warm-ups, 3 iterations, one process) and,
/// unless a <c>--filter</c> is given, runs every benchmark; any other arguments go to BenchmarkDotNet as usual.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var quick = args.Contains("--quick");
        var rest = args.Where(a => a != "--quick").ToArray();
        if (quick && !rest.Contains("--filter"))
        {
            rest = rest.Concat(new[] { "--filter", "*" }).ToArray();
        }

        var config = DefaultConfig.Instance
            .AddColumn(PerOperationColumn.MedianNanoseconds, PerOperationColumn.AllocatedBytes);
        if (quick)
        {
            config = config.AddJob(Job.ShortRun);
        }

        var summaries = BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(rest, config);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }
}
