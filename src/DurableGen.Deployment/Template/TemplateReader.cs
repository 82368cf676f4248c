using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace DurableGen.Deployment;

/// <summary>
/// Reads the Lambda functions of a CloudFormation or SAM template (YAML or JSON) for a local run, as <c>sam local</c>
/// does: <c>AWS::Lambda::Function</c> and <c>AWS::Serverless::Function</c> with their handler, runtime, code path,
/// memory, timeout, environment, <c>DurableConfig</c> and aliases. Intrinsic functions (<c>Ref</c>, <c>Fn::Sub</c>,
/// <c>Fn::GetAtt</c>, <c>Fn::Join</c>, long form or <c>!Tag</c>) are resolved against a local account, so an environment
/// variable holding an alias ARN holds the local ARN of that alias.
/// </summary>
public static partial class TemplateReader
{
    /// <summary>The functions of the template at <paramref name="path"/>.</summary>
    /// <exception cref="FormatException">The template is not valid YAML/JSON or a property has the wrong shape.</exception>
    public static IReadOnlyList<TemplateFunction> Read(string path, LocalAccount? account = null) =>
        Parse(File.ReadAllText(path), account, path);

    /// <summary>The functions of a template's text.</summary>
    /// <exception cref="FormatException">The template is not valid YAML/JSON or a property has the wrong shape.</exception>
    public static IReadOnlyList<TemplateFunction> Parse(string text, LocalAccount? account = null, string source = "template")
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new FormatException($"{source} is not valid YAML: {ex.Message}", ex);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root
            || Child(root, "Resources") is not YamlMappingNode resources)
        {
            throw new FormatException($"{source} has no Resources.");
        }

        var context = new Resolver(resources, Child(root, "Parameters") as YamlMappingNode, account ?? new LocalAccount(), source);
        var aliases = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        foreach (var (id, resource) in context.Resources("AWS::Lambda::Alias"))
        {
            var properties = Properties(resource);
            if (Child(properties, "FunctionName") is { } function && RefTarget(function) is { } target
                && context.String(Child(properties, "Name"), id + ".Name") is { } name)
            {
                (aliases.TryGetValue(target, out var list) ? list : aliases[target] = new List<string>()).Add(name);
            }
        }

        // SAM's Globals.Function applies to every AWS::Serverless::Function that does not set the property itself.
        var globals = Child(Child(root, "Globals"), "Function") as YamlMappingNode;
        var functions = new List<TemplateFunction>();
        foreach (var type in new[] { "AWS::Lambda::Function", "AWS::Serverless::Function" })
        {
            foreach (var (id, resource) in context.Resources(type))
            {
                var properties = type == "AWS::Serverless::Function" ? WithGlobals(Properties(resource), globals) : Properties(resource);
                var durable = Child(properties, "DurableConfig") as YamlMappingNode;
                var functionAliases = aliases.TryGetValue(id, out var list) ? list : new List<string>();
                if (context.String(Child(properties, "AutoPublishAlias"), id + ".AutoPublishAlias") is { } auto)
                {
                    functionAliases.Add(auto);
                }

                var code = Child(properties, "Code") ?? Child(properties, "CodeUri");
                functions.Add(new TemplateFunction
                {
                    LogicalId = id,
                    Name = context.String(Child(properties, "FunctionName"), id + ".FunctionName") ?? id,
                    Runtime = context.String(Child(properties, "Runtime"), id + ".Runtime"),
                    Handler = context.String(Child(properties, "Handler"), id + ".Handler"),
                    CodeUri = code is YamlScalarNode ? context.String(code, id + ".Code") : null,
                    IsDurable = durable is not null,
                    ExecutionTimeout = context.Int(Child(durable, "ExecutionTimeout"), id + ".DurableConfig.ExecutionTimeout"),
                    RetentionPeriodInDays = context.Int(Child(durable, "RetentionPeriodInDays"), id + ".DurableConfig.RetentionPeriodInDays"),
                    Timeout = context.Int(Child(properties, "Timeout"), id + ".Timeout") ?? 3,
                    MemorySize = context.Int(Child(properties, "MemorySize"), id + ".MemorySize") ?? 128,
                    Architecture = Child(properties, "Architectures") is YamlSequenceNode { Children.Count: > 0 } architectures
                        ? context.String(architectures.Children[0], id + ".Architectures") ?? "x86_64"
                        : "x86_64",
                    Environment = Child(Child(properties, "Environment"), "Variables") is YamlMappingNode variables
                        ? variables.Children.ToDictionary(p => ((YamlScalarNode)p.Key).Value!,
                            p => context.String(p.Value, $"{id}.Environment.{((YamlScalarNode)p.Key).Value}") ?? "", StringComparer.Ordinal)
                        : new Dictionary<string, string>(StringComparer.Ordinal),
                    Aliases = functionAliases.Distinct(StringComparer.Ordinal).ToList(),
                });
            }
        }

        return functions.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    private static YamlMappingNode? Properties(YamlMappingNode resource) => Child(resource, "Properties") as YamlMappingNode;

    /// <summary>A SAM function's properties over its template's <c>Globals.Function</c>; environment variables merge
    /// per name, the function's winning.</summary>
    private static YamlMappingNode? WithGlobals(YamlMappingNode? properties, YamlMappingNode? globals)
    {
        if (globals is null)
        {
            return properties;
        }

        var merged = new YamlMappingNode();
        foreach (var (key, value) in globals.Children)
        {
            merged.Children[key] = value;
        }

        foreach (var (key, value) in properties?.Children.AsEnumerable() ?? [])
        {
            merged.Children[key] = value;
        }

        if (Child(Child(globals, "Environment"), "Variables") is YamlMappingNode shared)
        {
            var variables = new YamlMappingNode();
            foreach (var (key, value) in shared.Children)
            {
                variables.Children[key] = value;
            }

            if (Child(Child(properties, "Environment"), "Variables") is YamlMappingNode own)
            {
                foreach (var (key, value) in own.Children)
                {
                    variables.Children[key] = value;
                }
            }

            merged.Children[new YamlScalarNode("Environment")] = new YamlMappingNode(new YamlScalarNode("Variables"), variables);
        }

        return merged;
    }

    private static YamlNode? Child(YamlNode? node, string key) =>
        node is YamlMappingNode map && map.Children.TryGetValue(new YamlScalarNode(key), out var value) ? value : null;

    /// <summary>The logical id a <c>Ref</c> (or <c>!Ref</c>) names, or null for anything else.</summary>
    private static string? RefTarget(YamlNode node) => node switch
    {
        YamlScalarNode { Tag.Value: "!Ref" } scalar => scalar.Value,
        YamlMappingNode map when map.Children.Count == 1 && Child(map, "Ref") is YamlScalarNode target => target.Value,
        _ => null,
    };

    [GeneratedRegex(@"\$\{([^}]+)\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    /// <summary>Resolves intrinsic functions to strings, for one template and one local account.</summary>
    private sealed class Resolver(YamlMappingNode resources, YamlMappingNode? parameters, LocalAccount account, string source)
    {
        // The resources being resolved right now: a Ref or GetAtt that comes back to one of them is a cycle.
        private readonly HashSet<string> _resolving = new(StringComparer.Ordinal);

        public IEnumerable<(string Id, YamlMappingNode Resource)> Resources(string type)
        {
            foreach (var (key, value) in resources.Children)
            {
                if (value is YamlMappingNode resource && Child(resource, "Type") is YamlScalarNode { Value: var t } && t == type)
                {
                    yield return (((YamlScalarNode)key).Value!, resource);
                }
            }
        }

        public int? Int(YamlNode? node, string what)
        {
            var text = String(node, what);
            return text is null
                ? null
                : int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
                    ? value
                    : throw new FormatException($"{source}: {what} must be a whole number, not '{text}'.");
        }

        public string? String(YamlNode? node, string what)
        {
            switch (node)
            {
                case null:
                    return null;
                case YamlScalarNode { Tag.IsEmpty: true } scalar:
                    return scalar.Value;
                case YamlScalarNode scalar:
                    return Intrinsic(scalar.Tag.Value.TrimStart('!'), scalar, what);
                case YamlSequenceNode { Tag.IsEmpty: false } sequence:
                    return Intrinsic(sequence.Tag.Value.TrimStart('!'), sequence, what);
                case YamlMappingNode map when map.Children.Count == 1 && map.Children.First().Key is YamlScalarNode { Value: var key }
                                              && (key == "Ref" || key!.StartsWith("Fn::", StringComparison.Ordinal)):
                    return Intrinsic(key == "Ref" ? "Ref" : key[4..], map.Children.First().Value, what);
                default:
                    throw new FormatException($"{source}: {what} must be a string or an intrinsic function.");
            }
        }

        private string Intrinsic(string name, YamlNode argument, string what)
        {
            switch (name)
            {
                case "Ref":
                    return Ref(Scalar(argument, what));
                case "GetAtt":
                {
                    var parts = argument is YamlSequenceNode list
                        ? list.Children.Select(c => Scalar(c, what)).ToArray()
                        : Scalar(argument, what).Split('.', 2);
                    return parts.Length == 2 ? GetAtt(parts[0], parts[1]) : throw new FormatException($"{source}: {what}: bad Fn::GetAtt.");
                }

                case "Sub":
                {
                    string text;
                    var variables = new Dictionary<string, string>(StringComparer.Ordinal);
                    if (argument is YamlSequenceNode { Children.Count: 2 } pair)
                    {
                        text = Scalar(pair.Children[0], what);
                        if (pair.Children[1] is YamlMappingNode map)
                        {
                            foreach (var (key, value) in map.Children)
                            {
                                variables[((YamlScalarNode)key).Value!] = String(value, what) ?? "";
                            }
                        }
                    }
                    else
                    {
                        text = Scalar(argument, what);
                    }

                    return Placeholder().Replace(text, m => m.Groups[1].Value.StartsWith('!')
                        ? "${" + m.Groups[1].Value[1..] + "}"
                        : variables.TryGetValue(m.Groups[1].Value, out var v)
                            ? v
                            : m.Groups[1].Value.Contains('.', StringComparison.Ordinal) && !m.Groups[1].Value.StartsWith("AWS::", StringComparison.Ordinal)
                                ? GetAtt(m.Groups[1].Value.Split('.', 2)[0], m.Groups[1].Value.Split('.', 2)[1])
                                : Ref(m.Groups[1].Value));
                }

                case "Join" when argument is YamlSequenceNode { Children.Count: 2 } join && join.Children[1] is YamlSequenceNode items:
                    return string.Join(Scalar(join.Children[0], what), items.Children.Select(i => String(i, what)));
                default:
                    throw new FormatException($"{source}: {what} uses Fn::{name}, which a local run does not resolve.");
            }
        }

        private static string Scalar(YamlNode node, string what) =>
            node is YamlScalarNode { Value: { } value } ? value : throw new FormatException($"{what}: expected a string.");

        private string Ref(string name)
        {
            switch (name)
            {
                case "AWS::Region": return account.Region;
                case "AWS::AccountId": return account.AccountId;
                case "AWS::Partition": return account.Partition;
                case "AWS::URLSuffix": return "amazonaws.com";
                case "AWS::StackName": return "local";
                case "AWS::NoValue": return "";
            }

            if (Child(parameters, name) is YamlMappingNode parameter)
            {
                return String(Child(parameter, "Default"), name + ".Default")
                       ?? throw new FormatException($"{source}: parameter {name} has no Default, which a local run needs.");
            }

            var resource = Child(resources, name) as YamlMappingNode
                           ?? throw new FormatException($"{source}: Ref {name} names no parameter or resource.");
            var properties = Properties(resource);
            return Guarded(name, () => (Child(resource, "Type") as YamlScalarNode)?.Value switch
            {
                "AWS::Lambda::Function" or "AWS::Serverless::Function" => String(Child(properties, "FunctionName"), name) ?? name,
                "AWS::Lambda::Alias" => FunctionArn(properties) + ":" + String(Child(properties, "Name"), name),
                "AWS::Lambda::Version" => FunctionArn(properties) + ":1",
                _ => name, // the physical name CloudFormation would make up: the logical id stands for it
            });
        }

        private string Guarded(string id, Func<string> resolve)
        {
            if (!_resolving.Add(id))
            {
                throw new FormatException($"{source}: {id} refers to itself through Ref, Fn::GetAtt or Fn::Sub.");
            }

            try
            {
                return resolve();
            }
            finally
            {
                _resolving.Remove(id);
            }
        }

        private string GetAtt(string id, string attribute)
        {
            var resource = Child(resources, id) as YamlMappingNode
                           ?? throw new FormatException($"{source}: Fn::GetAtt {id}.{attribute} names no resource.");
            var type = (Child(resource, "Type") as YamlScalarNode)?.Value;
            var properties = Properties(resource);
            return Guarded(id + "." + attribute, () => (type, attribute) switch
            {
                ("AWS::IAM::Role", "Arn") => $"arn:{account.Partition}:iam::{account.AccountId}:role/{id}",
                ("AWS::Lambda::Function" or "AWS::Serverless::Function", "Arn") => Arn(Ref(id)),
                ("AWS::Lambda::Version", "Version") => "1",
                ("AWS::Lambda::Version", "FunctionArn") => FunctionArn(properties) + ":1",
                ("AWS::Lambda::Alias", "AliasArn") => Ref(id),
                _ => throw new FormatException(
                    $"{source}: Fn::GetAtt {id}.{attribute} ({type}) is not an attribute a local run resolves."),
            });
        }

        private string FunctionArn(YamlMappingNode? properties)
        {
            var function = String(Child(properties, "FunctionName"), "FunctionName") ?? "";
            return function.StartsWith("arn:", StringComparison.Ordinal) ? function : Arn(function);
        }

        private string Arn(string functionName) =>
            $"arn:{account.Partition}:lambda:{account.Region}:{account.AccountId}:function:{functionName}";
    }
}

/// <summary>The account a local run pretends to be in, for ARNs and pseudo parameters.</summary>
/// <param name="Region">The region (<c>AWS::Region</c>).</param>
/// <param name="AccountId">The account id (<c>AWS::AccountId</c>).</param>
/// <param name="Partition">The partition (<c>AWS::Partition</c>).</param>
public sealed record LocalAccount(string Region = "us-east-1", string AccountId = "123456789012", string Partition = "aws");
