using System.IO.Compression;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>How a <see cref="DailyRecordingWriter"/> stamps, queues, compresses and flushes.</summary>
/// <remarks>Read once by the writer's constructor; not thread-safe to mutate afterwards.</remarks>
public sealed class DailyRecordingOptions
{
    /// <summary>The default of <see cref="QueueCapacity"/>: 16,384 messages.</summary>
    public const int DefaultQueueCapacity = 1 << 14;

    /// <summary>
    /// The clock of the local timestamps written before each line (UTC, ns since the Unix epoch) and so of the day a line
    /// is filed under; a fake one in tests (to cross midnight). Read on the receive and control threads, once per line.
    /// Default <see cref="TimeProvider.System"/>, whose reads allocate nothing.
    /// </summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>
    /// Messages the queue between the feed's threads and the writer thread holds (a power of two, at least 16). A message
    /// that finds it full is dropped and counted (<see cref="DailyRecordingWriter.Dropped"/>), never waited for: the
    /// receive thread must keep reading its socket. Each slot keeps a buffer of 1 KiB, grown to the largest message it
    /// held, so the memory held is about capacity × the usual message size (16,384 × 1–3 KB for depth streams).
    /// </summary>
    public int QueueCapacity { get; init; } = DefaultQueueCapacity;

    /// <summary>The gzip compression level. Default <see cref="CompressionLevel.Optimal"/>, zlib's default level 6, as
    /// hftbacktest's collector writes (<c>flate2::Compression::default()</c>).</summary>
    public CompressionLevel CompressionLevel { get; init; } = CompressionLevel.Optimal;

    /// <summary>
    /// How often (real time) the writer thread flushes its open files with a deflate sync flush, so a reader of a file
    /// still being written, or of a recorder killed without closing it, has every line up to then. Checked after each
    /// batch of lines, so an idle feed flushes at its next line or at the end. Default 1 s; zero flushes after every batch.
    /// </summary>
    public TimeSpan FlushInterval { get; init; } = TimeSpan.FromSeconds(1);
}
