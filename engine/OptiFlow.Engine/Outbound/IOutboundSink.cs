using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// Where the core's outbound records go, on the core thread: normally an <see cref="OutboundRingPublisher"/> (claim,
/// copy, publish on the outbound ring); in a single-threaded replay, a journal appender; in unit tests, a recorder.
/// </summary>
/// <remarks>
/// Wiring-time interface: called once per applied depth message, once per transition out of sync, and once per evaluator record or order command; never per level.
/// Called on the core thread only. Implementations on a latency-critical core must not block for long, throw or
/// allocate: they copy the record and return (no I/O, no formatting: those belong to consumers of the outbound ring).
/// </remarks>
public interface IOutboundSink
{
    /// <summary>A signal, after an applied depth message of a synced book.</summary>
    /// <param name="signal">The signal.</param>
    /// <param name="book">The book right after the message was applied: valid only during the call, for copying a
    /// view of it (never keep it).</param>
    void OnSignal(in SignalEvent signal, OrderBook book);

    /// <summary>The core asks for a fresh depth snapshot of one symbol (its book left sync).</summary>
    /// <param name="request">The request.</param>
    void OnSnapshotRequest(in SnapshotRequest request);

    /// <summary>An evaluator's record (<see cref="EvaluatorContext.Emit{TBody}"/>): an opportunity, a flow signal, a fault.</summary>
    /// <param name="record">The record.</param>
    void OnEvaluatorRecord(in EvaluatorRecord record);

    /// <summary>An order command from a strategy (<see cref="EvaluatorContext.EmitOrder"/>), for the order gateway.</summary>
    /// <param name="command">The command.</param>
    void OnOrderCommand(in OrderCommand command);
}
