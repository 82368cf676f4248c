using System;
using System.Runtime.CompilerServices;
using Xunit;

namespace DurableGen.Tests.Unit;

public class DurableErrorsTests
{
    private static readonly string[] Stack = ["at A.B()", "at C.D()"];

    [Fact]
    public void Null_exception_is_rejected()
    {
        Assert.Throws<ArgumentNullException>(() => DurableErrors.FromException(null!));
    }

    [Fact]
    public void StepException_keeps_its_recorded_error()
    {
        var ex = new StepException("card declined", new InvalidOperationException("inner"))
        {
            ErrorType = "MyApp.TransientError", ErrorData = """{"code":42}""", OriginalStackTrace = Stack,
        };

        var error = DurableErrors.FromException(ex);

        Assert.Equal("MyApp.TransientError", error.ErrorType);
        Assert.Equal("card declined", error.ErrorMessage);
        Assert.Equal("""{"code":42}""", error.ErrorData);
        Assert.Equal(Stack, error.StackTrace);
    }

    [Fact]
    public void StepInterruptedException_is_mapped_like_a_StepException()
    {
        var ex = new StepInterruptedException("interrupted") { ErrorType = "Interrupted", OriginalStackTrace = null };

        var error = DurableErrors.FromException(ex);

        Assert.Equal("Interrupted", error.ErrorType);
        Assert.Equal("interrupted", error.ErrorMessage);
        Assert.Null(error.ErrorData);
        Assert.Null(error.StackTrace);
    }

    [Fact]
    public void ChildContextException_keeps_its_recorded_error()
    {
        var ex = new ChildContextException("child failed")
        {
            SubType = "RunInChildContext", ErrorType = "System.TimeoutException", ErrorData = "data",
            OriginalStackTrace = Stack,
        };

        var error = DurableErrors.FromException(ex);

        Assert.Equal("System.TimeoutException", error.ErrorType);
        Assert.Equal("child failed", error.ErrorMessage);
        Assert.Equal("data", error.ErrorData);
        Assert.Equal(Stack, error.StackTrace);
    }

    [Fact]
    public void CallbackException_subclasses_keep_the_service_error_type()
    {
        var timeout = new CallbackTimeoutException("Callback timed out")
        {
            CallbackId = "cb-1", ErrorType = "Callback.Timeout", ErrorData = null, OriginalStackTrace = null,
        };
        var failed = new CallbackFailedException("not approved")
        {
            CallbackId = "cb-2", ErrorType = "Rejected", ErrorData = """{"reason":"budget"}""", OriginalStackTrace = Stack,
        };
        var baseType = new CallbackException("base") { ErrorType = "Remote.Error" };

        var timeoutError = DurableErrors.FromException(timeout);
        var failedError = DurableErrors.FromException(failed);

        Assert.Equal("Callback.Timeout", timeoutError.ErrorType);
        Assert.Equal("Callback timed out", timeoutError.ErrorMessage);
        Assert.Null(timeoutError.StackTrace);
        Assert.Equal("Rejected", failedError.ErrorType);
        Assert.Equal("not approved", failedError.ErrorMessage);
        Assert.Equal("""{"reason":"budget"}""", failedError.ErrorData);
        Assert.Equal(Stack, failedError.StackTrace);
        Assert.Equal("Remote.Error", DurableErrors.FromException(baseType).ErrorType);
    }

    [Fact]
    public void Other_exceptions_report_their_full_clr_type_message_and_stack_lines()
    {
        var ex = Thrown(() => ThrowDeep());

        var error = DurableErrors.FromException(ex);

        Assert.Equal("System.InvalidOperationException", error.ErrorType);
        Assert.Equal("deep failure", error.ErrorMessage);
        Assert.Null(error.ErrorData);
        Assert.NotNull(error.StackTrace);
        Assert.NotEmpty(error.StackTrace);
        Assert.All(error.StackTrace, line =>
        {
            Assert.False(string.IsNullOrEmpty(line));
            Assert.DoesNotContain('\n', line);
            Assert.DoesNotContain('\r', line);
        });
        Assert.Contains(error.StackTrace, line => line.Contains(nameof(ThrowDeep), StringComparison.Ordinal));
    }

    [Fact]
    public void Durable_exceptions_without_recorded_fields_report_their_own_type()
    {
        var nonDeterministic = DurableErrors.FromException(new NonDeterministicExecutionException("mismatch"));
        Assert.Equal("DurableGen.NonDeterministicExecutionException", nonDeterministic.ErrorType);
        Assert.Equal("mismatch", nonDeterministic.ErrorMessage);

        var cancelled = DurableErrors.FromException(new OperationCanceledException("stop"));
        Assert.Equal("System.OperationCanceledException", cancelled.ErrorType);
    }

    [Fact]
    public void Custom_exception_types_use_the_namespace_qualified_name()
    {
        var error = DurableErrors.FromException(new TransientError("again"));

        Assert.Equal(typeof(TransientError).FullName, error.ErrorType);
        Assert.EndsWith("TransientError", error.ErrorType, StringComparison.Ordinal);
        Assert.StartsWith("DurableGen.Tests.Unit.", error.ErrorType, StringComparison.Ordinal);
    }

    [Fact]
    public void An_exception_never_thrown_has_no_stack_trace()
    {
        var error = DurableErrors.FromException(new ArgumentException("not thrown"));

        Assert.Null(error.StackTrace);
    }

    [Fact]
    public void ForCheckpoint_uses_the_live_type_even_for_a_StepException()
    {
        var ex = new StepException("failed") { ErrorType = "Original.Type", ErrorData = "d" };

        var error = DurableErrors.ForCheckpoint(ex);

        Assert.Equal("DurableGen.StepException", error.ErrorType);
        Assert.Equal("failed", error.ErrorMessage);
        Assert.Null(error.ErrorData);
    }

    [Theory]
    [InlineData("a\r\nb", new[] { "a", "b" })]
    [InlineData("a\n\nb\n", new[] { "a", "b" })]
    [InlineData("\r\n  at X\r\n\r\n  at Y\r\n", new[] { "  at X", "  at Y" })]
    [InlineData("single", new[] { "single" })]
    public void SplitStackTrace_splits_lines_and_drops_empty_ones(string text, string[] expected)
    {
        Assert.Equal(expected, DurableErrors.SplitStackTrace(text));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void SplitStackTrace_of_nothing_is_null(string? text)
    {
        Assert.Null(DurableErrors.SplitStackTrace(text));
    }

    private static Exception Thrown(Action action)
    {
        try
        {
            action();
        }
        catch (Exception ex)
        {
            return ex;
        }

        throw new InvalidOperationException("expected an exception");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ThrowDeep() => throw new InvalidOperationException("deep failure");

    private sealed class TransientError(string message) : Exception(message);
}
