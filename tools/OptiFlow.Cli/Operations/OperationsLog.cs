using Microsoft.Extensions.Logging;

namespace OptiFlow.Cli.Operations;

/// <summary>The command line's own log messages (source-generated: the template parsed once, no boxing). Called on
/// control threads only (the status thread, the verb's thread), never on an engine thread.</summary>
internal static partial class OperationsLog
{
    [LoggerMessage(EventId = 1001, Level = LogLevel.Information, Message = "status: {FramesPerSecond} frames/s over {Interval} s, ring backlog {Backlog}, frame->core p99 {FrameToCoreP99}; books: {Books}{Trading}")]
    public static partial void Status(ILogger logger, string framesPerSecond, string interval, long backlog, string frameToCoreP99, string books, string trading);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Information, Message = "metrics: serving Prometheus text at {Url}")]
    public static partial void MetricsListening(ILogger logger, Uri url);

    [LoggerMessage(EventId = 1003, Level = LogLevel.Debug, Message = "metrics: a scrape failed")]
    public static partial void ScrapeFailed(ILogger logger, Exception exception);
}
