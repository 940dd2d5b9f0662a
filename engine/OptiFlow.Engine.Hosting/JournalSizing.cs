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
/// (inbound and outbound) even for an empty input. Measured 2026-12-07 (journal format 6), one <c>optiflow run</c> per
/// recording file in <c>shared/data/binance</c>: the inbound journal is 0.90 to 1.84 times the uncompressed input (spot
/// 0.90 to 1.03; USDⓈ-M and COIN-M 1.21 to 1.48, the demo 1.31; the largest 27.8 MB of text makes 33.6 MB; 1.84 for the
/// 7-second collect-binancefutures capture, 100-level depth messages and no bookTicker). A market event is journaled as
/// a <see cref="JournalRecordType.MarketEventDelta"/> of the 8-byte words that differ from the segment's previous one,
/// so a depth level of ~30 JSON bytes becomes ~64 bytes (a 32-byte record header + ~4 changed words) instead of a
/// 160-byte record. A cryptofeed capture's input includes the <c>*.http.0.0</c> snapshots it brings (1.18 to 1.60
/// measured so; against its <c>*.ws.1.0</c> alone, the tiny 4-symbol spot capture is 5.6, mostly snapshot levels).
/// Hence <see cref="JournalBytesPerInputByte"/> = 2: the largest ratio, 1.84, rounded up to an integer, so a
/// recording's journal fits its first segment. The inbound segment is the next power of two at or above 2 × the
/// uncompressed input, between <see cref="MinSegmentSize"/> and <see cref="JournalDescriptor.DefaultSegmentSize"/>; a
/// journal larger than the guess just rolls to more segments. Recordings of more than 16 MiB of text (the largest, tens
/// of MB) get 64 MiB, as before, so their runs are unchanged; the shipped demo (4.0 MB of text, a 5.2 MB journal) gets
/// 8 MiB instead of 64. The outbound stream holds one 136-byte record per signal (32-byte header + 104-byte signal),
/// far fewer bytes than the inbound events that caused them, hence an eighth (at least
/// <see cref="MinSegmentSize"/>).</para>
/// <para>The uncompressed size of a <c>.gz</c> file is its gzip trailer's ISIZE (modulo 2³²); when that is implausible
/// (smaller than the compressed file), 10 × the compressed size. Cold path: reads 4 bytes per gzip file. Stateless:
/// thread-safe.</para>
/// </remarks>
public static class JournalSizing
{
    /// <summary>The smallest segment chosen: 1 MiB (room for a session header and run summary of thousands of symbols).</summary>
    public const int MinSegmentSize = 1 << 20;

    /// <summary>Journal bytes guessed per uncompressed input byte.</summary>
    public const int JournalBytesPerInputByte = 2;

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
