using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// One typed, fixed-size evaluator output on the outbound ring and in the outbound journal: a common header (type,
/// evaluator, symbol, causing sequence and times) and a body whose layout <see cref="Type"/> names
/// (<see cref="EvaluatorRecordDescriptor"/>).
/// </summary>
/// <remarks>
/// Built by <see cref="EvaluatorContext.Emit{TBody}(EvaluatorRecordType, ref readonly Model.MarketEvent, long, in TBody)"/>; read a body
/// with <see cref="BodyAs{TBody}"/>. Plain unmanaged data, 120 bytes, no references: copying allocates nothing. Not
/// thread-safe by itself; the ring's publish/consume protocol orders access.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = EvaluatorRecordDescriptor.Size)]
public struct EvaluatorRecord
{
    /// <summary>What the body holds.</summary>
    [FieldOffset(EvaluatorRecordDescriptor.TypeOffset)]
    public EvaluatorRecordType Type;

    /// <summary>The emitting evaluator's index in its <see cref="EvaluatorSet"/> (0-based).</summary>
    [FieldOffset(EvaluatorRecordDescriptor.EvaluatorIdOffset)]
    public ushort EvaluatorId;

    /// <summary>The causing event's symbol id; -1 when none.</summary>
    [FieldOffset(EvaluatorRecordDescriptor.SymbolIdOffset)]
    public int SymbolId;

    /// <summary>Inbound ring sequence of the causing event.</summary>
    [FieldOffset(EvaluatorRecordDescriptor.CausingSequenceOffset)]
    public long CausingSequence;

    /// <summary>The causing event's Binance event time <c>E</c>, ms since the Unix epoch; 0 when it had none (spot bookTicker).</summary>
    [FieldOffset(EvaluatorRecordDescriptor.EventTimeMsOffset)]
    public long EventTimeMs;

    /// <summary>The causing event's recorded receive time (<see cref="Model.MarketEvent.LocalTimestampNs"/>), ns since the Unix epoch; 0 when none.</summary>
    [FieldOffset(EvaluatorRecordDescriptor.LocalTimestampNsOffset)]
    public long LocalTimestampNs;

    [FieldOffset(EvaluatorRecordDescriptor.BodyOffset)]
    private BodyBytes _body;

    /// <summary>The body as <typeparamref name="TBody"/> (which must match <see cref="Type"/>): a reference into this record.</summary>
    /// <typeparam name="TBody">An unmanaged body struct of at most <see cref="EvaluatorRecordDescriptor.BodySize"/> bytes.</typeparam>
    /// <returns>A reference to the body.</returns>
    /// <exception cref="ArgumentException"><typeparamref name="TBody"/> is larger than the body.</exception>
    [UnscopedRef]
    public ref TBody BodyAs<TBody>()
        where TBody : unmanaged
    {
        if (Unsafe.SizeOf<TBody>() > EvaluatorRecordDescriptor.BodySize)
        {
            ThrowBodyTooLarge<TBody>();
        }

        return ref Unsafe.As<BodyBytes, TBody>(ref _body);
    }

    /// <summary>The body's bytes.</summary>
    /// <returns>The 88 body bytes of this record.</returns>
    [UnscopedRef]
    public Span<byte> BodyBytesSpan() => MemoryMarshal.AsBytes(MemoryMarshal.CreateSpan(ref _body, 1));

    private static void ThrowBodyTooLarge<TBody>() =>
        throw new ArgumentException($"{typeof(TBody).Name} is {Unsafe.SizeOf<TBody>()} bytes; an evaluator record body holds at most {EvaluatorRecordDescriptor.BodySize}.");

    // Eleven words (88 bytes), not an inline array: a record stays comparable with ValueType.Equals (bitwise, no references).
    [StructLayout(LayoutKind.Sequential)]
    private struct BodyBytes
    {
        public long Word0;
        public long Word1;
        public long Word2;
        public long Word3;
        public long Word4;
        public long Word5;
        public long Word6;
        public long Word7;
        public long Word8;
        public long Word9;
        public long Word10;
    }
}
