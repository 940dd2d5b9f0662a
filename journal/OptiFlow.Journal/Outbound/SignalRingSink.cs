using OptiFlow.Engine;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Journal.Outbound;

/// <summary>
/// The core's outbound stream: an <see cref="ISignalSink"/> that copies every <see cref="SignalEvent"/> into a claimed
/// slot of an outbound <see cref="RingBuffer{T}"/> and publishes it, then passes it on to an optional inner sink.
/// </summary>
/// <remarks>
/// <code>
///  inbound ring ─► core (MarketCore) ─► SignalRingSink ─► [ outbound ring ] ─► SignalJournalHandler ─► DIR/outbound/*.seg
///                                     └─► inner sink (printers), same thread
/// </code>
/// <para>
/// <b>Thread-safety:</b> called on the core thread only (the ring's single producer). <b>Allocation:</b> none per
/// signal (claim, struct copy, publish). <b>Back-pressure:</b> when the outbound ring is full, <c>Next()</c> waits for
/// the journal consumer (it spins/yields as the sequencer does): the core slows rather than drop a signal, which is
/// the documented policy: the outbound journal is complete or the run is slow, never lossy.
/// </para>
/// </remarks>
public sealed class SignalRingSink : ISignalSink
{
    private readonly RingBuffer<SignalEvent> _ring;
    private readonly ISignalSink? _inner;

    /// <summary>Creates the sink.</summary>
    /// <param name="ring">The outbound ring; this sink is its only producer.</param>
    /// <param name="inner">A sink to call after publishing (e.g. a printer), or null.</param>
    public SignalRingSink(RingBuffer<SignalEvent> ring, ISignalSink? inner = null)
    {
        ArgumentNullException.ThrowIfNull(ring);
        _ring = ring;
        _inner = inner;
    }

    /// <summary>Signals published so far.</summary>
    /// <remarks>Core thread, or after it was joined.</remarks>
    public long Published { get; private set; }

    /// <inheritdoc/>
    /// <remarks>Core thread only. Allocation-free. Blocks while the outbound ring is full.</remarks>
    public void OnSignal(in SignalEvent signal, OrderBook book)
    {
        var sequence = _ring.Next();
        _ring[sequence] = signal;
        _ring.Publish(sequence);
        Published++;
        _inner?.OnSignal(in signal, book);
    }
}
