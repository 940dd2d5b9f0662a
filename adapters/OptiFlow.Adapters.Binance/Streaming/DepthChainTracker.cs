namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// Checks, on the receive thread, that each symbol's diff-depth messages chain (binance.md §3.1 spot
/// <c>U == previous u + 1</c>; §3.2 futures <c>pu == previous u</c>), so losses are seen where they happen and the
/// control thread can fetch a snapshot at once. The core applies the same rules to what is published.
/// </summary>
/// <remarks>One instance per connection; not thread-safe. Allocation-free after construction.</remarks>
public sealed class DepthChainTracker
{
    private readonly long[] _lastFinal;
    private readonly bool _futures;

    /// <summary>Creates a tracker.</summary>
    /// <param name="symbolCapacity">Largest symbol id + 1.</param>
    /// <param name="futures">Whether the futures (<c>pu</c>) rule applies.</param>
    public DepthChainTracker(int symbolCapacity, bool futures)
    {
        _lastFinal = new long[symbolCapacity];
        Array.Fill(_lastFinal, -1);
        _futures = futures;
    }

    /// <summary>Classifies one depth message and, unless it is stale, makes it the last of its symbol.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <param name="firstUpdateId"><c>U</c>.</param>
    /// <param name="finalUpdateId"><c>u</c>.</param>
    /// <param name="previousFinalUpdateId"><c>pu</c> (futures).</param>
    /// <returns>The verdict.</returns>
    public DepthChainVerdict Classify(int symbolId, long firstUpdateId, long finalUpdateId, long previousFinalUpdateId)
    {
        if ((uint)symbolId >= (uint)_lastFinal.Length)
        {
            return DepthChainVerdict.InOrder;
        }

        var last = _lastFinal[symbolId];
        if (last < 0)
        {
            _lastFinal[symbolId] = finalUpdateId;
            return DepthChainVerdict.InOrder;
        }

        if (finalUpdateId == last)
        {
            return DepthChainVerdict.Duplicate;
        }

        if (finalUpdateId < last)
        {
            return DepthChainVerdict.OutOfOrder;
        }

        _lastFinal[symbolId] = finalUpdateId;
        var chains = _futures ? previousFinalUpdateId == last : firstUpdateId == last + 1;
        return chains ? DepthChainVerdict.InOrder : DepthChainVerdict.Gap;
    }

    /// <summary>The <c>u</c> of the symbol's last message since <see cref="Reset"/>, or -1.</summary>
    /// <param name="symbolId">The symbol.</param>
    /// <returns>The last final update id.</returns>
    public long LastFinalUpdateId(int symbolId) => (uint)symbolId < (uint)_lastFinal.Length ? _lastFinal[symbolId] : -1;

    /// <summary>Forgets every symbol's last message (after a reconnect).</summary>
    public void Reset() => Array.Fill(_lastFinal, -1);
}
