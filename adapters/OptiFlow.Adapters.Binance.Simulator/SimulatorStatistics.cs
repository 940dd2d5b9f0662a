namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>What a <see cref="BinanceSimulator"/> did so far.</summary>
/// <remarks>Counters are updated with <see cref="Interlocked"/> by the feed, connection and HTTP threads; reads are
/// atomic but not a consistent snapshot of all of them. Allocation-free.</remarks>
public sealed class SimulatorStatistics
{
    internal long FramesRead;
    internal long FramesSent;
    internal long FramesDropped;
    internal long FaultsApplied;
    internal long ConnectionsAccepted;
    internal long DepthRequests;
    internal long ThrottledRequests;
    internal long RecordedSnapshots;

    /// <summary>Recorded stream frames read (snapshot lines excluded).</summary>
    public long Frames => Interlocked.Read(ref FramesRead);

    /// <summary>Frames written to WebSocket connections (one per connection and frame).</summary>
    public long Sent => Interlocked.Read(ref FramesSent);

    /// <summary>Frames not sent because of a <see cref="SimulatorFaultKind.Drop"/>.</summary>
    public long Dropped => Interlocked.Read(ref FramesDropped);

    /// <summary>Scripted faults that fired.</summary>
    public long Faults => Interlocked.Read(ref FaultsApplied);

    /// <summary>WebSocket connections accepted.</summary>
    public long Connections => Interlocked.Read(ref ConnectionsAccepted);

    /// <summary>Depth snapshot requests received.</summary>
    public long SnapshotRequests => Interlocked.Read(ref DepthRequests);

    /// <summary>Snapshot requests answered 429 or 418.</summary>
    public long Throttled => Interlocked.Read(ref ThrottledRequests);

    /// <summary>Snapshot lines met in the recording.</summary>
    public long RecordingSnapshots => Interlocked.Read(ref RecordedSnapshots);
}
