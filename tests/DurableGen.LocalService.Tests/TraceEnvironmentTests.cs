using System;
using System.Linq;
using System.Threading.Tasks;
using Xunit;
using Xunit.Abstractions;

namespace DurableGen.LocalService.Tests;

/// <summary>The OpenTelemetry variables the service gives the processes it starts: its own OTLP receiver by default,
/// what the developer set when they set it, nothing with <see cref="LocalServiceOptions.CollectTraces"/> off.</summary>
public sealed class TraceEnvironmentTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Processes_export_to_the_service_unless_the_developer_chose_where_or_turned_it_off()
    {
        Assert.True(string.IsNullOrEmpty(Environment.GetEnvironmentVariable("OTEL_EXPORTER_OTLP_ENDPOINT")),
            "this test expects the test process itself to have no OTEL_EXPORTER_OTLP_ENDPOINT");

        await using (var test = await TestService.StartAsync(options =>
        {
            options.Functions.Clear();
            options.Functions.Add(Printer("default"));
            var chosen = Printer("chosen");
            chosen.Environment["OTEL_EXPORTER_OTLP_ENDPOINT"] = "http://collector.example:4318";
            chosen.Environment["OTEL_SERVICE_NAME"] = "my-service";
            options.Functions.Add(chosen);
        }))
        {
            var endpoint = test.Service.BaseAddress.ToString().TrimEnd('/');
            Assert.Equal($"endpoint={endpoint} protocol=http/protobuf service=default", await LineAsync(test, "default"));
            Assert.Equal("endpoint=http://collector.example:4318 protocol=unset service=my-service", await LineAsync(test, "chosen"));
        }

        await using var off = await TestService.StartAsync(options =>
        {
            options.Functions.Clear();
            options.Functions.Add(Printer("off"));
            options.CollectTraces = false;
        });
        Assert.Equal("endpoint=unset protocol=unset service=unset", await LineAsync(off, "off"));
    }

    private static FunctionDefinition Printer(string name)
    {
        // A process that prints what it was given and stays up (the service kills it when it stops).
        var function = new FunctionDefinition { Name = name, Command = "/bin/sh" };
        function.Arguments.Add("-c");
        function.Arguments.Add("echo \"otel endpoint=${OTEL_EXPORTER_OTLP_ENDPOINT:-unset} protocol=${OTEL_EXPORTER_OTLP_PROTOCOL:-unset} " +
                               "service=${OTEL_SERVICE_NAME:-unset}\"; exec sleep 60");
        return function;
    }

    private async Task<string> LineAsync(TestService test, string function)
    {
        string? line = null;
        await ServiceApi.EventuallyAsync(() =>
        {
            lock (test.Output)
            {
                line = test.Output.FirstOrDefault(l => l.StartsWith($"[{function}] otel ", StringComparison.Ordinal));
            }

            return Task.FromResult(line is not null);
        }, $"the {function} process to print its environment", seconds: 10);
        output.WriteLine(line);
        return line![$"[{function}] otel ".Length..];
    }
}
