using System;
using System.Text;
using DurableGen.Emulator.Store;
using DurableGen.Emulator.Tokens;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>
    /// <c>SendDurableExecutionCallbackSuccess</c>: completes a STARTED callback with <paramref name="result"/> (empty
    /// text = no result), records <c>CallbackSucceeded</c> and triggers an invocation. Errors per protocol §7.3.
    /// </summary>
    public void SendCallbackSuccess(string callbackId, string? result)
    {
        Write(() =>
        {
            InputValidation.CallbackId(callbackId);
            if (result is not null && Encoding.UTF8.GetByteCount(result) > _options.MaxCallbackResultBytes)
            {
                throw DurableServiceException.InvalidParameter(
                    $"Result must be at most {_options.MaxCallbackResultBytes} bytes.");
            }

            var (record, operation) = ResolveOpenCallback(callbackId);
            CallbackRules.Succeed(record, operation, result, Now());
            MarkServiceChange(record, operation.Id);
            Persist(record);
        });
    }

    /// <summary>
    /// <c>SendDurableExecutionCallbackFailure</c>: fails a STARTED callback with <paramref name="error"/> (absent or
    /// with no field set = no error fields), records <c>CallbackFailed</c> and triggers an invocation. Errors per protocol §7.3.
    /// </summary>
    public void SendCallbackFailure(string callbackId, ErrorObject? error)
    {
        Write(() =>
        {
            InputValidation.CallbackId(callbackId);
            error = InputValidation.NormalizeError(error);
            ValidateErrorSize(error);
            var (record, operation) = ResolveOpenCallback(callbackId);
            CallbackRules.Fail(record, operation, error, Now());
            MarkServiceChange(record, operation.Id);
            Persist(record);
        });
    }

    /// <summary>
    /// <c>SendDurableExecutionCallbackHeartbeat</c>: restarts the heartbeat timer of a STARTED callback (no event; a
    /// no-op when the callback has no heartbeat timeout). Errors per protocol §7.3.
    /// </summary>
    public void SendCallbackHeartbeat(string callbackId)
    {
        Write(() =>
        {
            InputValidation.CallbackId(callbackId);
            var (record, operation) = ResolveOpenCallback(callbackId);
            if (CallbackRules.Heartbeat(record, operation, Now()))
            {
                Persist(record);
            }
        });
    }

    private (ExecutionRecord Record, Operation Operation) ResolveOpenCallback(string callbackId)
    {
        var kind = CallbackIdCodec.TryOpen(_store.CallbackKey, callbackId, out var data);
        if (kind == CallbackIdKind.Malformed || callbackId.Length > 1024)
        {
            throw DurableServiceException.InvalidParameter("Invalid callback id.");
        }

        var record = kind == CallbackIdKind.Opened ? Load(data.Arn) : null;
        var operation = record is null ? null : FindOperation(record, data.OperationId);
        if (record is null || operation is null || operation.Type != OperationType.Callback
            || !string.Equals(operation.CallbackDetails?.CallbackId, callbackId, StringComparison.Ordinal))
        {
            throw DurableServiceException.NotFound("Callback not found.");
        }

        if (record.IsClosed)
        {
            throw CallbackClosed("The callback's durable execution is closed.");
        }

        if (operation.Status != OperationStatus.Started)
        {
            throw CallbackClosed("The callback is already closed or timed out.");
        }

        return (record, operation);
    }
}
