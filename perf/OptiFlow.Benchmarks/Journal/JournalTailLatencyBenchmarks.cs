using System.Diagnostics;
using System.Globalization;
using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using OptiFlow.Engine.Telemetry;
using OptiFlow.Journal;

namespace OptiFlow.Benchmarks.Journal;

/// <summary>
/// Append → tailer-visible latency: the bench thread stamps a record with the monotonic clock and appends it; a tailer
/// thread spinning on the same mapped segment sees it, records <c>now − stamp</c> in a <see cref="LatencyHistogram"/>
/// and acknowledges; the bench thread waits for the acknowledgement before the next record (one record in flight: no
/// queueing in the figure). Baseline: the same protocol over a plain mapped region (memcpy of the frame bytes, then a
/// release store of the length; the tailer spins on the length): the physical ceiling. Both regions are pre-faulted writable before an iteration (the journal by its pre-faulter, <see cref="JournalOptions.Prefault"/>).
/// </summary>
/// <remarks>
/// <code>
///  bench thread: stamp ─► JournalWriter.AppendBlob(Raw) ─► [ mmap segment ] ─► tailer thread: JournalReader.TryRead ─► histogram
///        ▲                                                                                 │
///        └──────────────────────────── ack (Volatile long) ◄───────────────────────────────┘
/// </code>
/// Both threads spin (no wait strategy): on the 2-core box they own one core each. BenchmarkDotNet's mean is the
/// round trip (append → visible → ack seen); the one-way percentiles are printed at the end of each benchmark as
/// <c>JOURNAL-LATENCY method payload p50 p90 p99 p99.9 max count</c> over the measured iterations only.
/// Files go under <c>$OPTIFLOW_BENCH_DIR</c> (default the temp directory; e.g. <c>/dev/shm</c> for tmpfs).
/// Run: <c>dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*JournalTailLatencyBenchmarks*'</c>.
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory("Journal")]
[Config(typeof(InProcessJournalConfig))]
public class JournalTailLatencyBenchmarks : IDisposable
{
    private const int MeasuredIterations = InProcessJournalConfig.IterationCount;
    private const int Operations = 20_000;
    private const int SegmentSize = 64 * 1024 * 1024;

    private readonly List<LatencyHistogram> _iterations = [];
    private byte[] _payload = [];
    private string _root = string.Empty;
    private JournalWriter? _writer;
    private MappedRegion? _region;
    private nint _base;
    private Thread? _tailer;
    private LatencyHistogram _histogram = new();
    private long _acknowledged;
    private volatile bool _stop;
    private int _iteration;

    /// <summary>Payload bytes per record.</summary>
    [Params(64, 128)]
    public int PayloadSize { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _payload = new byte[PayloadSize];
        new Random(42).NextBytes(_payload);
        _root = Path.Combine(Environment.GetEnvironmentVariable("OPTIFLOW_BENCH_DIR") ?? Path.GetTempPath(), "optiflow-bench-latency", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [IterationSetup(Target = nameof(AppendToVisible_Journal))]
    public void SetupJournal()
    {
        var directory = NextPath();
        _writer = new JournalWriter(directory, new JournalOptions { SegmentSize = SegmentSize, Prefault = true });
        if (!_writer.WaitForPrefault(TimeSpan.FromSeconds(60)) || _writer.PrefaultError is not null)
        {
            throw new InvalidOperationException($"pre-faulting did not complete: {_writer.PrefaultError ?? "timed out"}");
        }

        StartTailer(() => TailJournal(directory));
    }

    [IterationSetup(Target = nameof(AppendToVisible_Memcpy))]
    public void SetupMemcpy()
    {
        // Preallocated and pre-faulted like a journal segment (MappedSegment.Create + the pre-faulter).
        _region = new MappedRegion(NextPath(), SegmentSize, prefault: true);
        _base = _region.Base;
        StartTailer(TailMemcpy);
    }

    [IterationCleanup]
    public void IterationCleanup()
    {
        _stop = true;
        _tailer!.Join();
        _iterations.Add(_histogram);
        _writer?.Dispose();
        _writer = null;
        _region?.Dispose();
        _region = null;
        _base = 0;
    }

    /// <summary>Releases whatever an interrupted iteration left open.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _region?.Dispose();
        GC.SuppressFinalize(this);
    }

    [GlobalCleanup]
    public void GlobalCleanup()
    {
        var measured = new LatencyHistogram();
        foreach (var histogram in _iterations.Skip(Math.Max(0, _iterations.Count - MeasuredIterations)))
        {
            measured.Add(histogram);
        }

        var method = Method;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"JOURNAL-LATENCY {method} {PayloadSize}B p50={measured.ValueAtPercentile(50)}ns p90={measured.ValueAtPercentile(90)}ns p99={measured.ValueAtPercentile(99)}ns p99.9={measured.ValueAtPercentile(99.9)}ns max={measured.Max}ns count={measured.TotalCount}"));
        _iterations.Clear();
        Directory.Delete(_root, recursive: true);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public long AppendToVisible_Memcpy()
    {
        Method = nameof(AppendToVisible_Memcpy);
        var frameLength = RecordDescriptor.FrameLength(PayloadSize);
        var region = MappedMemory.Span(_base, SegmentSize);
        var offset = JournalDescriptor.HeaderLength;
        var payload = _payload;
        for (long i = 1; i <= Operations; i++)
        {
            var stamp = Stopwatch.GetTimestamp();
            var frame = region[offset..];
            payload.CopyTo(frame[RecordDescriptor.PayloadOffset..]);
            Unsafe.As<byte, long>(ref frame[RecordDescriptor.TimestampNsOffset]) = stamp;
            Volatile.Write(ref Unsafe.As<byte, int>(ref frame[0]), frameLength);
            offset += frameLength;
            WaitForAck(i);
        }

        return Volatile.Read(ref _acknowledged);
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long AppendToVisible_Journal()
    {
        Method = nameof(AppendToVisible_Journal);
        var writer = _writer!;
        var payload = _payload;
        for (long i = 1; i <= Operations; i++)
        {
            writer.AppendBlob(JournalRecordType.Raw, payload, i, Stopwatch.GetTimestamp());
            WaitForAck(i);
        }

        return Volatile.Read(ref _acknowledged);
    }

    private string Method { get; set; } = "?";

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void WaitForAck(long sequence)
    {
        while (Volatile.Read(ref _acknowledged) < sequence)
        {
            Thread.SpinWait(1);
        }
    }

    private void StartTailer(ThreadStart body)
    {
        _stop = false;
        _histogram = new LatencyHistogram();
        Volatile.Write(ref _acknowledged, 0);
        _tailer = new Thread(body) { IsBackground = true, Name = "tailer" };
        _tailer.Start();
    }

    private void TailJournal(string directory)
    {
        var histogram = _histogram;
        using var reader = new JournalReader(directory);
        while (!_stop)
        {
            if (reader.TryRead(out var record))
            {
                histogram.Record(ToNs(Stopwatch.GetTimestamp() - record.TimestampNs));
                Volatile.Write(ref _acknowledged, record.Sequence);
            }
        }
    }

    private void TailMemcpy()
    {
        var histogram = _histogram;
        var region = MappedMemory.Span(_base, SegmentSize);
        var offset = JournalDescriptor.HeaderLength;
        long seen = 0;
        while (!_stop)
        {
            var length = Volatile.Read(ref Unsafe.As<byte, int>(ref region[offset]));
            if (length != 0)
            {
                histogram.Record(ToNs(Stopwatch.GetTimestamp() - Unsafe.As<byte, long>(ref region[offset + RecordDescriptor.TimestampNsOffset])));
                offset += length;
                Volatile.Write(ref _acknowledged, ++seen);
            }
        }
    }

    private static long ToNs(long ticks) => ticks * 1_000_000_000 / Stopwatch.Frequency;

    private string NextPath() => Path.Combine(_root, (_iteration++).ToString(CultureInfo.InvariantCulture));
}
