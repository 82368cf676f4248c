using System;
using System.Collections.Generic;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using DurableGen.Conformance.Requirements;
using DurableGen.Conformance.Validation;

namespace DurableGen.Conformance.Driving;

/// <summary>One action chosen in a polling round: send it <see cref="Delay"/> seconds after the previous one.</summary>
public sealed record PlannedAction(CallbackActionSpec Action, string CallbackId, string CallbackName, double Delay);

/// <summary>
/// The Python runner's callback action selection, one polling round at a time: <c>CallbackStarted</c> events whose
/// <c>CallbackId</c> has not been handled, in history order; for each, the first unused action whose substituted
/// name is <c>*</c>, equals the event's <c>Name</c> (absent: empty string), or is a <c>${/re/}</c> found in it. Every
/// action is used at most once; success and failure mark the callback handled, heartbeat does not (the callback is
/// matched again next round). No action: an error when the requirement declares actions, silence otherwise; the
/// callback is marked handled either way.
/// </summary>
public sealed class CallbackPlanner
{
    private static readonly Regex WholeRegex = new(@"^\$\{/(.*)/\}$", RegexOptions.CultureInvariant | RegexOptions.Singleline);

    private readonly IReadOnlyList<CallbackActionSpec> _actions;
    private readonly bool[] _used;
    private readonly HashSet<string> _handled = new(StringComparer.Ordinal);

    /// <summary>Creates a planner over the requirement's actions.</summary>
    public CallbackPlanner(IReadOnlyList<CallbackActionSpec> actions)
    {
        _actions = actions;
        _used = new bool[actions.Count];
    }

    /// <summary>Callback ids handled so far.</summary>
    public IReadOnlyCollection<string> Handled => _handled;

    /// <summary>Chooses the actions of one round from a history snapshot; selection errors go to <paramref name="errors"/>.</summary>
    public List<PlannedAction> Plan(JsonArray events, PlaceholderContext context, List<string> errors)
    {
        var planned = new List<PlannedAction>();
        foreach (var node in events)
        {
            if (node is not JsonObject ev || Py.AsString(ev["EventType"]) != "CallbackStarted")
            {
                continue;
            }

            var callbackId = Py.AsString(ev["CallbackStartedDetails"]?["CallbackId"]);
            if (callbackId is null || _handled.Contains(callbackId))
            {
                continue;
            }

            var name = ev.TryGetPropertyValue("Name", out var nameNode) && nameNode is not null ? Py.Str(nameNode) : "";
            var index = Select(name, context);
            if (index < 0)
            {
                if (_actions.Count > 0)
                {
                    errors.Add($"No matching CallbackAction for callback '{name}' (CallbackId {callbackId})");
                }

                _handled.Add(callbackId);
                continue;
            }

            _used[index] = true;
            var action = _actions[index];
            if (action.Operation != "heartbeat")
            {
                _handled.Add(callbackId);
            }

            planned.Add(new PlannedAction(action, callbackId, name, action.Delay));
        }

        return planned;
    }

    /// <summary>True when the action name (after substitution) selects a callback named <paramref name="name"/>.</summary>
    public static bool NameMatches(string actionName, string name, PlaceholderContext context)
    {
        var wanted = context.SubstituteString(actionName);
        if (wanted == "*" || wanted == name)
        {
            return true;
        }

        var regex = WholeRegex.Match(wanted);
        if (!regex.Success)
        {
            return false;
        }

        try
        {
            return Regex.IsMatch(name, regex.Groups[1].Value, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(2));
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private int Select(string name, PlaceholderContext context)
    {
        for (var i = 0; i < _actions.Count; i++)
        {
            if (!_used[i] && NameMatches(_actions[i].CallbackName, name, context))
            {
                return i;
            }
        }

        return -1;
    }
}
