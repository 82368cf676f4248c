using System.Threading.Tasks;
using Xunit;
using Verify = DurableGen.Analyzers.Tests.AnalyzerVerifier<DurableGen.Analyzers.DeterminismAnalyzer>;

namespace DurableGen.Analyzers.Tests;

public class DeterminismAnalyzerTests
{
    // ---- DG2001 clock and timers ----

    [Theory]
    [InlineData("DateTime.UtcNow")]
    [InlineData("DateTime.Now")]
    [InlineData("DateTime.Today")]
    [InlineData("DateTimeOffset.UtcNow")]
    [InlineData("DateTimeOffset.Now")]
    [InlineData("Environment.TickCount64")]
    [InlineData("TimeProvider.System")]
    [InlineData("System.Diagnostics.Stopwatch.GetTimestamp()")]
    [InlineData("System.Diagnostics.Stopwatch.StartNew()")]
    [InlineData("new System.Diagnostics.Stopwatch()")]
    public Task Clock_reads_in_workflow_code_are_reported(string expression) => Verify.VerifyAsync($$"""
        class W
        {
            public async Task<object> RunAsync(string input, IDurableContext context)
            {
                await context.WaitAsync(TimeSpan.FromSeconds(1));
                return {|DG2001:{{expression}}|};
            }
        }
        """);

    [Fact]
    public Task Injected_time_provider_reads_are_reported() => Verify.VerifyAsync("""
        class W(TimeProvider clock)
        {
            public Task<DateTimeOffset> RunAsync(string input, IDurableContext context) =>
                Task.FromResult({|DG2001:clock.GetUtcNow()|});
        }
        """);

    [Fact]
    public Task System_time_provider_call_is_reported_once() => Verify.VerifyAsync("""
        class W
        {
            public async Task<DateTimeOffset> RunAsync(string input, IDurableContext context)
            {
                var inStep = await context.StepAsync((step, ct) => Task.FromResult(TimeProvider.System.GetUtcNow()), "now");
                return {|#0:TimeProvider.System.GetUtcNow()|};
            }
        }
        """, Verify.Diagnostic("DG2001").WithLocation(0).WithArguments("TimeProvider.GetUtcNow", "RunAsync → TimeProvider.GetUtcNow"));

    [Fact]
    public Task Call_through_an_interface_with_a_single_implementation_names_the_implementation() => Verify.VerifyAsync("""
        interface IClock { DateTime Now(); DateTime Today { get; } }
        sealed class SystemClock : IClock
        {
            public DateTime Now() => {|#1:DateTime.UtcNow|};
            public DateTime Today => {|#3:DateTime.Today|};
        }
        class W(IClock clock)
        {
            public async Task<DateTime> RunAsync(string input, IDurableContext context)
            {
                var inStep = await context.StepAsync((step, ct) => Task.FromResult(clock.Now()), "now");
                var today = {|#2:clock.Today|};
                return {|#0:clock.Now()|};
            }
        }
        """,
        Verify.Diagnostic("DG2001").WithLocation(0).WithLocation(1).WithArguments("DateTime.UtcNow", "RunAsync → SystemClock.Now → DateTime.UtcNow"),
        Verify.Diagnostic("DG2001").WithLocation(2).WithLocation(3).WithArguments("DateTime.Today", "RunAsync → SystemClock.Today → DateTime.Today"));

    [Fact]
    public Task Call_through_an_interface_with_several_implementations_is_not_followed() => Verify.VerifyAsync("""
        interface IClock { DateTime Now(); }
        sealed class SystemClock : IClock { public DateTime Now() => DateTime.UtcNow; }
        sealed class FixedClock : IClock { public DateTime Now() => new DateTime(2024, 1, 1); }
        sealed class OtherLogger : ILogger
        {
            public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;
            public bool IsEnabled(LogLevel logLevel) => true;
            public void Log<TState>(LogLevel l, EventId e, TState s, Exception? x, Func<TState, Exception?, string> f) => Console.WriteLine(f(s, x));
        }
        class W(IClock clock)
        {
            public Task<DateTime> RunAsync(string input, IDurableContext context)
            {
                context.Logger.LogInformation("x");
                return Task.FromResult(clock.Now());
            }
        }
        """);

    [Fact]
    public Task Timers_are_reported() => Verify.VerifyAsync("""
        class W
        {
            public Task RunAsync(string input, IDurableContext context)
            {
                using var timer = {|DG2001:new System.Threading.Timer(_ => { }, null, 0, 100)|};
                return Task.CompletedTask;
            }
        }
        """);

    [Fact]
    public Task Message_names_the_root_and_the_api() => Verify.VerifyAsync("""
        class W
        {
            public Task<DateTime> RunAsync(string input, IDurableContext context) => Task.FromResult({|#0:DateTime.UtcNow|});
        }
        """, Verify.Diagnostic("DG2001").WithLocation(0).WithArguments("DateTime.UtcNow", "RunAsync → DateTime.UtcNow"));

    [Fact]
    public Task Clock_reads_inside_steps_and_checks_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<DateTime> RunAsync(string input, IDurableContext context)
            {
                var now = await context.StepAsync((step, ct) => Task.FromResult(DateTime.UtcNow), "now");
                await context.StepAsync(async (step, ct) => { await Task.Delay(10, ct); Console.WriteLine(Guid.NewGuid()); }, "io");
                await context.WaitForCallbackAsync<string>((id, submit, ct) =>
                {
                    Console.WriteLine(DateTime.UtcNow);
                    return Task.CompletedTask;
                }, "approval", new WaitForCallbackConfig { Timeout = TimeSpan.FromHours(1) });
                return now;
            }
        }
        """);

    [Fact]
    public Task Non_workflow_code_is_not_reported() => Verify.VerifyAsync("""
        class Service
        {
            public DateTime Now() => DateTime.UtcNow;
            public Guid Id() => Guid.NewGuid();
            public async Task Wait() => await Task.Delay(10);
        }
        """);

    [Fact]
    public Task Deterministic_code_in_workflows_is_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<string> RunAsync(DateTime input, IDurableContext context)
            {
                var tomorrow = input.AddDays(1);
                var parsed = DateTime.Parse("2024-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
                var seeded = new Random(42).Next();
                var id = Guid.Parse("6f9619ff-8b86-d011-b42d-00c04fc964ff");
                context.Logger.LogInformation("Tomorrow is {Tomorrow}", tomorrow);
                await context.WaitAsync(TimeSpan.FromMinutes(5));
                return $"{tomorrow:O} {parsed:O} {seeded} {id} {Environment.NewLine}";
            }
        }
        """);

    // ---- DG2002 randomness ----

    [Theory]
    [InlineData("Guid.NewGuid()")]
    [InlineData("Guid.CreateVersion7()")]
    [InlineData("new Random()")]
    [InlineData("Random.Shared")]
    [InlineData("System.Security.Cryptography.RandomNumberGenerator.GetInt32(10)")]
    [InlineData("System.IO.Path.GetRandomFileName()")]
    public Task Random_values_in_workflow_code_are_reported(string expression) => Verify.VerifyAsync($$"""
        class W
        {
            public Task<object> RunAsync(string input, IDurableContext context) => Task.FromResult<object>({|DG2002:{{expression}}|});
        }
        """);

    [Fact]
    public Task Seeded_random_is_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public Task<int> RunAsync(int seed, IDurableContext context) => Task.FromResult(new Random(seed).Next());
        }
        """);

    // ---- DG2003 I/O ----

    [Fact]
    public Task Http_files_processes_and_callback_clients_are_reported() => Verify.VerifyAsync("""
        class W(System.Net.Http.HttpClient http, IDurableCallbackClient callbacks)
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                var text = await {|DG2003:http.GetStringAsync("https://example.com")|};
                {|DG2003:System.IO.File.WriteAllText("/tmp/x", text)|};
                using var stream = {|DG2003:new System.IO.FileStream("/tmp/y", System.IO.FileMode.Open)|};
                {|DG2003:System.Diagnostics.Process.Start("ls")|};
                await {|DG2003:callbacks.SendCallbackHeartbeatAsync(input)|};
            }
        }
        """);

    [Fact]
    public Task Databases_sockets_and_aws_clients_are_reported() => Verify.VerifyAsync("""
        namespace Amazon.S3 { public interface IAmazonS3 { Task PutObjectAsync(string key); } }
        class W(System.Data.Common.DbConnection db, System.Net.Sockets.Socket socket, Amazon.S3.IAmazonS3 s3)
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await {|DG2003:db.OpenAsync()|};
                {|DG2003:socket.Send(new byte[1])|};
                await {|DG2003:s3.PutObjectAsync(input)|};
                db.Dispose();
            }
        }
        """);

    [Fact]
    public Task Io_inside_a_step_is_not_reported() => Verify.VerifyAsync("""
        class W(System.Net.Http.HttpClient http)
        {
            public async Task<string> RunAsync(string input, IDurableContext context) =>
                await context.StepAsync((step, ct) => http.GetStringAsync("https://example.com", ct), "fetch");
        }
        """);

    // ---- DG2004 environment ----

    [Theory]
    [InlineData("Environment.GetEnvironmentVariable(\"STAGE\")")]
    [InlineData("Environment.MachineName")]
    [InlineData("Environment.ProcessorCount")]
    [InlineData("Environment.CurrentDirectory")]
    [InlineData("System.Net.Dns.GetHostName()")]
    [InlineData("context.LambdaContext.AwsRequestId")]
    [InlineData("context.LambdaContext.RemainingTime")]
    public Task Environment_reads_are_reported(string expression) => Verify.VerifyAsync($$"""
        class W
        {
            public Task<object> RunAsync(string input, IDurableContext context) => Task.FromResult<object>({|DG2004:{{expression}}|});
        }
        """);

    [Fact]
    public Task Stable_execution_facts_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public Task<string> RunAsync(string input, IDurableContext context) =>
                Task.FromResult(context.ExecutionContext.DurableExecutionArn + context.LambdaContext.FunctionName);
        }
        """);

    // ---- DG2005 sleeps ----

    [Fact]
    public Task Delay_and_sleep_are_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await {|DG2005:Task.Delay(TimeSpan.FromSeconds(5))|};
                {|DG2005:Thread.Sleep(100)|};
            }
        }
        """);

    // ---- DG2006 threading ----

    [Fact]
    public Task Threading_apis_are_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context)
            {
                await {|DG2006:Task.Run(() => 1)|};
                await {|DG2006:Task.Factory.StartNew(() => 1)|};
                {|DG2006:Parallel.For(0, 3, i => { })|};
                {|DG2006:ThreadPool.QueueUserWorkItem(_ => { })|};
                var thread = {|DG2006:new Thread(() => { })|};
                await {|DG2006:context.WaitAsync(TimeSpan.FromSeconds(1)).ContinueWith(t => 1)|};
            }
        }
        """);

    // ---- DG2007 console ----

    [Fact]
    public Task Console_is_reported_and_the_context_logger_is_not() => Verify.VerifyAsync("""
        class W
        {
            public Task RunAsync(string input, IDurableContext context)
            {
                {|DG2007:Console.WriteLine(input)|};
                context.Logger.LogInformation("Got {Input}", input);
                return Task.CompletedTask;
            }
        }
        """);

    // ---- Where workflow code is ----

    [Fact]
    public Task Local_functions_and_lambdas_with_a_context_are_workflow_code() => Verify.VerifyAsync("""
        class Registrations
        {
            public void Register(Action<Func<string, IDurableContext, Task<Guid>>> register)
            {
                register(async (input, ctx) => {|DG2002:Guid.NewGuid()|});

                async Task<DateTime> Workflow(IDurableContext ctx)
                {
                    await ctx.WaitAsync(TimeSpan.FromSeconds(1));
                    return {|#0:DateTime.UtcNow|};
                }
            }
        }
        """, Verify.Diagnostic("DG2001").WithLocation(0).WithArguments("DateTime.UtcNow", "Workflow → DateTime.UtcNow"));

    [Fact]
    public Task Child_context_and_parallel_bodies_are_workflow_code() => Verify.VerifyAsync("""
        class W
        {
            public Task<Guid> RunAsync(string input, IDurableContext context) =>
                context.RunInChildContextAsync((child, ct) => Task.FromResult({|DG2002:Guid.NewGuid()|}), "child");
        }
        """);

    [Fact]
    public Task Durable_workflow_class_run_method_is_workflow_code() => Verify.VerifyAsync("""
        namespace DurableGen { [AttributeUsage(AttributeTargets.Class)] public sealed class DurableWorkflowAttribute : Attribute { } }
        [DurableWorkflow]
        partial class Orders
        {
            public Task<DateTime> RunAsync(string input) => Task.FromResult({|DG2001:DateTime.UtcNow|});
        }
        """);

    // ---- Transitive ----

    [Fact]
    public Task Helpers_are_followed_and_the_chain_is_in_the_message() => Verify.VerifyAsync("""
        class W
        {
            public async Task<decimal> RunAsync(decimal amount, IDurableContext context)
            {
                await context.WaitAsync(TimeSpan.FromSeconds(1));
                return {|#0:PriceOrder(amount)|};
            }

            private static decimal PriceOrder(decimal amount) => Discount() * amount;

            private static decimal Discount() => {|#1:DateTime.UtcNow|}.DayOfWeek == DayOfWeek.Friday ? 0.9m : 1m;
        }
        """, Verify.Diagnostic("DG2001").WithLocation(0).WithLocation(1)
            .WithArguments("DateTime.UtcNow", "RunAsync → PriceOrder → Discount → DateTime.UtcNow"));

    [Fact]
    public Task Helpers_in_other_files_properties_and_constructors_are_followed() => Verify.VerifyAsync(
    [
        """
        class W
        {
            public Task<string> RunAsync(string input, IDurableContext context) =>
                Task.FromResult({|#0:Ids.Next|} + {|#2:new Stamp()|}.Value);
        }
        """,
        """
        static class Ids { public static string Next => {|#1:Guid.NewGuid()|}.ToString(); }
        class Stamp { public Stamp() { Value = {|#3:Environment.MachineName|}; } public string Value { get; } }
        """,
    ],
        Verify.Diagnostic("DG2002").WithLocation(0).WithLocation(1).WithArguments("Guid.NewGuid", "RunAsync → Next → Guid.NewGuid"),
        Verify.Diagnostic("DG2004").WithLocation(2).WithLocation(3)
            .WithArguments("Environment.MachineName", "RunAsync → new Stamp → Environment.MachineName"));

    [Fact]
    public Task Recursive_helpers_terminate() => Verify.VerifyAsync("""
        class W
        {
            public Task<int> RunAsync(int n, IDurableContext context) => Task.FromResult({|#0:Ping(n)|});
            private static int Ping(int n) => n == 0 ? {|#1:Environment.TickCount|} : Pong(n - 1);
            private static int Pong(int n) => Ping(n);
        }
        """, Verify.Diagnostic("DG2001").WithLocation(0).WithLocation(1)
            .WithArguments("Environment.TickCount", "RunAsync → Ping → Environment.TickCount"));

    [Fact]
    public Task Helpers_called_only_from_steps_and_clean_helpers_are_not_reported() => Verify.VerifyAsync("""
        class W
        {
            public async Task<decimal> RunAsync(decimal amount, IDurableContext context)
            {
                var stamp = await context.StepAsync((s, ct) => Task.FromResult(Stamp()), "stamp");
                return Price(amount) + stamp.Ticks;
            }

            private static DateTime Stamp() => DateTime.UtcNow;
            private static decimal Price(decimal amount) => amount * 1.2m;
        }
        """);

    [Fact]
    public Task Helpers_that_take_a_context_are_reported_on_their_own() => Verify.VerifyAsync("""
        class W
        {
            public async Task RunAsync(string input, IDurableContext context) => await Helper(context);

            private static async Task Helper(IDurableContext context)
            {
                await context.WaitAsync(TimeSpan.FromSeconds(1));
                {|DG2007:Console.WriteLine("x")|};
            }
        }
        """);

    internal const string TypedCallback = """
        public static class ManagerApproval
        {
            public static Task<bool> WaitAsync(IDurableContext context, Func<string, IWaitForCallbackContext, CancellationToken, Task> submit) =>
                context.WaitForCallbackAsync<bool>(submit, "manager-approval", new WaitForCallbackConfig { Timeout = TimeSpan.FromDays(3) });

            // As the generator writes it: a null guard first, then the forwarding.
            public static Task<bool> WaitAsync(IDurableContext context, Func<string, CancellationToken, Task> submit)
            {
                ArgumentNullException.ThrowIfNull(submit);
                return WaitAsync(context, (callbackId, _, token) => submit(callbackId, token));
            }

            public static Task<bool> GuardedAsync(IDurableContext context, Func<string, CancellationToken, Task> submit)
            {
                if (submit is null || submit == null) throw new ArgumentNullException(nameof(submit));
                return WaitAsync(context, submit);
            }

            // Not a guard: the delegate also runs outside the step, so lambdas passed here stay workflow code.
            public static async Task<bool> LeakyAsync(IDurableContext context, Func<string, CancellationToken, Task> submit)
            {
                await submit("not-a-callback", CancellationToken.None);
                return await WaitAsync(context, submit);
            }

            public static Task<T> Later<T>(IDurableContext context, Func<Task<T>> work) => work();
        }

        """;

    [Fact]
    public Task Lambdas_that_helpers_run_as_submitters_are_not_workflow_code() => Verify.VerifyAsync(TypedCallback + """
        class W(System.Net.Http.HttpClient http)
        {
            public async Task<bool> RunAsync(string input, IDurableContext context)
            {
                var a = await ManagerApproval.WaitAsync(context, (id, ct) => http.PostAsync($"https://approvals/{id}", null, ct));
                var b = await ManagerApproval.WaitAsync(context, (id, submit, ct) => http.PostAsync($"https://approvals/{id}?at={DateTime.UtcNow:O}", null, ct));
                var c = await ManagerApproval.Later(context, () => Task.FromResult({|DG2002:Guid.NewGuid()|}));
                var d = await ManagerApproval.GuardedAsync(context, (id, ct) => http.PostAsync($"https://approvals/{id}", null, ct));
                var e = await ManagerApproval.LeakyAsync(context, (id, ct) => {|DG2003:http.PostAsync($"https://approvals/{id}", null, ct)|});
                return a && b && c != Guid.Empty && d && e;
            }
        }
        """);

    [Fact]
    public Task Code_without_the_runtime_is_ignored() => Verify.VerifyAsync("""
        class Plain { public DateTime Now() => DateTime.UtcNow; }
        """);
}
