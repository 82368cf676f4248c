using System;
using System.Threading.Tasks;
using DurableGen.Emulator.Store;
using DurableGen.Protocol;

namespace DurableGen.Emulator.Engine;

public sealed partial class DurableExecutionEngine
{
    /// <summary>
    /// Starts a durable execution (the durable <c>Invoke</c>): creates the EXECUTION operation and the
    /// <c>ExecutionStarted</c> event and makes the execution runnable. A name that already exists for the function
    /// returns the existing execution when the payload is the same and throws
    /// <c>DurableExecutionAlreadyStartedException</c> (409) otherwise.
    /// </summary>
    public StartExecutionResult StartExecution(StartExecutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(() => ApplyStart(request));
    }

    /// <summary><see cref="StartExecution"/> for an asynchronous host: the wait for durability is awaited, not blocked
    /// on (a thread blocked per start starves a service's thread pool under load).</summary>
    public Task<StartExecutionResult> StartExecutionAsync(StartExecutionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return WriteAsync(() => ApplyStart(request));
    }

    private StartExecutionResult ApplyStart(StartExecutionRequest request)
    {
        var (name, version, executionName) = ResolveStart(request.FunctionName, request.Qualifier, request.ExecutionName);
        if (request.ExecutionName is not null && _store.FindByName(name, executionName) is { } entry)
        {
            var existing = Load(entry.DurableExecutionArn)!;
            if (string.Equals(existing.InputPayload, request.Payload, StringComparison.Ordinal))
            {
                return new StartExecutionResult(existing.DurableExecutionArn, true, existing.Version);
            }

            throw new DurableServiceException(ErrorCodes.DurableExecutionAlreadyStarted, 409,
                $"Durable execution {executionName} already exists with a different input.");
        }

        var record = CreateExecution(name, version, executionName, request.Payload,
            request.ExecutionTimeoutSeconds ?? Configuration(name)?.ExecutionTimeoutSeconds, Now());
        Work.Insert(record);
        return new StartExecutionResult(record.DurableExecutionArn, false, record.Version);
    }

    private (string Name, string Version, string ExecutionName) ResolveStart(string functionName, string? qualifier,
        string? executionName)
    {
        var (name, embedded) = FunctionNames.Parse(functionName);
        if (qualifier is not null)
        {
            FunctionNames.ValidateQualifier(qualifier);
            if (embedded is not null && !string.Equals(embedded, qualifier, StringComparison.Ordinal))
            {
                throw DurableServiceException.InvalidParameter(
                    $"The qualifier {qualifier} does not match the qualifier in FunctionName {functionName}.");
            }
        }

        if (executionName is not null && !FunctionNames.IsIdentifier(executionName, 64))
        {
            throw DurableServiceException.InvalidParameter(
                "DurableExecutionName must be 1-64 characters of [a-zA-Z0-9-_].");
        }

        return (name, ResolveVersion(name, qualifier ?? embedded), executionName ?? NewId());
    }

    /// <summary>The version a qualifier runs: itself for a version, <c>$LATEST</c> for none or an alias.</summary>
    private string ResolveVersion(string name, string? qualifier)
    {
        if (qualifier is null || !FunctionNames.IsAlias(qualifier))
        {
            return qualifier ?? "$LATEST";
        }

        if (_options.FunctionLookup is null)
        {
            FunctionNames.ValidateVersion(qualifier); // without a catalog only versions are known: InvalidParameter
        }

        // A function the host does not know is taken as it is without a qualifier (a process may connect for it); a
        // known function lacking the alias is not found.
        return Configuration(name) is not { } configuration || System.Linq.Enumerable.Contains(configuration.Aliases, qualifier)
            ? "$LATEST"
            : throw DurableServiceException.NotFound($"Function not found: {FunctionNames.FunctionArn(_options, name, qualifier)}");
    }

    private FunctionConfiguration? Configuration(string name) => _options.FunctionLookup?.Invoke(name);

    private string NewId()
    {
        var id = _options.IdFactory();
        if (!FunctionNames.IsIdentifier(id, 64))
        {
            throw new InvalidOperationException($"EngineOptions.IdFactory returned an invalid id: '{id}'.");
        }

        return id;
    }

    private ExecutionRecord CreateExecution(string functionName, string version, string executionName, string? payload,
        int? timeoutSeconds, DateTimeOffset now)
    {
        var timeout = timeoutSeconds ?? _options.DefaultExecutionTimeoutSeconds;
        if (timeout is < 1 or > FunctionNames.MaxDurationSeconds)
        {
            throw DurableServiceException.InvalidParameter(
                $"ExecutionTimeout must be between 1 and {FunctionNames.MaxDurationSeconds} seconds.");
        }

        if (payload is not null && payload.Length > _options.MaxPayloadCharacters)
        {
            throw new DurableServiceException(ErrorCodes.RequestTooLarge, 413,
                $"Payload must be at most {_options.MaxPayloadCharacters} characters.");
        }

        var executionId = NewId();
        var functionArn = FunctionNames.FunctionArn(_options, functionName, version);
        var arn = $"{functionArn}/durable-execution/{executionName}/{executionId}";
        var record = new ExecutionRecord
        {
            DurableExecutionArn = arn,
            ExecutionName = executionName,
            ExecutionId = executionId,
            FunctionName = functionName,
            Version = version,
            FunctionArn = functionArn,
            Status = ExecutionStatus.Running,
            StartTimestamp = now,
            InputPayload = payload,
            ExecutionTimeoutSeconds = timeout,
            TimeoutAt = now.AddSeconds(timeout),
            Runnable = true,
            RunnableSequence = _store.NextSequence(),
        };
        record.AddOperation(new Operation
        {
            Id = executionId,
            Name = executionName,
            Type = OperationType.Execution,
            Status = OperationStatus.Started,
            StartTimestamp = now,
            ExecutionDetails = new ExecutionDetails { InputPayload = payload },
        });
        var started = NewEvent(EventType.ExecutionStarted, now, executionId, executionName, null, null);
        started.ExecutionStartedDetails = new ExecutionStartedDetails
        {
            Input = new EventPayload { Payload = payload },
            ExecutionTimeout = timeout,
        };
        AppendEvent(record, started);
        record.NextDueTime = ComputeNextDueTime(record);
        return record;
    }
}
