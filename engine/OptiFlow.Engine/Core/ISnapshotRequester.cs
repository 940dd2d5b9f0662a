namespace OptiFlow.Engine.Core;

/// <summary>
/// The core's back-channel to whatever fetches depth snapshots (the live client's control thread): called when a book
/// leaves sync, so a gap only the core can see (a snapshot that no longer bridges, diffs discarded by a full buffer,
/// a break in the chain) is answered by a fresh snapshot instead of leaving the book unsynced
/// (binance.md "Book sync": on a gap, request a snapshot, buffer, resync).
/// </summary>
/// <remarks>
/// Called on the core thread, on the hot path's rare branch: an implementation must not block, throw or allocate
/// (set a flag and wake its own thread). Requests for one symbol may repeat before they are served; implementations
/// coalesce them. Replays run without one: a request changes nothing in the core's state.
/// </remarks>
public interface ISnapshotRequester
{
    /// <summary>Asks for a new snapshot of one symbol.</summary>
    /// <param name="symbolId">The symbol whose book went unsynced.</param>
    /// <param name="firstBufferedUpdateId"><c>U</c> of the first diff the core now buffers: a snapshot must have
    /// <c>lastUpdateId</c> at or past it (less one on spot) to bridge.</param>
    void RequestSnapshot(int symbolId, long firstBufferedUpdateId);
}
