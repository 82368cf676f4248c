using System;
using System.Linq;
using Xunit;

namespace DurableGen.Deployment.Tests;

/// <summary>Templates read back for a local run, with intrinsic functions resolved against the local account.</summary>
public sealed class TemplateReaderTests
{
    [Fact]
    public void The_generated_template_reads_back_as_the_functions_of_the_manifest()
    {
        var functions = TemplateReader.Parse(CloudFormationTemplate.Write(Manifests.Everything()), new LocalAccount("eu-west-1", "111122223333"));

        Assert.Equal(["audit_log", "notifier", "order-flow"], functions.Select(f => f.Name));
        var flow = functions.Single(f => f.Name == "order-flow");
        Assert.True(flow.IsDurable);
        Assert.Equal(86_400, flow.ExecutionTimeout);
        Assert.Equal("order-flow", flow.Handler);
        Assert.Equal("provided.al2023", flow.Runtime);
        Assert.Equal(60, flow.Timeout);
        Assert.Equal("arm64", flow.Architecture);
        Assert.Equal(["live"], flow.Aliases);
        Assert.Equal("bin/lambda/bootstrap-arm64.zip", flow.CodeUri);
        // The alias ARN of the sibling it invokes, resolved for the local account.
        Assert.Equal("""{"notifier":"arn:aws:lambda:eu-west-1:111122223333:function:notifier:live"}""",
            flow.Environment[CloudFormationTemplate.FunctionArnsVariable]);

        var notifier = functions.Single(f => f.Name == "notifier");
        Assert.False(notifier.IsDurable);
        Assert.Equal(256, notifier.MemorySize);
        Assert.Equal(10, notifier.Timeout);
        Assert.Equal("orders", notifier.Environment["TOPIC"]);
        Assert.Equal(90, functions.Single(f => f.Name == "audit_log").RetentionPeriodInDays);
    }

    [Fact]
    public void A_hand_written_sam_template_with_short_form_tags_reads_as_sam_local_would()
    {
        const string Sam = """
            AWSTemplateFormatVersion: '2010-09-09'
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Stage:
                Type: String
                Default: dev
            Resources:
              Worker:
                Type: AWS::Serverless::Function
                Properties:
                  Runtime: nodejs22.x
                  Handler: index.handler
                  CodeUri: worker/
                  AutoPublishAlias: live
                  Environment:
                    Variables:
                      TABLE: !Sub 'orders-${Stage}-${AWS::Region}'
                      SELF: !GetAtt Worker.Arn
                      PEER: !Ref PeerAlias
                      JOINED: !Join [':', [a, !Ref Stage]]
                  DurableConfig:
                    ExecutionTimeout: 900
              Peer:
                Type: AWS::Lambda::Function
                Properties:
                  FunctionName: peer-fn
                  Handler: bootstrap
                  Runtime: provided.al2023
                  Code:
                    S3Bucket: bucket
                    S3Key: key
              PeerAlias:
                Type: AWS::Lambda::Alias
                Properties:
                  FunctionName: !Ref Peer
                  FunctionVersion: '1'
                  Name: prod
            """;

        var functions = TemplateReader.Parse(Sam);

        var worker = functions.Single(f => f.Name == "Worker");
        Assert.True(worker.IsDurable);
        Assert.Equal(900, worker.ExecutionTimeout);
        Assert.Equal("worker/", worker.CodeUri);
        Assert.Equal(["live"], worker.Aliases);
        Assert.Equal(3, worker.Timeout);
        Assert.Equal(128, worker.MemorySize);
        Assert.Equal("orders-dev-us-east-1", worker.Environment["TABLE"]);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:Worker", worker.Environment["SELF"]);
        Assert.Equal("arn:aws:lambda:us-east-1:123456789012:function:peer-fn:prod", worker.Environment["PEER"]);
        Assert.Equal("a:dev", worker.Environment["JOINED"]);
        var peer = functions.Single(f => f.Name == "peer-fn");
        Assert.Equal(["prod"], peer.Aliases);
        Assert.Null(peer.CodeUri); // an S3 location is no local path
    }

    [Theory]
    [InlineData("plain")]
    [InlineData("yes")]
    [InlineData("2010-09-09")]
    [InlineData("it's: {a} # not a comment")]
    [InlineData("line one\nline \"two\"\t\\end")]
    [InlineData("emoji \U0001F600 and \u00e9, then a newline\n")]
    [InlineData("delete \u007F and next-line \u0085")]
    public void Any_environment_value_reads_back_as_written(string value)
    {
        var manifest = new DeploymentManifest("bootstrap", [new ManifestFunction
        {
            Name = "f", IsDurable = false, TypeName = "T", Architecture = "x86_64", MemorySize = 128, FunctionTimeout = 3,
            Description = value, Environment = new System.Collections.Generic.Dictionary<string, string> { ["VALUE"] = value },
        }]);

        var text = CloudFormationTemplate.Write(manifest);

        Assert.Equal(value, TemplateReader.Parse(text).Single().Environment["VALUE"]);
    }

    [Fact]
    public void Sam_globals_apply_to_serverless_functions_that_do_not_set_the_property_and_environments_merge()
    {
        const string Sam = """
            Globals:
              Function:
                Timeout: 30
                MemorySize: 1024
                Runtime: provided.al2023
                Environment:
                  Variables:
                    STAGE: dev
                    TABLE: shared
            Resources:
              A:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a
                  Timeout: 5
                  Environment:
                    Variables:
                      TABLE: own
              B:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: b
              C:
                Type: AWS::Lambda::Function
                Properties:
                  Handler: c
            """;

        var functions = TemplateReader.Parse(Sam).ToDictionary(f => f.Name);

        Assert.Equal((5, 1024, "provided.al2023"), (functions["A"].Timeout, functions["A"].MemorySize, functions["A"].Runtime));
        Assert.Equal("dev", functions["A"].Environment["STAGE"]);
        Assert.Equal("own", functions["A"].Environment["TABLE"]);
        Assert.Equal((30, 1024), (functions["B"].Timeout, functions["B"].MemorySize));
        Assert.Equal("shared", functions["B"].Environment["TABLE"]);
        Assert.Equal((3, 128), (functions["C"].Timeout, functions["C"].MemorySize)); // Globals are SAM's: not for plain resources
        Assert.Empty(functions["C"].Environment);
    }

    [Theory]
    [InlineData("Resources: [", "not valid YAML")]
    [InlineData("Description: none", "has no Resources")]
    [InlineData("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Timeout: soon", "F.Timeout must be a whole number")]
    [InlineData("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: !Ref Nothing", "Ref Nothing names no parameter or resource")]
    [InlineData("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: !Base64 x", "Fn::Base64, which a local run does not resolve")]
    [InlineData("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      FunctionName: !GetAtt F.Arn", "refers to itself through Ref")]
    [InlineData("Resources:\n  F:\n    Type: AWS::Lambda::Function\n    Properties:\n      Handler: !GetAtt F.SnapStartResponse", "not an attribute a local run resolves")]
    public void A_template_a_local_run_cannot_use_is_a_clear_error(string text, string expected)
    {
        var error = Assert.Throws<FormatException>(() => TemplateReader.Parse(text));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
