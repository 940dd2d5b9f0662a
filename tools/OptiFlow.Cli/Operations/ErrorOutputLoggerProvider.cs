using Microsoft.Extensions.Logging;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// The command line's console logger: every message of an enabled level becomes one <c>optiflow: MESSAGE</c> line on
/// standard error (<see cref="ErrorOutput"/>), whatever its category; an exception adds its type and message, never a
/// stack trace. The level filter is the <see cref="LoggerFactory"/>'s (<c>--log-level</c>).
/// </summary>
/// <remarks>Thread-safe (the output serialises lines). Loggers are called on control threads only: the engine's hot
/// threads never log.</remarks>
internal sealed class ErrorOutputLoggerProvider(ErrorOutput output) : ILoggerProvider
{
    public ILogger CreateLogger(string categoryName) => new ErrorOutputLogger(output);

    public void Dispose()
    {
    }

    private sealed class ErrorOutputLogger(ErrorOutput output) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel != LogLevel.None;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (!IsEnabled(logLevel))
            {
                return;
            }

            var message = formatter(state, exception);
            output.WriteLine(exception is null ? $"optiflow: {message}" : $"optiflow: {message}: {exception.GetType().Name}: {exception.Message}");
        }
    }
}
