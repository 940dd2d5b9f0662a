using Microsoft.Extensions.Logging;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>The live client's log messages (source-generated: no boxing, the template parsed once). Called on the
/// client's control thread only (<see cref="MarketDataClient"/>), never on a receive thread.</summary>
internal static partial class MarketDataLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "{Endpoint}: connection attempt {Attempt} failed: {Cause}; retrying in {RetryIn}")]
    public static partial void AttemptFailed(ILogger logger, Uri endpoint, string attempt, string cause, string retryIn);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "{Endpoint}: connection attempt {Attempt} failed: {Cause}; giving up ({Limit} failed attempts in a row, MaxConsecutiveFailedAttempts)")]
    public static partial void GivingUp(ILogger logger, Uri endpoint, int attempt, string cause, int limit);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "{Endpoint}: connection lost after {Frames} frames: {Cause}; reconnecting in {RetryIn}")]
    public static partial void ConnectionLost(ILogger logger, Uri endpoint, long frames, string cause, string retryIn);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "{Endpoint}: connected (connect {Connects})")]
    public static partial void Connected(ILogger logger, Uri endpoint, long connects);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "{Endpoint}: {Reason}; reconnecting at once")]
    public static partial void Renewing(ILogger logger, Uri endpoint, string reason);

    [LoggerMessage(EventId = 6, Level = LogLevel.Warning, Message = "{Symbol}: depth snapshot request failed: {Cause}; retrying in {RetryIn}")]
    public static partial void SnapshotFailed(ILogger logger, string symbol, string cause, string retryIn);
}
