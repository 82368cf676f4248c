using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Text.Json;
using System.Threading.Tasks;
using DurableGen.Protocol;
using DurableGen.TestSupport;
using OrderApproval;
using Xunit;
using Xunit.Abstractions;
using YamlDotNet.RepresentationModel;

namespace DurableGen.Hosting.Tests;

/// <summary>
/// What <c>durablegen package samples/OrderApproval</c> produces, checked as AWS would take it: a zip per architecture
/// holding an executable <c>bootstrap</c> for that machine, each of which serves a real invocation (arm64 under qemu),
/// and a template that the CloudFormation resource specification accepts and that grants each function exactly what its
/// code does.
/// </summary>
[Collection(DotnetCliCollection.Name)]
public sealed class PackagedSampleTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Package_writes_the_template_and_one_zip_per_architecture_without_IL_warnings()
    {
        var package = await PackagedSample.GetAsync();
        output.WriteLine(package.Log);

        Assert.DoesNotMatch(@"warning IL\d+", package.Log);
        Assert.True(File.Exists(package.TemplatePath));
        foreach (var (architecture, machine) in new[] { ("x86_64", PackagedSample.ElfX64), ("arm64", PackagedSample.ElfArm64) })
        {
            using (var zip = ZipFile.OpenRead(package.Zip(architecture)))
            {
                var entry = Assert.Single(zip.Entries);
                Assert.Equal("bootstrap", entry.FullName);
                Assert.Equal(0x81ED, (entry.ExternalAttributes >> 16) & 0xFFFF); // a regular file, mode 0755
            }

            var bootstrap = package.Bootstrap(architecture);
            Assert.Equal(machine, PackagedSample.ElfMachine(bootstrap));
            Assert.True(OperatingSystem.IsLinux() && File.GetUnixFileMode(bootstrap).HasFlag(UnixFileMode.UserExecute | UnixFileMode.OtherExecute));
            output.WriteLine($"{architecture}: bootstrap {new FileInfo(bootstrap).Length / 1048576.0:0.00} MB, zip {new FileInfo(package.Zip(architecture)).Length / 1048576.0:0.00} MB");
        }
    }

    [Fact]
    public async Task The_template_passes_the_resource_specification_and_points_at_the_zips()
    {
        var package = await PackagedSample.GetAsync();

        var (errors, checkedCounts) = await TemplateValidator.ValidateAsync(package.TemplatePath);

        Assert.Empty(errors);
        output.WriteLine(checkedCounts.ToString());
        var codes = checkedCounts.GetProperty("packagedCode").EnumerateArray().Select(c => c.GetString()!.Split(": ")[1]).ToList();
        Assert.Equal(3, codes.Count);
        Assert.All(codes, code => Assert.True(File.Exists(Path.Combine(package.Directory, code)), code));
        Assert.Contains("bootstrap-arm64.zip", codes);
        Assert.Contains("bootstrap-x86_64.zip", codes);
    }

    [Fact]
    public async Task Each_role_grants_exactly_what_its_function_does()
    {
        var template = Load((await PackagedSample.GetAsync()).TemplatePath);
        const string Arn = "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:";
        var roles = Roles(template);

        foreach (var workflow in new[] { "OrderApprovalRole", "OrderApprovalHandoffRole" })
        {
            // The workflow invokes the approver (through its alias) and nothing else, and completes no callback.
            Assert.Equal([("lambda:InvokeFunction", Arn + "order-approver:live")], roles[workflow].Statements);
            Assert.Equal(["arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicDurableExecutionRolePolicy"], roles[workflow].Managed);
        }

        // The approver completes the callbacks of both workflows' executions and invokes nothing.
        var approver = roles["OrderApproverRole"];
        Assert.Equal(["arn:${AWS::Partition}:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"], approver.Managed);
        Assert.Equal(
            new[] { "Success", "Failure", "Heartbeat" }.SelectMany(a => new[] { "order-approval", "order-approval-handoff" }
                .Select(w => ($"lambda:SendDurableExecutionCallback{a}", $"{Arn}{w}:*"))).Order(),
            approver.Statements.Order());

        Assert.DoesNotContain(roles.Values.SelectMany(r => r.Statements), s => s.Action.Contains('*', StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_arm64_bootstrap_serves_one_real_invocation_under_qemu()
    {
        var (envelope, expected) = await SampleExecution.RunToEndAsync("order-approval", new Order("o-arm64", "ada", 420m));
        await using var api = await FakeRuntimeApi.StartAsync();
        var bootstrap = (await PackagedSample.GetAsync()).Bootstrap("arm64");
        using var process = AotBootstrapTests.Start(bootstrap, api, replayOnly: true);
        try
        {
            var watch = Stopwatch.StartNew();
            api.Enqueue(new NextAnswer("req-arm64", envelope, DeadlineMs: DateTimeOffset.UtcNow.AddMinutes(2).ToUnixTimeMilliseconds()));

            var posted = await api.NextPostedAsync(TimeSpan.FromSeconds(120));
            output.WriteLine($"arm64 bootstrap under qemu answered {posted.Kind} in {watch.ElapsedMilliseconds} ms");

            Assert.Equal(("response", "req-arm64"), (posted.Kind, posted.RequestId));
            var result = Envelopes.Output(posted.Body);
            Assert.Equal(InvocationStatus.Succeeded, result.Status);
            Assert.Equal(expected, result.Result);
        }
        finally
        {
            AotBootstrapTests.Stop(process);
        }
    }

    [Fact]
    public async Task The_x86_64_bootstrap_runs_the_plain_approver_which_answers_the_callback()
    {
        await using var api = await FakeRuntimeApi.StartAsync();
        var bootstrap = (await PackagedSample.GetAsync()).Bootstrap("x86_64");
        using var process = AotBootstrapTests.Start(bootstrap, api, replayOnly: false,
            ("_HANDLER", "order-approver"), ("AWS_LAMBDA_FUNCTION_NAME", "order-approver"),
            ("AWS_ENDPOINT_URL_LAMBDA", "http://" + api.Address), ("AWS_REGION", "us-east-1"),
            ("AWS_ACCESS_KEY_ID", "local"), ("AWS_SECRET_ACCESS_KEY", "local"));
        try
        {
            var request = JsonSerializer.Serialize(new ApprovalRequest("cb-1", new Order("o-plain", "ada", 420m)), OrderApprovalJson.Default.ApprovalRequest);
            api.Enqueue(new NextAnswer("req-plain", request, DeadlineMs: DateTimeOffset.UtcNow.AddMinutes(1).ToUnixTimeMilliseconds()));

            var heartbeat = await api.NextPostedAsync(TimeSpan.FromSeconds(60));
            var succeed = await api.NextPostedAsync(TimeSpan.FromSeconds(60));
            var response = await api.NextPostedAsync(TimeSpan.FromSeconds(60));

            Assert.Equal(("callback-heartbeat", "cb-1"), (heartbeat.Kind, heartbeat.RequestId));
            Assert.Equal(("callback-succeed", "cb-1"), (succeed.Kind, succeed.RequestId));
            Assert.Equal("""{"Approved":true,"Approver":"kim","Reason":null}""", succeed.Body);
            Assert.Equal(("response", "req-plain", "null"), (response.Kind, response.RequestId, response.Body));
        }
        finally
        {
            AotBootstrapTests.Stop(process);
        }
    }

    [Fact]
    public async Task Building_with_DurableGenPackage_writes_the_same_bytes_as_durablegen_package()
    {
        var package = await PackagedSample.GetAsync();
        var output = Directory.CreateTempSubdirectory("durablegen-msbuild-package-").FullName;
        try
        {
            // The MSBuild route runs the same tool; reusing the bootstraps the CLI published, what it writes must be
            // byte for byte what the CLI wrote (template and zips are deterministic).
            var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet",
                ["build", "samples/OrderApproval", "-c", "Release", "-nologo", "-p:DurableGenPackage=true",
                    "-p:DurableGenSkipPublish=true", $"-p:DurableGenPackageOutput={output}"], 600, "dotnet is missing", RepositoryRoot.Path);
            Assert.True(code == 0, $"dotnet build -p:DurableGenPackage=true failed ({code}):\n{stdout}\n{stderr}");

            foreach (var file in new[] { "template.yaml", "bootstrap-x86_64.zip", "bootstrap-arm64.zip" })
            {
                Assert.True(File.ReadAllBytes(Path.Combine(package.Directory, file)).AsSpan()
                    .SequenceEqual(File.ReadAllBytes(Path.Combine(output, file))), file + " differs");
            }
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    [Fact]
    public async Task Architectures_given_explicitly_are_the_ones_built_and_leaving_out_a_used_one_is_an_error()
    {
        await PackagedSample.GetAsync(); // what it published is reused: this checks the choice, not the build
        var output = Directory.CreateTempSubdirectory("durablegen-arch-package-").FullName;
        try
        {
            var (code, stdout, stderr) = await TestProcess.RunAsync("dotnet",
                ["build", "samples/OrderApproval", "-c", "Release", "-nologo", "-p:DurableGenPackage=true",
                    "-p:DurableGenSkipPublish=true", "-p:DurableGenArchitectures=x86_64", $"-p:DurableGenPackageOutput={output}"],
                600, "dotnet is missing", RepositoryRoot.Path);

            Assert.NotEqual(0, code);
            Assert.Contains("The functions run on arm64, which --arch left out (order-approval, order-approval-handoff)", stdout + stderr,
                StringComparison.Ordinal);
            Assert.False(File.Exists(Path.Combine(output, "bootstrap-arm64.zip")), "nothing is packaged for an architecture left out");
        }
        finally
        {
            Directory.Delete(output, recursive: true);
        }
    }

    private static YamlMappingNode Load(string path)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(path)));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    /// <summary>Each role's (action, resource) pairs and managed policies.</summary>
    private static Dictionary<string, (List<(string Action, string Resource)> Statements, List<string> Managed)> Roles(YamlMappingNode template)
    {
        static YamlNode Get(YamlNode node, string key) => ((YamlMappingNode)node).Children[new YamlScalarNode(key)];
        static string Text(YamlNode node) => node is YamlScalarNode s ? s.Value! : ((YamlScalarNode)Get(node, "Fn::Sub")).Value!;
        static IEnumerable<YamlNode> Items(YamlNode node) => node is YamlSequenceNode list ? list.Children : [node];

        var roles = new Dictionary<string, (List<(string, string)>, List<string>)>();
        foreach (var (key, resource) in ((YamlMappingNode)Get(template, "Resources")).Children)
        {
            if (Text(Get(resource, "Type")) != "AWS::IAM::Role")
            {
                continue;
            }

            var properties = (YamlMappingNode)Get(resource, "Properties");
            var statements = new List<(string, string)>();
            if (properties.Children.TryGetValue(new YamlScalarNode("Policies"), out var policies))
            {
                foreach (var statement in Items(policies).SelectMany(p => Items(Get(Get(p, "PolicyDocument"), "Statement"))))
                {
                    Assert.Equal("Allow", Text(Get(statement, "Effect")));
                    statements.AddRange(Items(Get(statement, "Action")).SelectMany(a => Items(Get(statement, "Resource")).Select(r => (Text(a), Text(r)))));
                }
            }

            roles[((YamlScalarNode)key).Value!] = (statements, Items(Get(properties, "ManagedPolicyArns")).Select(Text).ToList());
        }

        return roles;
    }
}
