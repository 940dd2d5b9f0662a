using Microsoft.Extensions.Logging;

namespace OptiFlow.Cli.Output;

/// <summary>
/// The live client's log on standard error, one <c>optiflow: …</c> line per event at <see cref="LogLevel.Warning"/> and
/// above (failed attempts, lost connections, failed snapshot requests, giving up); a clean run writes nothing.
/// </summary>
/// <remarks>Called on the client's control thread, and by the verb for its final line: writes are serialised by a lock.
/// A writer that fails (standard error closed) is ignored: the exit code still says it.</remarks>
internal sealed class TextWriterLogger(TextWriter writer, LogLevel minimum = LogLevel.Warning) : ILogger
{
    private readonly Lock _gate = new();

    public IDisposable? BeginScope<TState>(TState state)
        where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => logLevel >= minimum && logLevel != LogLevel.None;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
    {
        if (IsEnabled(logLevel))
        {
            WriteLine(formatter(state, exception));
        }
    }

    /// <summary>Writes <c>optiflow: MESSAGE</c> as one line.</summary>
    public void WriteLine(string message)
    {
        lock (_gate)
        {
            try
            {
                writer.WriteLine($"optiflow: {message.ReplaceLineEndings(" ")}");
                writer.Flush();
            }
            catch (IOException)
            {
                // Standard error is gone: nothing more to say it with.
            }
        }
    }
}
