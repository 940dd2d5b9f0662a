using System.IO.MemoryMappedFiles;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using BenchmarkDotNet.Attributes;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Journal;

namespace OptiFlow.Benchmarks.Journal;

/// <summary>
/// Append throughput on one thread: 100,000 records of <see cref="PayloadSize"/> bytes per invocation into a fresh
/// journal, against two same-run baselines writing the same frame bytes (header + payload, 8-aligned): a buffered
/// <see cref="FileStream"/> (the reference) and a plain memcpy into a fresh memory-mapped file (the physical ceiling:
/// no CRC, no header fields, no commit store).
/// </summary>
/// <remarks>
/// <code>
///  bench thread ─► JournalWriter.AppendBlob(Raw) ─► mmap segment (64 MiB, fresh each iteration: page faults included)
///  bench thread ─► memcpy ─────────────────────────► mmap file (64 MiB, preallocated like a segment, fresh each iteration)
///  bench thread ─► FileStream.Write ───────────────► file (64 KiB buffer; no fsync)
/// </code>
/// Durability level 0: nothing is msynced, as the engine runs by default. Records/s = 1 / (ns per op); MB/s = frame
/// bytes × records/s. Files go under <c>$OPTIFLOW_BENCH_DIR</c> (default the temp directory; e.g. <c>/dev/shm</c> for tmpfs).
/// Run: <c>dotnet run -c Release --project perf/OptiFlow.Benchmarks -- --filter '*JournalAppendBenchmarks*'</c>.
/// </remarks>
[MemoryDiagnoser]
[BenchmarkCategory("Journal")]
[Config(typeof(InProcessJournalConfig))]
public class JournalAppendBenchmarks : IDisposable
{
    private const int Operations = 100_000;
    private const int SegmentSize = 64 * 1024 * 1024;

    private byte[] _payload = [];
    private byte[] _frame = [];
    private string _root = string.Empty;
    private JournalWriter? _writer;
    private MappedRegion? _region;
    private nint _base;
    private FileStream? _stream;
    private int _iteration;

    /// <summary>Payload bytes per record.</summary>
    [Params(64, 128)]
    public int PayloadSize { get; set; }

    /// <summary>
    /// False: every first store to a page faults (the writer without <see cref="JournalOptions.Prefault"/>, or ahead of
    /// its pre-faulter). True: the mapping is pre-faulted writable before the iteration (madvise MADV_POPULATE_WRITE),
    /// the steady state when the journal's pre-faulter runs ahead of the writer; applied to the memcpy ceiling too.
    /// </summary>
    [Params(false, true)]
    public bool Prefault { get; set; }

    [GlobalSetup]
    public void GlobalSetup()
    {
        _payload = new byte[PayloadSize];
        new Random(42).NextBytes(_payload);
        _frame = new byte[RecordDescriptor.FrameLength(PayloadSize)];
        _payload.CopyTo(_frame, RecordDescriptor.PayloadOffset);
        _root = Path.Combine(Environment.GetEnvironmentVariable("OPTIFLOW_BENCH_DIR") ?? Path.GetTempPath(), "optiflow-bench-journal", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_root);
    }

    [IterationSetup(Targets = [nameof(Append_Journal), nameof(Append_JournalBlob)])]
    public void SetupJournal()
    {
        _writer = new JournalWriter(NextPath(), new JournalOptions { SegmentSize = SegmentSize, Prefault = Prefault });
        if (Prefault && (!_writer.WaitForPrefault(TimeSpan.FromSeconds(60)) || _writer.PrefaultError is not null))
        {
            throw new InvalidOperationException($"pre-faulting did not complete: {_writer.PrefaultError ?? "timed out"}");
        }
    }

    [IterationSetup(Target = nameof(Append_Memcpy))]
    public void SetupMemcpy()
    {
        // Preallocated like a journal segment (MappedSegment.Create), so both pay the same page faults (or none, pre-faulted).
        _region = new MappedRegion(NextPath(), SegmentSize, Prefault);
        _base = _region.Base;
    }

    [IterationSetup(Target = nameof(Append_FileStream))]
    public void SetupFileStream() =>
        _stream = new FileStream(NextPath(), FileMode.CreateNew, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);

    [IterationCleanup]
    public void IterationCleanup()
    {
        _writer?.Dispose();
        _writer = null;
        _region?.Dispose();
        _region = null;
        _base = 0;

        _stream?.Dispose();
        _stream = null;
        foreach (var entry in Directory.EnumerateFileSystemEntries(_root))
        {
            if (Directory.Exists(entry))
            {
                Directory.Delete(entry, recursive: true);
            }
            else
            {
                File.Delete(entry);
            }
        }
    }

    /// <summary>Releases whatever an interrupted iteration left open.</summary>
    public void Dispose()
    {
        _writer?.Dispose();
        _stream?.Dispose();
        _region?.Dispose();
        GC.SuppressFinalize(this);
    }

    [GlobalCleanup]
    public void GlobalCleanup() => Directory.Delete(_root, recursive: true);

    [Benchmark(Baseline = true, OperationsPerInvoke = Operations)]
    public long Append_FileStream()
    {
        var stream = _stream!;
        var frame = _frame;
        for (var i = 0; i < Operations; i++)
        {
            stream.Write(frame);
        }

        stream.Flush();
        return stream.Position;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long Append_Memcpy()
    {
        var region = MappedMemory.Span(_base, SegmentSize);
        var frame = _frame;
        var offset = JournalDescriptor.HeaderLength;
        for (var i = 0; i < Operations; i++)
        {
            frame.CopyTo(region[offset..]);
            offset += frame.Length;
        }

        return offset;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long Append_Journal()
    {
        // The hot-path appends: a 64-byte payload is an OrderCommand, a 128-byte one a MarketEvent (same frame bytes
        // as the other rows: 96 and 160).
        var writer = _writer!;
        if (PayloadSize == OrderCommandDescriptor.Size)
        {
            var command = MemoryMarshal.Read<OrderCommand>(_payload);
            for (var i = 0; i < Operations; i++)
            {
                writer.AppendOrderCommand(in command, i);
            }
        }
        else
        {
            var e = MemoryMarshal.Read<MarketEvent>(_payload);
            for (var i = 0; i < Operations; i++)
            {
                writer.Append(ref e, i);
            }
        }

        return writer.Position;
    }

    [Benchmark(OperationsPerInvoke = Operations)]
    public long Append_JournalBlob()
    {
        var writer = _writer!;
        var payload = _payload;
        for (var i = 0; i < Operations; i++)
        {
            writer.AppendBlob(JournalRecordType.Raw, payload, i, i);
        }

        return writer.Position;
    }

    private string NextPath() => Path.Combine(_root, (_iteration++).ToString(System.Globalization.CultureInfo.InvariantCulture));
}

/// <summary>A span over a mapped view's memory without unsafe code (the project does not allow unsafe blocks).</summary>
internal static partial class MappedMemory
{
    public static Span<byte> Span(nint address, int length) =>
        MemoryMarshal.CreateSpan(ref Unsafe.AddByteOffset(ref Unsafe.NullRef<byte>(), address), length);

    /// <summary>Pre-faults a shared mapping writable (Linux 5.14+ MADV_POPULATE_WRITE = 23); throws when the kernel refuses.</summary>
    public static void PopulateWrite(nint address, int length)
    {
        if (Madvise(address, (nuint)length, 23) != 0)
        {
            throw new InvalidOperationException($"madvise(MADV_POPULATE_WRITE) failed with errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "madvise", SetLastError = true)]
    private static partial int Madvise(nint address, nuint length, int advice);
}

/// <summary>
/// A preallocated file of <c>size</c> bytes mapped read-write, like a journal segment (<c>MappedSegment.Create</c>):
/// the memcpy ceiling's region. Optionally pre-faulted writable (<see cref="MappedMemory.PopulateWrite"/>).
/// </summary>
internal sealed class MappedRegion : IDisposable
{
    private readonly MemoryMappedFile _map;
    private readonly MemoryMappedViewAccessor _view;

    public MappedRegion(string path, int size, bool prefault)
    {
        var stream = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.ReadWrite, PreallocationSize = size });
        _map = MemoryMappedFile.CreateFromFile(stream, null, size, MemoryMappedFileAccess.ReadWrite, HandleInheritability.None, leaveOpen: false);
        _view = _map.CreateViewAccessor(0, size, MemoryMappedFileAccess.ReadWrite);
        var added = false;
        _view.SafeMemoryMappedViewHandle.DangerousAddRef(ref added);
        Base = _view.SafeMemoryMappedViewHandle.DangerousGetHandle() + (nint)_view.PointerOffset;
        if (prefault)
        {
            MappedMemory.PopulateWrite(Base, size);
        }
    }

    public nint Base { get; }

    public void Dispose()
    {
        _view.SafeMemoryMappedViewHandle.DangerousRelease();
        _view.Dispose();
        _map.Dispose();
    }
}
