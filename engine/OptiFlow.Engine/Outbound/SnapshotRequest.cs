using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// The core's request for a fresh REST depth snapshot of one symbol, emitted once per transition of its book out of
/// sync (binance.md "Book sync": on a gap, request a snapshot, buffer, resync). Layout: <see cref="SnapshotRequestDescriptor"/>.
/// </summary>
/// <remarks>
/// The core never calls across threads: it publishes this record on the outbound ring, where the outbound journal
/// persists it and the live client's request consumer hands it to the control thread. A replay of the same inbound
/// journal emits the same records, so requests are reproduced and compared like signals. It carries no wall-clock
/// time. Plain data, 40 bytes, no references.
/// </remarks>
[StructLayout(LayoutKind.Sequential)]
public struct SnapshotRequest
{
    /// <summary>Inbound ring sequence of the depth slot whose message broke the chain.</summary>
    public long CausingSequence;

    /// <summary><c>U</c> of the diff the core now buffers: a snapshot bridges when its <c>lastUpdateId</c> is at or
    /// past it (less one on spot).</summary>
    public long FirstBufferedUpdateId;

    /// <summary>The book's last applied <c>u</c> before the break (0 when none was applied since its snapshot).</summary>
    public long LastAppliedUpdateId;

    /// <summary>Event time <c>E</c> of the breaking diff, ms since the Unix epoch (0 when absent).</summary>
    public long EventTimeMs;

    /// <summary>The symbol whose book left sync.</summary>
    public int SymbolId;

    /// <summary>Why (<see cref="SnapshotRequestReason"/>).</summary>
    public SnapshotRequestReason Reason;
}
