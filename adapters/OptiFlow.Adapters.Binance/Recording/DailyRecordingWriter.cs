using System.Globalization;
using System.IO.Compression;
using System.Text;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// Records a live feed as hftbacktest's collector does: one gzip file per symbol per UTC day,
/// <c>&lt;directory&gt;/&lt;symbol&gt;_&lt;yyyymmdd&gt;.gz</c> (symbol lower case), each line
/// <c>&lt;local timestamp, ns since the Unix epoch&gt; &lt;raw message&gt;\n</c>, the REST depth snapshots of each (re)sync
/// as bare body lines in the same file. Set it as <see cref="MarketDataClientOptions.RawFeed"/> of the client it records.
/// </summary>
/// <remarks>
/// <para><b>What it follows</b> (nkaz001/hftbacktest, <c>collector/src/file.rs</c> and <c>main.rs</c>, read at commit
/// 5f3ec40): <c>Writer</c> keys files by the lower-cased symbol, <c>RotatingFile</c> names them
/// <c>{path}/{symbol}_{%Y%m%d}.gz</c> from the receive time's UTC date, writes <c>{timestamp_nanos} {data}\n</c> through
/// a gzip encoder at the default level, and at a date change finishes the old encoder and opens the next day's file;
/// the Binance handlers write each message under the <c>s</c> of its <c>data</c>, and a depth snapshot fetched after a
/// gap as the bare REST body, stamped when it arrived. hftbacktest's converter
/// (<c>py-hftbacktest/hftbacktest/data/utils/binancefutures.py</c>, <c>convert</c>) reads exactly that: a 19-digit ns
/// timestamp, a space, a combined-stream frame (<c>trade</c>, <c>depthUpdate</c>; <c>bookTicker</c> with option <c>t</c>) or a snapshot body
/// (<c>bids</c>, <c>asks</c>, <c>T</c>), through <c>gzip.open</c>. The engine's <see cref="RecordingReader"/> reads it too
/// (one symbol per file, so a bare snapshot line is attributed by the file's depth stream).</para>
/// <para><b>Where it differs, and why.</b> The symbol is taken from the combined stream's name (<c>btcusdt@trade</c>, the
/// part before <c>@</c>), which the client always uses, not by parsing <c>data</c>. A message that names no configured
/// symbol is not written and is counted (<see cref="Unattributed"/>). A newline or carriage return inside a message is
/// written as a space (JSON whitespace; Binance sends none) so a message is always one line. A restarted recorder
/// <b>appends</b> to an existing day file as a new gzip member (RFC 1952 §2.2: a gzip file is a series of members;
/// Python's <c>gzip</c>, <c>zcat</c> and .NET's <see cref="GZipStream"/> read them all), where the collector reopens
/// the file for writing at offset 0 over the old data. Before appending, the existing file is read to its end
/// (cold: one decompression pass, at start-up or at the day change): a file that is not gzip, or whose last member was cut (a recorder killed before
/// closing it), is refused with <see cref="RecordingDirectoryException"/>, because a reader stops at the damage and
/// would never reach the appended lines. Checking several members needs the runtime switch
/// <c>System.IO.Compression.UseStrictValidation</c> (set for every executable of this repository); without it an
/// appended-to file is refused as truncated, and the message says so. A line stamped just before midnight that reaches
/// the writer after a line of the same symbol stamped after midnight goes to the new day's file: a symbol's day never
/// goes back (the collector would reopen the old day's file).</para>
/// <para><b>Threads.</b> <see cref="OnFrame"/> (receive threads) and <see cref="OnSnapshot"/> (control thread) stamp the
/// message with <see cref="DailyRecordingOptions.Clock"/>, copy it into a slot of a bounded multi-producer ring (the
/// engine's <see cref="RingBuffer{T}"/>) and return; they never wait: a message that finds the ring full is dropped and
/// counted in <see cref="Dropped"/>. One writer thread (<c>optiflow-recorder</c>, sleeping when idle) formats the lines
/// and writes the files, flushing them every <see cref="DailyRecordingOptions.FlushInterval"/>. Allocation: each
/// slot's buffer (1 KiB at construction, so 16 MiB for the default capacity) grows, once, when it first holds a larger
/// message; otherwise the producers allocate nothing; the writer thread allocates when it opens or closes a file.</para>
/// <para><b>Failure.</b> The constructor refuses what it can before anything is written: an unusable directory
/// (<see cref="IOException"/>, <see cref="UnauthorizedAccessException"/>), another recorder on the same directory
/// (a lock file, <c>.optiflow-record.lock</c>, held exclusively) or a damaged day file
/// (<see cref="RecordingDirectoryException"/>). An I/O error on the writer thread (a full disk) stops the writing:
/// <see cref="Failure"/> names the file and the OS error, <see cref="Failed"/> is cancelled so the host can stop the feed,
/// and later messages are counted in <see cref="LostAfterFailure"/>. Counters may be read at any time; the files'
/// summary, consistently after <see cref="Complete"/>.</para>
/// </remarks>
/// <example><code>
/// using var writer = new DailyRecordingWriter("data/", ["btcusdt", "ethusdt"]);
/// var client = new MarketDataClientOptions { Venue = BinanceVenue.UsdmFutures, Symbols = ["btcusdt", "ethusdt"], Streams = ["trade", "bookTicker", "depth@100ms"], RawFeed = writer };
/// using var session = EngineSession.ForLive(client);
/// session.Start();
/// session.RunLive(TimeSpan.FromHours(1), writer.Failed);
/// session.Stop();
/// writer.Complete(TimeSpan.FromSeconds(30)); // drains the queue, closes every gzip member
/// </code></example>
public sealed class DailyRecordingWriter : IRawFeedSink, IDisposable
{
    /// <summary>The lock file a writer holds in its directory while it runs.</summary>
    public const string LockFileName = ".optiflow-record.lock";

    private const long NanosecondsPerDay = 86_400L * 1_000_000_000;
    private const int BufferSize = 1 << 16;
    private const int InitialSlotBytes = 1024;
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;
    private static readonly int UnixEpochDayNumber = DateOnly.FromDateTime(DateTime.UnixEpoch).DayNumber;

    private readonly string _directory;
    private readonly string[] _symbols;
    private readonly byte[][] _symbolBytes;
    private readonly Dictionary<string, int> _symbolIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly TimeProvider _clock;
    private readonly CompressionLevel _level;
    private readonly long _flushIntervalTicks;
    private readonly RingBuffer<RecordingSlot> _ring;
    private readonly byte[][] _payloads;
    private readonly BatchEventProcessor<RecordingSlot, SlotHandler> _processor;
    private readonly FileStream _lock;
    private readonly DayFile?[] _open;
    private readonly List<DailyRecordingFile> _written = [];
    private readonly long[] _frames;
    private readonly long[] _snapshots;
    private readonly long[] _dropped;
    private readonly CancellationTokenSource _failed = new();
    private readonly byte[] _stamp = new byte[24];
    private long _unattributed;
    private long _lostAfterFailure;
    private long _lastFlushTicks = System.Diagnostics.Stopwatch.GetTimestamp();
    private IOException? _failure;
    private volatile bool _completing;
    private bool _completed;
    private bool _disposed;

    /// <summary>
    /// Creates the directory when missing, locks it, checks and opens today's file of every symbol (today on
    /// <see cref="DailyRecordingOptions.Clock"/>; appending to one that exists) and starts the writer thread.
    /// </summary>
    /// <param name="directory">Where the day files go.</param>
    /// <param name="symbols">The symbols recorded, any case (duplicates ignored); messages of others are counted in <see cref="Unattributed"/>.</param>
    /// <param name="options">Options; null for the defaults.</param>
    /// <exception cref="ArgumentException">No symbol, an empty one, or a queue capacity that is not a power of two of at least 16.</exception>
    /// <exception cref="RecordingDirectoryException">Another recorder holds the directory, or a day file to append to is damaged or not gzip.</exception>
    /// <exception cref="IOException">The OS refused the directory or a file (the message names it).</exception>
    /// <exception cref="UnauthorizedAccessException">The directory or a file is not writable.</exception>
    public DailyRecordingWriter(string directory, IReadOnlyList<string> symbols, DailyRecordingOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ArgumentNullException.ThrowIfNull(symbols);
        options ??= new DailyRecordingOptions();
        var capacity = options.QueueCapacity;
        if (capacity < 16 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentException($"QueueCapacity must be a power of two of at least 16, not {capacity}.", nameof(options));
        }

        var names = new List<string>();
        foreach (var symbol in symbols)
        {
            var name = symbol?.Trim().ToLowerInvariant();
            if (string.IsNullOrEmpty(name) || name.Contains('@', StringComparison.Ordinal) || name.IndexOfAny(Path.GetInvalidFileNameChars()) >= 0)
            {
                throw new ArgumentException($"'{symbol}' is not a symbol (e.g. btcusdt).", nameof(symbols));
            }

            if (!names.Contains(name))
            {
                names.Add(name);
            }
        }

        if (names.Count == 0)
        {
            throw new ArgumentException("Give at least one symbol.", nameof(symbols));
        }

        _directory = directory;
        _symbols = [.. names];
        _symbolBytes = [.. names.Select(Encoding.ASCII.GetBytes)];
        for (var i = 0; i < _symbols.Length; i++)
        {
            _symbolIndex[_symbols[i]] = i;
        }

        _clock = options.Clock;
        _level = options.CompressionLevel;
        _flushIntervalTicks = (long)(options.FlushInterval.TotalSeconds * System.Diagnostics.Stopwatch.Frequency);
        _frames = new long[_symbols.Length];
        _snapshots = new long[_symbols.Length];
        _dropped = new long[_symbols.Length];
        _open = new DayFile?[_symbols.Length];
        _payloads = new byte[capacity][];
        for (var i = 0; i < capacity; i++)
        {
            _payloads[i] = new byte[InitialSlotBytes];
        }

        try
        {
            Directory.CreateDirectory(directory);
        }
        catch (IOException e)
        {
            throw new IOException($"cannot create {directory}: {e.Message}", e);
        }

        _lock = Lock(directory);
        try
        {
            // Every existing file is checked before any is opened: a refusal leaves the directory as it was.
            var today = NowNs() / NanosecondsPerDay;
            var appended = new bool[_symbols.Length];
            for (var i = 0; i < _symbols.Length; i++)
            {
                appended[i] = CheckDay(PathOf(_directory, _symbols[i], DayOf(today)));
            }

            for (var i = 0; i < _symbols.Length; i++)
            {
                _open[i] = OpenDay(i, today, appended[i]);
            }
        }
        catch
        {
            foreach (var file in _open)
            {
                file?.Abandon();
            }

            _lock.Dispose();
            _failed.Dispose();
            throw;
        }

        _ring = new RingBuffer<RecordingSlot>(capacity, new SleepingWaitStrategy(), ProducerType.Multi);
        _processor = new BatchEventProcessor<RecordingSlot, SlotHandler>(_ring, _ring.Sequencer.NewBarrier(), new SlotHandler(this));
        _ring.Sequencer.SetGatingSequences(_processor.Sequence);
        _processor.Start("optiflow-recorder");
    }

    /// <summary>The directory of the day files.</summary>
    public string OutputDirectory => _directory;

    /// <summary>The symbols recorded, lower case, in the order given.</summary>
    public IReadOnlyList<string> Symbols => _symbols;

    /// <summary>Cancelled when the writer thread failed (<see cref="Failure"/>): give it to the feed so it stops.</summary>
    public CancellationToken Failed => _failed.Token;

    /// <summary>The I/O error that stopped the writing (its message names the file and the OS error), or null.</summary>
    public IOException? Failure => Volatile.Read(ref _failure);

    /// <summary>Messages of the recorded symbols received (written or <see cref="Dropped"/>), over all symbols; snapshots excluded.</summary>
    public long Frames => Sum(_frames);

    /// <summary>Snapshots received (written or <see cref="Dropped"/>), over all symbols.</summary>
    public long Snapshots => Sum(_snapshots);

    /// <summary>Messages and snapshots dropped because the queue was full (or came after <see cref="Complete"/>), over all symbols.</summary>
    public long Dropped => Sum(_dropped);

    /// <summary>Messages dropped for one symbol (see <see cref="Dropped"/>).</summary>
    /// <param name="symbol">The symbol, any case.</param>
    /// <returns>The count; 0 for a symbol not recorded.</returns>
    public long DroppedOf(string symbol) => _symbolIndex.TryGetValue(symbol, out var i) ? Interlocked.Read(ref _dropped[i]) : 0;

    /// <summary>Messages not written because their stream names no recorded symbol (or none at all).</summary>
    public long Unattributed => Interlocked.Read(ref _unattributed);

    /// <summary>Messages and snapshots not written because the writer had failed before them.</summary>
    public long LostAfterFailure => Interlocked.Read(ref _lostAfterFailure);

    /// <summary>The day files written, by symbol then day (consistent after <see cref="Complete"/>; before it, the files
    /// already closed by a day change).</summary>
    public IReadOnlyList<DailyRecordingFile> Files
    {
        get
        {
            lock (_written)
            {
                return [.. _written.OrderBy(f => f.Symbol, StringComparer.Ordinal).ThenBy(f => f.Day)];
            }
        }
    }

    /// <summary>The path of a symbol's file for a UTC day: <c>&lt;directory&gt;/&lt;symbol lower case&gt;_&lt;yyyymmdd&gt;.gz</c>.</summary>
    /// <param name="directory">The directory.</param>
    /// <param name="symbol">The symbol, any case.</param>
    /// <param name="day">The UTC day.</param>
    /// <returns>The path.</returns>
    public static string PathOf(string directory, string symbol, DateOnly day)
    {
        ArgumentNullException.ThrowIfNull(symbol);
        return Path.Combine(directory, string.Create(CultureInfo.InvariantCulture, $"{symbol.ToLowerInvariant()}_{day:yyyyMMdd}.gz"));
    }

    /// <inheritdoc/>
    /// <remarks>Receive threads; allocation-free in steady state; never waits (a full queue drops and counts).</remarks>
    public void OnFrame(ReadOnlySpan<byte> frame)
    {
        var stampNs = NowNs();
        var symbol = SymbolOf(frame);
        if (symbol < 0)
        {
            Interlocked.Increment(ref _unattributed);
            return;
        }

        Interlocked.Increment(ref _frames[symbol]);
        Enqueue(symbol, frame, stampNs, snapshot: false);
    }

    /// <inheritdoc/>
    /// <remarks>Control thread; allocation-free in steady state; never waits.</remarks>
    public void OnSnapshot(string symbol, ReadOnlySpan<byte> body)
    {
        var stampNs = NowNs();
        if (symbol is null || !_symbolIndex.TryGetValue(symbol, out var index))
        {
            Interlocked.Increment(ref _unattributed);
            return;
        }

        Interlocked.Increment(ref _snapshots[index]);
        Enqueue(index, body, stampNs, snapshot: true);
    }

    /// <summary>
    /// Once the feed has stopped (no more <see cref="OnFrame"/> or <see cref="OnSnapshot"/>): waits until the writer has
    /// written everything queued, then closes every file (each gzip member gets its trailer) and stops the thread.
    /// </summary>
    /// <param name="timeout">Bound on the wait.</param>
    /// <returns>Whether the writer finished in time (false: some lines may be missing and a member unfinished).</returns>
    /// <remarks>Idempotent. Messages offered after it are dropped and counted.</remarks>
    public bool Complete(TimeSpan timeout)
    {
        if (_completed)
        {
            return true;
        }

        _completing = true;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (_processor.Sequence.Value < _ring.Cursor.Value && clock.Elapsed < timeout)
        {
            Thread.Sleep(1);
        }

        _processor.Halt();
        var left = timeout - clock.Elapsed;
        if (!_processor.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero))
        {
            return false;
        }

        _completed = true;
        return true;
    }

    /// <summary>Completes (bounded to 30 s) if not done, and releases the directory's lock.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        Complete(TimeSpan.FromSeconds(30));
        _processor.Dispose();
        _lock.Dispose();
        _failed.Dispose();
    }

    private static long Sum(long[] counters)
    {
        long total = 0;
        for (var i = 0; i < counters.Length; i++)
        {
            total += Interlocked.Read(ref counters[i]);
        }

        return total;
    }

    private long NowNs() => (_clock.GetUtcNow().UtcTicks - UnixEpochTicks) * 100;

    /// <summary>The index of the symbol a combined-stream frame's stream names (<c>{"stream":"btcusdt@…</c>), or -1.</summary>
    private int SymbolOf(ReadOnlySpan<byte> frame)
    {
        var head = frame[..Math.Min(frame.Length, 48)];
        var at = head.IndexOf("\"stream\":\""u8);
        if (at < 0)
        {
            return -1;
        }

        var name = frame[(at + 10)..];
        var end = name.IndexOfAny((byte)'@', (byte)'"');
        if (end <= 0)
        {
            return -1;
        }

        name = name[..end];
        for (var i = 0; i < _symbolBytes.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, _symbolBytes[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private void Enqueue(int symbol, ReadOnlySpan<byte> message, long stampNs, bool snapshot)
    {
        if (_completing || !_ring.TryNext(out var sequence))
        {
            Interlocked.Increment(ref _dropped[symbol]);
            return;
        }

        try
        {
            var index = (int)(sequence & (_payloads.Length - 1));
            var payload = _payloads[index];
            if (payload.Length < message.Length)
            {
                // Cold: a message larger than any this slot held.
                payload = _payloads[index] = new byte[(int)Math.Min(int.MaxValue, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)message.Length))];
            }

            var copy = payload.AsSpan(0, message.Length);
            message.CopyTo(copy);
            copy.Replace((byte)'\n', (byte)' ');
            copy.Replace((byte)'\r', (byte)' ');
            ref var slot = ref _ring[sequence];
            slot.StampNs = stampNs;
            slot.Symbol = symbol;
            slot.Length = message.Length;
            slot.Snapshot = snapshot;
        }
        finally
        {
            _ring.Publish(sequence);
        }
    }

    /// <summary>Writer thread: one line into its symbol's file of its day.</summary>
    private void Write(ref RecordingSlot slot, long sequence)
    {
        if (_failure is not null)
        {
            Interlocked.Increment(ref _lostAfterFailure);
            return;
        }

        var symbol = slot.Symbol;
        var day = slot.StampNs / NanosecondsPerDay;
        var file = _open[symbol];
        try
        {
            if (file is null || day > file.Day)
            {
                if (file is not null)
                {
                    _open[symbol] = null;
                    Close(file);
                }

                file = _open[symbol] = OpenDay(symbol, day, CheckDay(PathOf(_directory, _symbols[symbol], DayOf(day))));
            }

            slot.StampNs.TryFormat(_stamp, out var length, default, CultureInfo.InvariantCulture);
            _stamp[length++] = (byte)' ';
            var stream = file.Stream;
            stream.Write(_stamp, 0, length);
            stream.Write(_payloads[(int)(sequence & (_payloads.Length - 1))], 0, slot.Length);
            stream.WriteByte((byte)'\n');
            file.Lines++;
            if (slot.Snapshot)
            {
                file.Snapshots++;
            }
        }
        catch (IOException e)
        {
            Fail(e is RecordingDirectoryException ? e : new IOException($"cannot write {file?.Path ?? PathOf(_directory, _symbols[symbol], DayOf(day))}: {e.Message}", e));
        }
        catch (UnauthorizedAccessException e)
        {
            Fail(new IOException($"cannot write {PathOf(_directory, _symbols[symbol], DayOf(day))}: {e.Message}", e));
        }
    }

    /// <summary>Writer thread, after a batch: a sync flush of every open file once per flush interval.</summary>
    private void FlushIfDue()
    {
        var now = System.Diagnostics.Stopwatch.GetTimestamp();
        if (now - _lastFlushTicks < _flushIntervalTicks || _failure is not null)
        {
            return;
        }

        _lastFlushTicks = now;
        foreach (var file in _open)
        {
            if (file is null)
            {
                continue;
            }

            try
            {
                file.Stream.Flush();
            }
            catch (IOException e)
            {
                Fail(new IOException($"cannot write {file.Path}: {e.Message}", e));
                return;
            }
        }
    }

    /// <summary>Writer thread, at the end: closes every open file.</summary>
    private void CloseAll()
    {
        for (var i = 0; i < _open.Length; i++)
        {
            if (_open[i] is { } file)
            {
                _open[i] = null;
                try
                {
                    Close(file);
                }
                catch (IOException e)
                {
                    Fail(new IOException($"cannot write {file.Path}: {e.Message}", e));
                }
            }
        }
    }

    private void Close(DayFile file)
    {
        lock (_written)
        {
            _written.Add(new DailyRecordingFile(_symbols[file.Symbol], DayOf(file.Day), file.Path, file.Lines, file.Snapshots, file.Appended));
        }

        if (_failure is not null)
        {
            file.Abandon();
            return;
        }

        file.Stream.Dispose(); // flushes into the gzip stream, which writes its trailer and closes the file
    }

    private void Fail(IOException failure)
    {
        if (Interlocked.CompareExchange(ref _failure, failure, null) is null)
        {
            _failed.Cancel();
        }
    }

    private static DateOnly DayOf(long dayNumberSinceEpoch) => DateOnly.FromDayNumber(UnixEpochDayNumber + (int)dayNumberSinceEpoch);

    /// <summary>Whether a day file exists with content, after checking that it can be appended to (cold: reads it through).</summary>
    /// <exception cref="RecordingDirectoryException">It exists and is damaged or not gzip.</exception>
    private static bool CheckDay(string path)
    {
        var info = new FileInfo(path);
        if (info.LinkTarget is not null)
        {
            // A symbolic link: what it points at is what gets appended to.
            info = info.ResolveLinkTarget(returnFinalTarget: true) as FileInfo ?? info;
        }

        var exists = info.Exists && info.Length > 0;
        if (exists)
        {
            CheckAppendable(path);
        }

        return exists;
    }

    /// <summary>Opens a symbol's file of a day for appending (checked by <see cref="CheckDay"/>).</summary>
    private DayFile OpenDay(int symbol, long day, bool appended)
    {
        var path = PathOf(_directory, _symbols[symbol], DayOf(day));
        var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, BufferSize);
        try
        {
            var gzip = new GZipStream(file, _level, leaveOpen: false);
            return new DayFile(symbol, day, path, file, new BufferedStream(gzip, BufferSize), appended);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>An existing day file must be gzip and read to its end, or appending would put the new lines where no reader goes.</summary>
    private static void CheckAppendable(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using (var probe = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            if (probe.ReadAtLeast(magic, 2, throwOnEndOfStream: false) < 2 || magic[0] != 0x1f || magic[1] != 0x8b)
            {
                throw new RecordingDirectoryException($"{path}: the day file exists and is not gzip: record appends gzip members to a day file; move it away and record again");
            }
        }

        try
        {
            using var lines = new LineSource(path);
            while (lines.TryReadLine(out _))
            {
            }
        }
        catch (DamagedRecordingException e)
        {
            throw new RecordingDirectoryException(
                $"{path}: the day file exists and is damaged, so record will not append to it (a reader stops at the damage and would never reach the new lines); a recorder killed before closing the file leaves it so: move it away (its complete lines stay readable) and record again. {e.Message}",
                e);
        }
    }

    /// <summary>Holds the directory's lock file exclusively for the writer's life (released by the OS if the process dies).</summary>
    private static FileStream Lock(string directory)
    {
        var path = Path.Combine(directory, LockFileName);
        try
        {
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None, 1, FileOptions.DeleteOnClose);
        }
        catch (IOException e) when (e is not FileNotFoundException and not DirectoryNotFoundException and not PathTooLongException)
        {
            throw new RecordingDirectoryException($"{directory}: another recorder is writing there (it holds {path}): give another directory, or stop that one. {e.Message}", e);
        }
    }

    /// <summary>One symbol's open file of one day (writer thread only).</summary>
    private sealed class DayFile(int symbol, long day, string path, FileStream file, Stream stream, bool appended)
    {
        public int Symbol { get; } = symbol;

        public long Day { get; } = day;

        public string Path { get; } = path;

        public Stream Stream { get; } = stream;

        public bool Appended { get; } = appended;

        public long Lines { get; set; }

        public long Snapshots { get; set; }

        /// <summary>Closes the file without finishing its gzip member (after a failure, or when the constructor gives up).</summary>
        public void Abandon()
        {
            try
            {
                Stream.Dispose();
            }
            catch (IOException)
            {
                // The failure is reported already; the file is closed below either way.
            }

            file.Dispose();
        }
    }

    /// <summary>The writer thread's handler: a direct call per slot.</summary>
    private readonly struct SlotHandler(DailyRecordingWriter writer) : IEventHandler<RecordingSlot>
    {
        public void OnStart()
        {
        }

        public void OnBatchStart(long firstSequence, long count)
        {
        }

        public void OnEvent(ref RecordingSlot data, long sequence, bool endOfBatch)
        {
            writer.Write(ref data, sequence);
            if (endOfBatch)
            {
                writer.FlushIfDue();
            }
        }

        public void OnShutdown() => writer.CloseAll();
    }
}
