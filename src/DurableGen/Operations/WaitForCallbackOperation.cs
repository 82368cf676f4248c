using System;
using System.Threading;
using System.Threading.Tasks;
using DurableGen.Execution;
using Microsoft.Extensions.Logging;

namespace DurableGen.Operations;

/// <summary>
/// Wait-for-callback is a composition, so its ids and history match the official SDKs: a child context of sub-kind
/// <c>WaitForCallback</c> holding the callback (child 1) and the submitter step (child 2) that hands the id out — once,
/// inside a step, never again on replay.
/// </summary>
internal static class WaitForCallbackOperation
{
    internal const string SubType = "WaitForCallback";

    public static Task<T> RunAsync<T>(DurableContext context,
        Func<string, IWaitForCallbackContext, CancellationToken, Task> submitter, string? name,
        WaitForCallbackConfig? config, CancellationToken cancellationToken)
    {
        // A custom deserializer reads the callback's result and also checkpoints the context's copy of it.
        var serializer = TypedConfig.As<WaitForCallbackConfig<T>>(config, typeof(T))?.Serializer;
        CallbackConfig? callbackConfig = null;
        StepConfig? stepConfig = null;
        if (config is not null)
        {
            callbackConfig = new CallbackConfig<T>
            {
                Timeout = config.Timeout, HeartbeatTimeout = config.HeartbeatTimeout, Serializer = serializer,
            };
            stepConfig = config.RetryStrategy is null ? null : new StepConfig { RetryStrategy = config.RetryStrategy };
        }

        var childConfig = new ChildContextConfig<T> { SubType = SubType, ErrorMapping = MapError, Serializer = serializer };
        return context.RunInChildContextAsync<T>(async (child, _) =>
        {
            // The inner operations get the caller's token, not the child's linked one: shutdown must not cancel their
            // checkpoint writes. The submitter itself still sees the linked token through its step.
            var callback = await child.CreateCallbackAsync<T>(Derived(name, "callback"), callbackConfig, cancellationToken)
                .ConfigureAwait(false);
            await child.StepAsync((step, token) => submitter(callback.CallbackId, new SubmitterContext(step.Logger), token),
                Derived(name, "submitter"), stepConfig, cancellationToken).ConfigureAwait(false);
            return await callback.GetResultAsync(cancellationToken).ConfigureAwait(false);
        }, name, childConfig, cancellationToken);
    }

    private static string? Derived(string? name, string suffix) => name is null ? null : $"{name}-{suffix}";

    /// <summary>Turns the child's exception into the callback exception the caller expects, live and on replay.</summary>
    internal static Exception MapError(Exception exception)
    {
        if (exception is CallbackException)
        {
            return exception;
        }

        if (exception is not ChildContextException child)
        {
            return exception;
        }

        switch (child.InnerException)
        {
            case CallbackException inner:
                return inner;
            case StepException step:
                return new CallbackSubmitterException(step.Message, child)
                {
                    ErrorType = step.ErrorType, ErrorData = step.ErrorData, OriginalStackTrace = step.OriginalStackTrace,
                };
        }

        // Replayed: only the recorded error type of the child says what happened.
        var type = child.ErrorType;
        if (type == typeof(CallbackTimeoutException).FullName)
        {
            return new CallbackTimeoutException(child.Message, child)
            {
                ErrorType = type, ErrorData = child.ErrorData, OriginalStackTrace = child.OriginalStackTrace,
            };
        }

        if (type == typeof(CallbackSubmitterException).FullName || type == typeof(StepException).FullName)
        {
            return new CallbackSubmitterException(child.Message, child)
            {
                ErrorType = type, ErrorData = child.ErrorData, OriginalStackTrace = child.OriginalStackTrace,
            };
        }

        if (type == typeof(CallbackFailedException).FullName)
        {
            return new CallbackFailedException(child.Message, child)
            {
                ErrorType = type, ErrorData = child.ErrorData, OriginalStackTrace = child.OriginalStackTrace,
            };
        }

        return type == typeof(CallbackException).FullName
            ? new CallbackException(child.Message, child)
            {
                ErrorType = type, ErrorData = child.ErrorData, OriginalStackTrace = child.OriginalStackTrace,
            }
            : child;
    }

    private sealed class SubmitterContext(ILogger logger) : IWaitForCallbackContext
    {
        public ILogger Logger => logger;
    }
}
