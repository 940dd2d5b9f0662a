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
    public static unsafe uint Compute(byte* data, int length)
    {
        var crc = uint.MaxValue;
        var i = 0;
        for (; i <= length - sizeof(ulong); i += sizeof(ulong))
        {
            crc = BitOperations.Crc32C(crc, Unsafe.ReadUnaligned<ulong>(data + i));
        }

        for (; i < length; i++)
        {
            crc = BitOperations.Crc32C(crc, data[i]);
        }

        return ~crc;
    }
}
