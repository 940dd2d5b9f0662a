using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>
/// The live client's consumer of the outbound ring: hands every <see cref="OutboundEventKind.SnapshotRequest"/> record
/// the core published to <see cref="MarketDataClient.OnSnapshotRequest"/>, which wakes the client's control thread to
/// fetch the snapshot. Every other record kind is skipped.
/// </summary>
/// <remarks>
/// <code>
///  core ─► [ outbound ring ] ─► optiflow-requests: SnapshotRequestHandler ─► MarketDataClient control thread ─► REST
/// </code>
/// The core asks by publishing a record, never by calling the client, so every request is journaled and replayed.
/// A struct so that <see cref="BatchEventProcessor{T, THandler}"/> calls it without interface dispatch. Runs on its
/// processor's thread; allocation-free.
/// </remarks>
/// <param name="client">The client that serves the requests.</param>
public readonly struct SnapshotRequestHandler(MarketDataClient client) : IEventHandler<OutboundEvent>
{
    /// <inheritdoc/>
    /// <remarks>Does nothing.</remarks>
    public void OnStart()
    {
    }

    /// <inheritdoc/>
    /// <remarks>Does nothing.</remarks>
    public void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Forwards snapshot requests; skips the rest. Allocation-free.</remarks>
    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        if (data.Kind == OutboundEventKind.SnapshotRequest)
        {
            client.OnSnapshotRequest(in data.SnapshotRequest);
        }
    }

    /// <inheritdoc/>
    /// <remarks>Does nothing.</remarks>
    public void OnShutdown()
    {
    }
}
