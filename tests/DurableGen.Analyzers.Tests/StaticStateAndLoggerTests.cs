using System.Threading.Tasks;
using Xunit;
using Verify = DurableGen.Analyzers.Tests.AnalyzerVerifier<DurableGen.Analyzers.DeterminismAnalyzer>;

namespace DurableGen.Analyzers.Tests;

public class StaticStateAndLoggerTests
{
    // ---- DG2030 static state ----

    [Fact]
    public Task Static_writes_in_workflow_code_are_reported() => Verify.VerifyAsync("""
        using System.Collections.Concurrent;

        class W
        {
            private static readonly object Gate = new();
            private static int s_count;
            private static string? s_last;
            private static int Total { get; set; }
            private static readonly List<string> Seen = new();
            private static readonly Dictionary<string, int> Attempts = new();
            private static readonly ConcurrentDictionary<string, int> Counts = new();
            private static readonly int[] Slots = new int[4];

            public async Task<int> RunAsync(string input, IDurableContext context)
            {
                lock (Gate) { {|DG2030:s_count++|}; }
                {|DG2030:s_last = input|};
                {|DG2030:Total += 2|};
                {|DG2030:Seen.Add(input)|};
                {|DG2030:Attempts[input] = 1|};
                {|DG2030:Counts.AddOrUpdate(input, 1, (_, n) => n + 1)|};
                {|DG2030:Counts.TryAdd("x", 1)|};
                {|DG2030:Counts.GetOrAdd("y", 0)|};
                {|DG2030:Slots[0] = 3|};
                {|DG2030:Interlocked.Increment(ref s_count)|};
                await context.WaitAsync(TimeSpan.FromSeconds(1));
                return s_count;
            }
        }
        """);

    [Fact]
    public Task Message_names_the_static_member_and_the_chain() => Verify.VerifyAsync("""
        class W
        {
            private static readonly List<string> Seen = new();

            public async Task RunAsync(string input, IDurableContext context)
            {
                {|#0:Remember(input)|};
                await context.WaitAsync(TimeSpan.FromSeconds(1));
            }

            private static void Remember(string value) => {|#1:Seen.Add(value)|};
        }
        """, Verify.Diagnostic("DG2030").WithLocation(0).WithLocation(1).WithArguments("W.Seen.Add", "RunAsync → Remember → W.Seen.Add"));

    [Fact]
    public Task Static_reads_locals_instance_fields_and_writes_inside_steps_are_not_reported() => Verify.VerifyAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Immutable;

        class W
        {
            private const int Limit = 3;
            private static readonly List<string> Seen = new();
            private static readonly ConcurrentDictionary<string, int> Counts = new();
            private static readonly ImmutableArray<int> Primes = ImmutableArray.Create(2, 3, 5);
            private static int s_count;
            private readonly List<string> _mine = new();
            private int _total;

            public async Task<int> RunAsync(string input, IDurableContext context)
            {
                var local = new List<string> { input };
                local.Add(input);
                _mine.Add(input);
                _total++;
                var known = Seen.Contains(input) && Counts.TryGetValue(input, out _) && Seen.Count < Limit;
                var added = Primes.Add(7);
                await context.StepAsync((step, ct) =>
                {
                    s_count++;
                    Seen.Add(input);
                    Counts.AddOrUpdate(input, 1, (_, n) => n + 1);
                    return Task.FromResult(s_count);
                }, "count");
                return s_count + _total + (known ? 1 : 0) + added.Length;
            }
        }
        """);

    // ---- DG2031 injected logger ----

    [Fact]
    public Task Injected_loggers_in_workflow_code_are_reported() => Verify.VerifyAsync("""
        class W(ILogger<W> logger)
        {
            private readonly ILogger _field = logger;
            private ILogger Prop { get; } = logger;

            public async Task RunAsync(string input, IDurableContext context)
            {
                {|#0:logger.LogInformation("Got {Input}", input)|};
                {|DG2031:_field.LogWarning("w")|};
                {|DG2031:Prop.Log(LogLevel.Information, "x")|};
                await context.WaitAsync(TimeSpan.FromSeconds(1));
            }
        }
        """, Verify.Diagnostic("DG2031").WithLocation(0).WithArguments("logger.LogInformation", "RunAsync → logger.LogInformation"));

    [Fact]
    public Task Context_logger_logger_parameters_and_injected_loggers_inside_steps_are_not_reported() => Verify.VerifyAsync("""
        class W(ILogger<W> logger)
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                context.Logger.LogInformation("Got {Input}", input);
                Report(context.Logger, input);
                await context.StepAsync((step, ct) =>
                {
                    logger.LogInformation("Charging {Input}", input);
                    step.Logger.LogInformation("Charging {Input}", input);
                    return Task.CompletedTask;
                }, "charge");
            }

            private static void Report(ILogger log, string input) => log.LogInformation("Done {Input}", input);
        }
        """);
}
