using Microsoft.Extensions.Logging;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>The order venue's log messages (source-generated). Called on connection threads at connect, drop and
/// handshake time, never per order. Keys are named by <see cref="ApiCredentials.KeyId"/> only.</summary>
internal static partial class OrderVenueLog
{
    [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "{Connection} (key {KeyId}): connection attempt {Attempt} failed: {Cause}; retrying in {RetryIn}")]
    public static partial void AttemptFailed(ILogger logger, string connection, string keyId, int attempt, string cause, TimeSpan retryIn);

    [LoggerMessage(EventId = 102, Level = LogLevel.Information, Message = "{Connection} (key {KeyId}): connected (connect {Connects})")]
    public static partial void Connected(ILogger logger, string connection, string keyId, long connects);

    [LoggerMessage(EventId = 103, Level = LogLevel.Warning, Message = "{Connection} (key {KeyId}): connection lost: {Cause}; reconnecting in {RetryIn}")]
    public static partial void Lost(ILogger logger, string connection, string keyId, string cause, TimeSpan retryIn);

    [LoggerMessage(EventId = 104, Level = LogLevel.Error, Message = "{Connection} (key {KeyId}): {Step} refused: status {Status}, code {Code}: {Message}")]
    public static partial void HandshakeRefused(ILogger logger, string connection, string keyId, string step, int status, int code, string message);

    [LoggerMessage(EventId = 105, Level = LogLevel.Information, Message = "{Connection} (key {KeyId}): session ready ({Auth}); server time offset {OffsetMs} ms")]
    public static partial void Ready(ILogger logger, string connection, string keyId, string auth, long offsetMs);
}
