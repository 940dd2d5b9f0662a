using System.Diagnostics.CodeAnalysis;

namespace OptiFlow.Engine;

/// <summary>Cold throw paths of the ring, kept out of the inlined claim/publish methods so those stay small.</summary>
internal static class RingThrow
{
    [DoesNotReturn]
    public static void BatchSizeOutOfRange(int n, int bufferSize) =>
        throw new ArgumentOutOfRangeException(nameof(n), n, $"Batch claim must be between 1 and the ring size {bufferSize}.");

    [DoesNotReturn]
    public static void BufferSizeNotPowerOfTwo(int bufferSize) =>
        throw new ArgumentException($"Ring size must be a positive power of two, got {bufferSize}.", nameof(bufferSize));

    public static void ValidateBufferSize(int bufferSize)
    {
        if (bufferSize < 1 || !System.Numerics.BitOperations.IsPow2(bufferSize))
        {
            BufferSizeNotPowerOfTwo(bufferSize);
        }
    }
}
