using System.Runtime.InteropServices;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// One slot of the outbound ring: everything the core decides or shows leaves it as one of these, tagged by
/// <see cref="Kind"/> (ARCHITECTURE "The data path": signals, snapshot requests and order commands are records on the
/// outbound ring, never calls across threads). Layout: <see cref="OutboundEventDescriptor"/>.
/// </summary>
/// <remarks>
/// A tagged union: only the member named by <see cref="Kind"/> is meaningful; the others overlay the same bytes.
/// Fixed size (128 bytes, two cache lines), unmanaged, pre-allocated in the ring: writing one allocates nothing.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = OutboundEventDescriptor.Size)]
public struct OutboundEvent
{
    /// <summary>What the slot holds.</summary>
    [FieldOffset(OutboundEventDescriptor.KindOffset)]
    public OutboundEventKind Kind;

    /// <summary>Flags about the record (for a signal: which book sides were empty).</summary>
    [FieldOffset(OutboundEventDescriptor.FlagsOffset)]
    public OutboundEventFlags Flags;

    /// <summary>The signal, when <see cref="Kind"/> is <see cref="OutboundEventKind.Signal"/>.</summary>
    [FieldOffset(OutboundEventDescriptor.PayloadOffset)]
    public SignalEvent Signal;

    /// <summary>The request, when <see cref="Kind"/> is <see cref="OutboundEventKind.SnapshotRequest"/>.</summary>
    [FieldOffset(OutboundEventDescriptor.PayloadOffset)]
    public SnapshotRequest SnapshotRequest;

    /// <summary>The command, when <see cref="Kind"/> is <see cref="OutboundEventKind.OrderCommand"/>.</summary>
    [FieldOffset(OutboundEventDescriptor.PayloadOffset)]
    public OrderCommand OrderCommand;

    /// <summary>The level, when <see cref="Kind"/> is <see cref="OutboundEventKind.BookLevel"/>.</summary>
    [FieldOffset(OutboundEventDescriptor.PayloadOffset)]
    public BookLevel BookLevel;

    /// <summary>The evaluator record, when <see cref="Kind"/> is <see cref="OutboundEventKind.EvaluatorRecord"/>.</summary>
    [FieldOffset(OutboundEventDescriptor.PayloadOffset)]
    public EvaluatorRecord EvaluatorRecord;
}
