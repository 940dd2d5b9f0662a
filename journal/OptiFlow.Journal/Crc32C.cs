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
        var crc = BitOperations.Crc32C(uint.MaxValue, Unsafe.ReadUnaligned<uint>(frame + RecordDescriptor.TypeOffset));
        crc = Update(crc, frame + RecordDescriptor.PayloadLengthOffset, RecordDescriptor.HeaderLength - RecordDescriptor.PayloadLengthOffset + payloadLength);
        return ~crc;
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
    private static unsafe uint Update(uint crc, byte* data, int length)
    {
        var i = 0;
        for (; i <= length - sizeof(ulong); i += sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(data + i));
        }

        if (i <= length - sizeof(uint))
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<uint>(data + i)); // a frame's header ends 4 bytes past an 8-byte step
            i += sizeof(uint);
        }

        for (; i < length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return crc;
    }
}
