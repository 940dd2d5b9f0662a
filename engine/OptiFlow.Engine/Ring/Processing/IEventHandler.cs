namespace OptiFlow.Engine.Processing;

/// <summary>
/// Consumes ring slots for a <see cref="BatchEventProcessor{T, THandler}"/>. Implemented by <b>structs</b>: the
/// processor is generic over the handler type, so every call is direct and inlinable, with no interface dispatch per
/// event.
/// </summary>
/// <typeparam name="T">The slot type.</typeparam>
/// <remarks>All methods run on the processor's thread.</remarks>
public interface IEventHandler<T>
    where T : unmanaged
{
    /// <summary>Called once on the processor thread before the first event (after pinning).</summary>
    void OnStart();

    /// <summary>Called before each batch of available events.</summary>
    /// <param name="firstSequence">First sequence of the batch.</param>
    /// <param name="count">Number of events in the batch.</param>
    void OnBatchStart(long firstSequence, long count);

    /// <summary>Handles one event.</summary>
    /// <param name="data">The slot; valid only during the call.</param>
    /// <param name="sequence">Its sequence.</param>
    /// <param name="endOfBatch">Whether it is the last event of the batch (journals flush here).</param>
    void OnEvent(ref T data, long sequence, bool endOfBatch);

    /// <summary>Called once on the processor thread after the last event, when the processor halts.</summary>
    void OnShutdown();
}
