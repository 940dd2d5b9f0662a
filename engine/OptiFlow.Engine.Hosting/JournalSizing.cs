using System.Buffers.Binary;
using OptiFlow.Journal;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// Chooses journal segment sizes when <see cref="EngineOptions.JournalSegmentSize"/> is not set: a recording's journal
/// from the size of its input, a live session's the default 64 MiB; the outbound journal an eighth of the inbound one.
/// A size set explicitly applies to both journals.
/// </summary>
/// <remarks>
/// <para>Why: segments are preallocated (<c>posix_fallocate</c>), so a fixed 64 MiB cost every run 2 × 64 MiB of disk
/// (inbound and outbound) even for an empty input. Measured over every recording in <c>shared/data/binance</c>, the
/// inbound journal is 1.9 to 5.1 times the uncompressed input (15 for one tiny cryptofeed capture, mostly snapshot
/// levels): a depth level of ~30 JSON bytes becomes a 160-byte record. The inbound segment is the next power of two at
/// or above 4 × the uncompressed input, between <see cref="MinSegmentSize"/> and
/// <see cref="JournalDescriptor.DefaultSegmentSize"/>; a journal larger than the guess just rolls to more segments. The
/// largest recordings (tens of MB) get 64 MiB, as before, so their runs are unchanged; the shipped demo (4 MB of text)
/// gets 16 MiB instead of 64. The outbound stream holds one 128-byte record per signal, far fewer bytes than the
/// inbound events that caused them, hence an eighth (at least <see cref="MinSegmentSize"/>).</para>
/// <para>The uncompressed size of a <c>.gz</c> file is its gzip trailer's ISIZE (modulo 2³²); when that is implausible
/// (smaller than the compressed file), 10 × the compressed size. Cold path: reads 4 bytes per gzip file. Stateless:
/// thread-safe.</para>
/// </remarks>
public static class JournalSizing
{
    /// <summary>The smallest segment chosen: 1 MiB (room for a session header and run summary of thousands of symbols).</summary>
    public const int MinSegmentSize = 1 << 20;

    /// <summary>Journal bytes guessed per uncompressed input byte.</summary>
    public const int JournalBytesPerInputByte = 4;

    /// <summary>The inbound segment size for a recording of <paramref name="files"/>.</summary>
    /// <param name="files">The recording's files (plain or <c>.gz</c>).</param>
    /// <returns>A power of two from <see cref="MinSegmentSize"/> to <see cref="JournalDescriptor.DefaultSegmentSize"/>.</returns>
    /// <exception cref="IOException">A file cannot be read.</exception>
    public static int SegmentSizeFor(IReadOnlyList<string> files)
    {
        ArgumentNullException.ThrowIfNull(files);
        long input = 0;
        foreach (var file in files)
        {
            input += UncompressedSize(file);
        }

        return Clamp(input * JournalBytesPerInputByte, MinSegmentSize);
    }

    /// <summary>The outbound segment size that goes with an inbound one: an eighth, at least <see cref="MinSegmentSize"/>.</summary>
    /// <param name="inboundSegmentSize">The inbound journal's segment size (a power of two).</param>
    /// <returns>A power of two.</returns>
    public static int OutboundSegmentSizeFor(int inboundSegmentSize) => Math.Max(MinSegmentSize, inboundSegmentSize / 8);

    /// <summary>The uncompressed size of one input file (see the class remarks for <c>.gz</c>).</summary>
    /// <param name="file">The file.</param>
    /// <returns>Bytes.</returns>
    /// <exception cref="IOException">It cannot be read.</exception>
    public static long UncompressedSize(string file)
    {
        var length = new FileInfo(file).Length;
        if (!file.EndsWith(".gz", StringComparison.OrdinalIgnoreCase) || length < 18)
        {
            return length;
        }

        Span<byte> trailer = stackalloc byte[4];
        using (var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite))
        {
            stream.Seek(-4, SeekOrigin.End);
            stream.ReadExactly(trailer);
        }

        long size = BinaryPrimitives.ReadUInt32LittleEndian(trailer);
        return size >= length ? size : length * 10;
    }

    private static int Clamp(long bytes, int min)
    {
        if (bytes >= JournalDescriptor.DefaultSegmentSize)
        {
            return JournalDescriptor.DefaultSegmentSize;
        }

        var size = min;
        while (size < bytes)
        {
            size <<= 1;
        }

        return size;
    }
}
