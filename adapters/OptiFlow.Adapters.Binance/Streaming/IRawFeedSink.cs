namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Sees what a <see cref="MarketDataClient"/> receives, raw: every complete WebSocket message of every connection, and
/// every REST depth snapshot the client accepted and published at a (re)sync. For a recorder
/// (<see cref="Recording.DailyRecordingWriter"/>); set it as <see cref="MarketDataClientOptions.RawFeed"/>.
/// </summary>
/// <remarks>
/// <para>Threading: <see cref="OnFrame"/> is called on the connections' receive threads (one per connection, so
/// concurrently when there are two), <see cref="OnSnapshot"/> on the client's control thread. An implementation must be
/// thread-safe, must not block (the receive thread stops reading the socket while it runs; a slow sink becomes a stall),
/// must not throw (an exception ends the receive thread) and, on <see cref="OnFrame"/>, should not allocate in steady
/// state: the receive threads do not.</para>
/// <para>What is seen: every message that completed, before the client decodes or chain-checks it (duplicates,
/// out-of-order diffs and frames that fail to decode included; <c>serverShutdown</c> notices excluded), in the order of
/// its connection; a message over <see cref="MarketDataClientOptions.MaxMessageSize"/> never completes and is not seen.
/// Snapshots: only those the client published into the ring, right after publishing (a snapshot older than the stream,
/// refetched, is not seen).</para>
/// </remarks>
public interface IRawFeedSink
{
    /// <summary>A complete message arrived on a connection (receive thread).</summary>
    /// <param name="frame">The message as received (a combined-stream frame, UTF-8 JSON); valid only during the call.</param>
    void OnFrame(ReadOnlySpan<byte> frame);

    /// <summary>The client published a REST depth snapshot of <paramref name="symbol"/> at a (re)sync (control thread).</summary>
    /// <param name="symbol">The symbol, upper case as the client requested it (<c>BTCUSDT</c>).</param>
    /// <param name="body">The REST body as received (UTF-8 JSON); valid only during the call.</param>
    void OnSnapshot(string symbol, ReadOnlySpan<byte> body);
}
