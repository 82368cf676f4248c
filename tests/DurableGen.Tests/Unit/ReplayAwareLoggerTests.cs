using System;
using System.Collections.Generic;
using DurableGen.Execution;
using DurableGen.Protocol;
using Microsoft.Extensions.Logging;
using Xunit;

namespace DurableGen.Tests.Unit;

public class ReplayAwareLoggerTests
{
    private sealed class RecordingLogger : ILogger
    {
        public List<(LogLevel Level, string Message)> Entries { get; } = [];

        public List<object> Scopes { get; } = [];

        public bool Enabled { get; set; } = true;

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull
        {
            Scopes.Add(state);
            return new Scope();
        }

        public bool IsEnabled(LogLevel logLevel) => Enabled;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
            Func<TState, Exception?, string> formatter) => Entries.Add((logLevel, formatter(state, exception)));

        private sealed class Scope : IDisposable
        {
            public void Dispose()
            {
            }
        }
    }

    private static ExecutionState ReplayingState()
    {
        var state = new ExecutionState();
        state.Load([
            new Operation { Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Started },
            new Operation { Id = "s1", Type = OperationType.Step, Status = OperationStatus.Succeeded },
        ]);
        Assert.True(state.IsReplaying);
        return state;
    }

    [Fact]
    public void Mode_aware_logger_is_silent_while_replaying()
    {
        var inner = new RecordingLogger();
        var logger = new ReplayAwareLogger(inner, ReplayingState(), modeAware: true);

        logger.LogInformation("replayed {Value}", 1);

        Assert.Empty(inner.Entries);
        Assert.False(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.IsEnabled(LogLevel.Critical));
    }

    [Fact]
    public void Mode_aware_logger_forwards_once_replay_is_over()
    {
        var inner = new RecordingLogger();
        var state = ReplayingState();
        var logger = new ReplayAwareLogger(inner, state, modeAware: true);

        logger.LogInformation("during replay");
        state.TrackReplay("s1");
        logger.LogWarning("after replay {Value}", 42);

        var entry = Assert.Single(inner.Entries);
        Assert.Equal(LogLevel.Warning, entry.Level);
        Assert.Equal("after replay 42", entry.Message);
        Assert.True(logger.IsEnabled(LogLevel.Warning));
    }

    [Fact]
    public void Logger_forwards_on_a_fresh_execution()
    {
        var inner = new RecordingLogger();
        var state = new ExecutionState();
        state.Load([new Operation { Id = "exec", Type = OperationType.Execution, Status = OperationStatus.Started }]);
        var logger = new ReplayAwareLogger(inner, state, modeAware: true);

        logger.LogError("fresh");

        Assert.Equal("fresh", Assert.Single(inner.Entries).Message);
    }

    [Fact]
    public void Non_mode_aware_logger_always_forwards()
    {
        var inner = new RecordingLogger();
        var logger = new ReplayAwareLogger(inner, ReplayingState(), modeAware: false);

        logger.LogInformation("replayed");

        Assert.Equal("replayed", Assert.Single(inner.Entries).Message);
        Assert.True(logger.IsEnabled(LogLevel.Information));
        Assert.False(logger.ModeAware);
        Assert.Same(inner, logger.Inner);
    }

    [Fact]
    public void IsEnabled_respects_the_inner_logger()
    {
        var inner = new RecordingLogger { Enabled = false };
        var logger = new ReplayAwareLogger(inner, new ExecutionState(), modeAware: true);

        Assert.False(logger.IsEnabled(LogLevel.Information));
    }

    [Fact]
    public void BeginScope_always_forwards_even_while_replaying()
    {
        var inner = new RecordingLogger();
        var logger = new ReplayAwareLogger(inner, ReplayingState(), modeAware: true);
        var scopeState = new Dictionary<string, object> { ["operationId"] = "abc" };

        using (logger.BeginScope(scopeState))
        {
        }

        Assert.Same(scopeState, Assert.Single(inner.Scopes));
    }
}
