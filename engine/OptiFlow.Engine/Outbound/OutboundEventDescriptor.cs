using System.Runtime.CompilerServices;
using OptiFlow.Engine.Evaluators;

namespace OptiFlow.Engine.Outbound;

/// <summary>
/// Byte layout of an <see cref="OutboundEvent"/> slot: 128 bytes, two cache lines, little-endian.
/// </summary>
/// <remarks>
/// <code>
///   0  Kind (int32, OutboundEventKind)  |  4  Flags (int32, OutboundEventFlags)
///   8  payload, by Kind:
///        Signal           SignalEvent     104 bytes (Evaluators.SignalEvent)        8 .. 112
///        SnapshotRequest  SnapshotRequest  40 bytes (SnapshotRequestDescriptor)     8 .. 48
///        OrderCommand     OrderCommand     64 bytes (Orders.OrderCommandDescriptor) 8 .. 72
///        BookLevel        BookLevel        64 bytes                                 8 .. 72
///        EvaluatorRecord  EvaluatorRecord 120 bytes (Evaluators.EvaluatorRecordDescriptor) 8 .. 128
/// 128  end (two cache lines)
/// </code>
/// The slot lives only in memory: journal records hold the payload alone (each with its own descriptor), so this
/// layout may change without a journal format change. Constants only: thread-safe.
/// </remarks>
public static class OutboundEventDescriptor
{
    /// <summary>Offset of <see cref="OutboundEvent.Kind"/>.</summary>
    public const int KindOffset = 0;

    /// <summary>Offset of <see cref="OutboundEvent.Flags"/>.</summary>
    public const int FlagsOffset = KindOffset + sizeof(int);

    /// <summary>Offset of the payload (every member overlays it).</summary>
    public const int PayloadOffset = FlagsOffset + sizeof(int);

    /// <summary>Largest payload: the slot after its kind and flags (an <see cref="EvaluatorRecord"/> fills it).</summary>
    public const int MaxPayloadSize = Size - PayloadOffset;

    /// <summary>Slot size in bytes: two cache lines.</summary>
    public const int Size = 128;

    /// <summary>Whether every payload fits and the runtime size is <see cref="Size"/>.</summary>
    /// <returns>True when the layout holds.</returns>
    public static bool MatchesRuntimeLayout() =>
        Unsafe.SizeOf<OutboundEvent>() == Size
        && PayloadOffset + Unsafe.SizeOf<SignalEvent>() <= Size
        && Unsafe.SizeOf<SignalEvent>() <= MaxPayloadSize
        && Unsafe.SizeOf<EvaluatorRecord>() == MaxPayloadSize
        && Unsafe.SizeOf<SnapshotRequest>() <= MaxPayloadSize
        && Unsafe.SizeOf<Orders.OrderCommand>() <= MaxPayloadSize
        && Unsafe.SizeOf<BookLevel>() <= MaxPayloadSize;
}
