using System.Numerics;
using System.Runtime.CompilerServices;

namespace OptiFlow.Journal;

/// <summary>
/// CRC-32C (Castagnoli) as stored in record frames: initial value all ones, final inversion, computed with
/// <see cref="BitOperations.Crc32C(uint, ulong)"/> (SSE 4.2 / ARMv8 CRC32 when the CPU has them).
/// </summary>
/// <remarks>Pure functions: thread-safe, allocation-free. The check value of ASCII <c>123456789</c> is <c>0xE3069283</c>.</remarks>
public static class Crc32C
{
    /// <summary>CRC-32C of <paramref name="data"/>.</summary>
    /// <param name="data">Bytes to checksum.</param>
    /// <returns>The checksum.</returns>
    public static unsafe uint Compute(ReadOnlySpan<byte> data)
    {
        fixed (byte* p = data)
        {
            return Compute(p, data.Length);
        }
    }

    /// <summary>CRC-32C of <paramref name="length"/> bytes at <paramref name="data"/>.</summary>
    /// <param name="data">First byte; need not be aligned.</param>
    /// <param name="length">Byte count, non-negative.</param>
    /// <returns>The checksum.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe uint Compute(byte* data, int length) => ~Update(uint.MaxValue, data, length);

    /// <summary>
    /// CRC-32C of a record frame as <see cref="RecordDescriptor"/> defines it: type and flags, then payload length,
    /// sequence, timestamp and <paramref name="payloadLength"/> payload bytes.
    /// </summary>
    /// <param name="frame">First byte of the frame (its length field); the header and payload must be readable.</param>
    /// <param name="payloadLength">Payload bytes, non-negative.</param>
    /// <returns>The checksum to store at <see cref="RecordDescriptor.Crc32COffset"/>.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe uint Frame(byte* frame, int payloadLength)
    {
        // The covered bytes: type and flags (4), then [PayloadLengthOffset, PayloadOffset + payloadLength).
        var tail = frame + RecordDescriptor.PayloadLengthOffset;
        var tailLength = RecordDescriptor.HeaderLength - RecordDescriptor.PayloadLengthOffset + payloadLength;
        var head = Unsafe.ReadUnaligned<uint>(frame + RecordDescriptor.TypeOffset);
        var split = SplitFor(payloadLength);
        return split is null ? FrameSerial(head, tail, tailLength) : FrameInterleaved(head, tail, tailLength, split);
    }

    /// <summary>
    /// The frame CRC computed as one serial chain: the reference the interleaved path is tested against, and the faster
    /// form for frames checked back to back (<see cref="Segments.FrameCheck"/>), where the CPU overlaps consecutive
    /// frames' chains; <see cref="Frame(byte*, int)"/> is for a single frame's latency.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static unsafe uint FrameSerial(byte* frame, int payloadLength) =>
        FrameSerial(
            Unsafe.ReadUnaligned<uint>(frame + RecordDescriptor.TypeOffset),
            frame + RecordDescriptor.PayloadLengthOffset,
            RecordDescriptor.HeaderLength - RecordDescriptor.PayloadLengthOffset + payloadLength);

    /// <summary>Span form of <see cref="FrameSerial(byte*, int)"/> for tests.</summary>
    internal static unsafe uint FrameSerial(ReadOnlySpan<byte> frame, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frame.Length, RecordDescriptor.HeaderLength + payloadLength, nameof(frame));
        fixed (byte* p = frame)
        {
            return FrameSerial(p, payloadLength);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint FrameSerial(uint head, byte* tail, int tailLength) =>
        ~Update(BitOperations.Crc32C(uint.MaxValue, head), tail, tailLength);

    /// <summary>
    /// Three independent CRC chains over thirds of the frame, interleaved so the CPU overlaps them (the CRC32
    /// instruction has a latency of about three cycles and a throughput of one per cycle), joined with
    /// <see cref="ZeroShift"/> tables: CRC state is affine in the data, so
    /// <c>state(A‖B‖C) = Z|B|+|C|(state(A)) ⊕ Z|C|(state₀(B)) ⊕ state₀(C)</c>.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint FrameInterleaved(uint head, byte* tail, int tailLength, ZeroShift split)
    {
        var third = split.ThirdLength;
        var a = tail;
        var b = tail + (tailLength - (2 * third));
        var c = b + third;
        var crcA = BitOperations.Crc32C(uint.MaxValue, head);
        var crcB = 0u;
        var crcC = 0u;
        for (var i = 0; i < third; i += sizeof(ulong))
        {
            crcA = BitOperations.Crc32C(crcA, Unsafe.ReadUnaligned<ulong>(a + i));
            crcB = BitOperations.Crc32C(crcB, Unsafe.ReadUnaligned<ulong>(b + i));
            crcC = BitOperations.Crc32C(crcC, Unsafe.ReadUnaligned<ulong>(c + i));
        }

        // A is the longest part: finish it serially (at most 8 + 4 more bytes for the frame sizes that take this path).
        crcA = Update(crcA, a + third, tailLength - (3 * third));
        return ~(split.ShiftTwoThirds(crcA) ^ split.ShiftOneThird(crcB) ^ crcC);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ZeroShift? SplitFor(int payloadLength) => payloadLength switch
    {
        64 => Split64,
        96 => Split96,
        128 => Split128,
        _ => null,
    };

    private static readonly ZeroShift Split64 = new(RecordDescriptor.HeaderLength - RecordDescriptor.PayloadLengthOffset + 64);
    private static readonly ZeroShift Split96 = new(RecordDescriptor.HeaderLength - RecordDescriptor.PayloadLengthOffset + 96);
    private static readonly ZeroShift Split128 = new(RecordDescriptor.HeaderLength - RecordDescriptor.PayloadLengthOffset + 128);

    /// <summary>
    /// The frame CRC (<see cref="Frame(byte*, int)"/>) of a record with a fixed-size payload, computed from the values
    /// the writer is about to store rather than from the frame: the writer checksums what it copies and never loads
    /// bytes it has just stored (an 8-byte load across two pending smaller stores cannot be forwarded from the store
    /// buffer and waits for them to reach the cache).
    /// </summary>
    /// <typeparam name="T">The payload struct; its size is the payload length.</typeparam>
    /// <param name="type">The record type (flags are 0).</param>
    /// <param name="sequence">The sequence field.</param>
    /// <param name="timestampNs">The timestamp field.</param>
    /// <param name="payload">The payload, read in place.</param>
    /// <returns>The same value <see cref="Frame(byte*, int)"/> returns for the frame holding these fields.</returns>
    /// <remarks>
    /// One serial chain, on purpose: appends back to back are independent, so the CPU overlaps one record's chain
    /// with the next record's and the fewest instructions win. Three interleaved chains joined by table lookups
    /// (what <see cref="Frame(byte*, int)"/> does for a single frame's latency) measured slower per record here.
    /// Pure: thread-safe, allocation-free.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static uint Record<T>(ushort type, long sequence, long timestampNs, in T payload)
        where T : unmanaged
    {
        var crc = BitOperations.Crc32C(uint.MaxValue, (uint)type);
        crc = BitOperations.Crc32C(crc, (uint)Unsafe.SizeOf<T>());
        crc = BitOperations.Crc32C(crc, (ulong)sequence);
        crc = BitOperations.Crc32C(crc, (ulong)timestampNs);
        return ~Update(crc, ref Unsafe.As<T, byte>(ref Unsafe.AsRef(in payload)), Unsafe.SizeOf<T>());
    }

    /// <summary>
    /// The running CRC-32C state over a record's head, the bytes <see cref="Frame(byte*, int)"/> covers before the
    /// payload: type and flags, payload length, sequence, timestamp. Feed the payload's 8-byte words to
    /// <see cref="BitOperations.Crc32C(uint, ulong)"/> and invert the result to get the frame's CRC.
    /// </summary>
    /// <param name="type">The record type.</param>
    /// <param name="flags">The frame's flags.</param>
    /// <param name="payloadLength">Payload bytes.</param>
    /// <param name="sequence">The sequence field.</param>
    /// <param name="timestampNs">The timestamp field.</param>
    /// <returns>The state, not inverted.</returns>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static uint RecordHead(ushort type, ushort flags, int payloadLength, long sequence, long timestampNs)
    {
        var crc = BitOperations.Crc32C(uint.MaxValue, type | ((uint)flags << 16));
        crc = BitOperations.Crc32C(crc, (uint)payloadLength);
        crc = BitOperations.Crc32C(crc, (ulong)sequence);
        return BitOperations.Crc32C(crc, (ulong)timestampNs);
    }

    /// <summary>CRC-32C of a record frame held in <paramref name="frame"/> (see <see cref="Frame(byte*, int)"/>).</summary>
    /// <param name="frame">The frame from its length field; at least <see cref="RecordDescriptor.HeaderLength"/> + <paramref name="payloadLength"/> bytes.</param>
    /// <param name="payloadLength">Payload bytes, non-negative.</param>
    /// <returns>The checksum.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="frame"/> is too short.</exception>
    public static unsafe uint Frame(ReadOnlySpan<byte> frame, int payloadLength)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(frame.Length, RecordDescriptor.HeaderLength + payloadLength, nameof(frame));
        fixed (byte* p = frame)
        {
            return Frame(p, payloadLength);
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe uint Update(uint crc, byte* data, int length) => Update(crc, ref *data, length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static uint Update(uint crc, ref byte data, int length)
    {
        var i = 0;
        for (; i <= length - sizeof(ulong); i += sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref data, i)));
        }

        if (i <= length - sizeof(uint))
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref data, i))); // a frame's header ends 4 bytes past an 8-byte step
            i += sizeof(uint);
        }

        for (; i < length; i++)
        {
            crc = BitOperations.Crc32C(crc, Unsafe.Add(ref data, i));
        }

        return crc;
    }

    /// <summary>
    /// The split of one frame length into three parts, and the linear maps "feed n zero bytes" for the two shifts the
    /// join needs, as byte-indexed tables (four 256-entry tables each, 8 KiB in all), built once at start-up from the
    /// CRC32 instruction itself.
    /// </summary>
    private sealed class ZeroShift
    {
        private readonly uint[] _twoThirds;
        private readonly uint[] _oneThird;

        public ZeroShift(int tailLength)
        {
            // B and C are equal multiples of 8; A (which also carries the 4 header bytes) takes the rest.
            ThirdLength = ((tailLength - sizeof(uint)) / 3) & ~(sizeof(ulong) - 1);
            _oneThird = Table(ThirdLength);
            _twoThirds = Table(2 * ThirdLength);
        }

        public int ThirdLength { get; }

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint ShiftOneThird(uint crc) => Apply(_oneThird, crc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        public uint ShiftTwoThirds(uint crc) => Apply(_twoThirds, crc);

        [MethodImpl(MethodImplOptions.AggressiveInlining)]
        private static uint Apply(uint[] table, uint crc)
        {
            ref var t = ref System.Runtime.InteropServices.MemoryMarshal.GetArrayDataReference(table);
            return Unsafe.Add(ref t, (int)(crc & 0xFF))
                ^ Unsafe.Add(ref t, 256 + (int)((crc >> 8) & 0xFF))
                ^ Unsafe.Add(ref t, 512 + (int)((crc >> 16) & 0xFF))
                ^ Unsafe.Add(ref t, 768 + (int)(crc >> 24));
        }

        private static uint[] Table(int zeroBytes)
        {
            Span<uint> basis = stackalloc uint[32];
            for (var bit = 0; bit < 32; bit++)
            {
                var state = 1u << bit;
                for (var i = 0; i < zeroBytes; i += sizeof(ulong))
                {
                    state = BitOperations.Crc32C(state, 0UL);
                }

                basis[bit] = state;
            }

            var table = new uint[4 * 256];
            for (var k = 0; k < 4; k++)
            {
                for (var value = 0; value < 256; value++)
                {
                    var image = 0u;
                    for (var bit = 0; bit < 8; bit++)
                    {
                        if ((value & (1 << bit)) != 0)
                        {
                            image ^= basis[(8 * k) + bit];
                        }
                    }

                    table[(256 * k) + value] = image;
                }
            }

            return table;
        }
    }
}
