using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;

namespace DurableGen.TestSupport;

/// <summary>
/// tests/DurableGen.Deployment.Tests/js/validate-template.mjs: a template checked against the CloudFormation resource
/// specification of the AWS CDK team (npm <c>@aws-cdk/aws-service-spec</c>), resource types, property names through
/// nested types, value types and intrinsic references.
/// </summary>
internal static class TemplateValidator
{
    private static readonly NodeProject Js =
        new(RepositoryRoot.Combine("tests", "DurableGen.Deployment.Tests", "js"), "@aws-cdk/aws-service-spec", "yaml");

    /// <summary>The errors the specification finds in <paramref name="templatePath"/> (none: valid), and what it checked.</summary>
    public static async Task<(IReadOnlyList<string> Errors, JsonElement Checked)> ValidateAsync(string templatePath)
    {
        var (code, stdout, stderr) = await Js.NodeAsync("validate-template.mjs", 120, templatePath);
        var report = NodeProject.ParseJson("validate-template.mjs", stdout, stderr);
        var errors = report.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList();
        Xunit.Assert.True(code == (errors.Count == 0 ? 0 : 1), $"validate-template.mjs exited {code}:\n{stdout}\n{stderr}");
        return (errors, report.GetProperty("checked"));
    }
}
