namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>What a depth message is relative to the previous one of its symbol (<see cref="DepthChainTracker"/>).</summary>
public enum DepthChainVerdict : byte
{
    /// <summary>Chains (or is the first since <see cref="DepthChainTracker.Reset"/>): publish.</summary>
    InOrder = 0,

    /// <summary>Does not chain: publish (the core sees the gap too) and resync.</summary>
    Gap = 1,

    /// <summary>Same <c>u</c> as the last message: a duplicate, not published.</summary>
    Duplicate = 2,

    /// <summary>Older than the last message: arrived out of order, not published.</summary>
    OutOfOrder = 3,
}
