using OptiFlow.Engine.Books;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Engine.Core;

/// <summary>
/// Receives every signal the core emits, on the core thread, with the book it came from (for book printers).
/// </summary>
/// <remarks>
/// Wiring-time interface: the core calls it once per applied depth message, not per level. Implementations on a
/// latency-critical core must not allocate (write UTF-8 into a reused buffer). Called on the core thread only.
/// </remarks>
public interface ISignalSink
{
    /// <summary>One signal.</summary>
    /// <param name="signal">The signal.</param>
    /// <param name="book">The book right after the message was applied; valid only during the call.</param>
    void OnSignal(in SignalEvent signal, OrderBook book);
}
