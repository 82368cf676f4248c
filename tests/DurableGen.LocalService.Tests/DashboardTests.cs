using System.Linq;
using System.Threading.Tasks;
using Xunit;

namespace DurableGen.LocalService.Tests;

/// <summary>The dashboard's page and the JSON it reads (checked over HTTP; the page's script only calls these and the
/// REST APIs).</summary>
public sealed class DashboardTests
{
    [Fact]
    public async Task The_page_and_its_data_endpoints_are_served()
    {
        await using var test = await TestService.StartAsync();
        using var page = await test.Http.GetAsync("/");
        Assert.Equal("text/html; charset=utf-8", page.Content.Headers.ContentType!.ToString());
        var html = await page.Content.ReadAsStringAsync();
        foreach (var id in new[] { "id=\"executions\"", "id=\"history\"", "id=\"callback-form\"", "send-success", "send-failure", "/local/executions" })
        {
            Assert.Contains(id, html, System.StringComparison.Ordinal);
        }

        var arn = await test.StartExecutionAsync();
        var executions = await test.GetJsonAsync("local/executions");
        var item = Assert.Single(executions.GetProperty("DurableExecutions").EnumerateArray());
        Assert.Equal(arn, item.GetProperty("DurableExecutionArn").GetString());
        Assert.Equal("order-flow", item.GetProperty("FunctionName").GetString());

        var functions = (await test.GetJsonAsync("local/functions")).EnumerateArray().ToList();
        Assert.Contains(functions, f => f.GetProperty("Name").GetString() == "echo" && !f.GetProperty("Durable").GetBoolean());
        Assert.Contains(functions, f => f.GetProperty("RuntimeApi").GetString() == test.Service.RuntimeApiFor("order-flow"));
    }
}
