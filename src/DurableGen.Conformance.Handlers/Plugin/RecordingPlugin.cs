using System;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using DurableGen.Protocol;

namespace DurableGen.Conformance.Handlers.Plugin;

/// <summary>
/// The base of the test plugins of the plugin suite: like the reference plugins, each record is one JSON object
/// <c>{"plugin": name, "hook": …, …}</c> stamped with the execution ARN captured from the invocation-start hook, written
/// with <see cref="IConformanceEnv.Emit"/> (the local stand-in for a line on stdout).
/// </summary>
public abstract class RecordingPlugin(IConformanceEnv env, string name) : IDurableExecutionPlugin
{
    private string? _arn;

    /// <summary>The plugin name written on every record.</summary>
    protected string Name => name;

    /// <inheritdoc />
    public void OnInvocationStart(InvocationStartInfo info)
    {
        _arn = info.DurableExecutionArn;
        InvocationStart(info);
    }

    /// <inheritdoc />
    public void OnInvocationEnd(InvocationEndInfo info) => InvocationEnd(info);

    /// <inheritdoc />
    public void OnOperationStart(OperationInfo info) => OperationStart(info);

    /// <inheritdoc />
    public void OnOperationEnd(OperationInfo info) => OperationEnd(info);

    /// <inheritdoc />
    public void OnUserFunctionStart(UserFunctionInfo info) => UserFunctionStart(info);

    /// <inheritdoc />
    public void OnUserFunctionEnd(UserFunctionInfo info) => UserFunctionEnd(info);

    /// <inheritdoc />
    public void OnOperationChange(OperationChangeInfo info) => OperationChange(info);

    /// <summary>Invocation start (the ARN is already captured).</summary>
    protected virtual void InvocationStart(InvocationStartInfo info)
    {
    }

    /// <summary>Invocation end.</summary>
    protected virtual void InvocationEnd(InvocationEndInfo info)
    {
    }

    /// <summary>Operation start.</summary>
    protected virtual void OperationStart(OperationInfo info)
    {
    }

    /// <summary>Operation end.</summary>
    protected virtual void OperationEnd(OperationInfo info)
    {
    }

    /// <summary>User function start.</summary>
    protected virtual void UserFunctionStart(UserFunctionInfo info)
    {
    }

    /// <summary>User function end.</summary>
    protected virtual void UserFunctionEnd(UserFunctionInfo info)
    {
    }

    /// <summary>Operation change.</summary>
    protected virtual void OperationChange(OperationChangeInfo info)
    {
    }

    /// <summary>Writes <c>{"plugin", "hook", …fields, "durableExecutionArn"}</c>.</summary>
    protected void Write(string hook, JsonObject? fields = null)
    {
        var record = new JsonObject { ["plugin"] = name, ["hook"] = hook };
        if (fields is not null)
        {
            foreach (var (key, value) in fields)
            {
                record[key] = value?.DeepClone();
            }
        }

        if (_arn is not null)
        {
            record["durableExecutionArn"] = _arn;
        }

        env.Emit(record);
    }

    /// <summary>A .NET enum member as its upper-snake wire token (<c>ChainedInvoke</c> → <c>CHAINED_INVOKE</c>).</summary>
    public static string Token<TEnum>(TEnum value) where TEnum : struct, Enum
    {
        var text = value.ToString();
        var builder = new StringBuilder(text.Length + 4);
        for (var i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i]))
            {
                builder.Append('_');
            }

            builder.Append(char.ToUpperInvariant(text[i]));
        }

        return builder.ToString();
    }

    /// <summary>Whether an invocation status is terminal (SUCCEEDED or FAILED).</summary>
    public static bool IsTerminal(InvocationStatus status) => status is InvocationStatus.Succeeded or InvocationStatus.Failed;

    /// <summary>An ISO-8601 timestamp.</summary>
    public static string Iso(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>
    /// The canonical dump of an operation info (10-20, 10-22, 10-23): every field the info exposes under its canonical
    /// camelCase name, unset fields omitted, tokens upper-cased, timestamps ISO-8601, the error as its message.
    /// </summary>
    public static JsonObject Dump(OperationInfo info)
    {
        var dump = new JsonObject { ["id"] = info.Id };
        if (info.Name is not null)
        {
            dump["name"] = info.Name;
        }

        dump["type"] = Token(info.Type);
        if (info.SubType is not null)
        {
            dump["subType"] = info.SubType;
        }

        if (info.ParentId is not null)
        {
            dump["parentId"] = info.ParentId;
        }

        if (info.Status is { } status)
        {
            dump["status"] = Token(status);
        }

        if (info.StartTimestamp is { } started)
        {
            dump["startTimestamp"] = Iso(started);
        }

        if (info.EndTimestamp is { } ended)
        {
            dump["endTimestamp"] = Iso(ended);
        }

        if (info.Error is { } error)
        {
            dump["error"] = error.ErrorMessage ?? "";
        }

        if (info.Attempt is { } attempt)
        {
            dump["attempt"] = attempt;
        }

        dump["isReplay"] = info.IsReplay;
        return dump;
    }
}
