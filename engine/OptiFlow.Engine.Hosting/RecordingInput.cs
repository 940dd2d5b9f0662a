using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// A recorded session ready to publish: its files in reading order, their format, the market's sync rule and the
/// symbol table, configured from the data before anything runs (a first pass over the files).
/// </summary>
/// <remarks>
/// Files given in order form one session (a recording that spans midnight continues in the next day's file). The
/// format is detected from the first file unless given (<see cref="RecordingReaders.Detect"/>); a cryptofeed
/// <c>*.ws.1.0</c> file brings its <c>*.http.0.0</c> snapshots. The market, unless given, is read from the first
/// <c>depthUpdate</c> or bookTicker frame: a depthUpdate carrying <c>pu</c> is USDⓈ-M or COIN-M futures, one without is
/// spot (binance.md "Book sync"); a bookTicker with <c>"e":"bookTicker"</c> is futures, a combined-stream
/// <c>@bookTicker</c> frame with no event type is spot (binance.md §2.4). The symbol table is sized to the recording
/// (<see cref="RecordingSymbolScan.CreateTable"/>) unless a capacity is given. Cold path: opening reads the files (allocates); the instance is immutable afterwards and may be
/// shared: its <see cref="Symbols"/> table is frozen and sessions only read it. <see cref="LoadIntoMemory"/> gives an
/// input that publishes from a copy of the frames in memory, read from the files once, for running many sessions.
/// </remarks>
public sealed class RecordingInput
{
    private readonly InMemoryRecording? _memory;

    private RecordingInput(IReadOnlyList<string> files, RecordingFormat format, Market market, SymbolTable symbols, InMemoryRecording? memory = null)
    {
        Files = files;
        Format = format;
        Market = market;
        Symbols = symbols;
        _memory = memory;
    }

    /// <summary>The files in reading order (absolute or as given).</summary>
    public IReadOnlyList<string> Files { get; }

    /// <summary>The resolved format (never <see cref="RecordingFormat.Auto"/>).</summary>
    public RecordingFormat Format { get; }

    /// <summary>The sync rule the recording's depth messages follow.</summary>
    public Market Market { get; }

    /// <summary>The symbols of the recording, interned in order of first appearance (ids 0, 1, …) by a first pass over
    /// the files (<see cref="RecordingSymbolScan"/>), then frozen: producers only look symbols up.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>Opens a recording of one or more files, detecting the format and the market.</summary>
    /// <param name="files">The files, in session order.</param>
    /// <returns>The input.</returns>
    /// <exception cref="ArgumentException">No file is given.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">The market cannot be told from the data (no depthUpdate or bookTicker frame): give it.</exception>
    public static RecordingInput Open(params string[] files) => Open(files, RecordingFormat.Auto, market: null);

    /// <summary>Opens a recording of one or more files.</summary>
    /// <param name="files">The files, in session order.</param>
    /// <param name="format">Their format, or <see cref="RecordingFormat.Auto"/> to detect it from the first file.</param>
    /// <param name="market">The sync rule, or null to detect it from the first depthUpdate or bookTicker frame.</param>
    /// <param name="symbolCapacity">Capacity of the symbol table, or null (the default) for a table sized to the
    /// recording: <see cref="SymbolTable.DefaultCapacity"/>, doubled as often as the recording's symbols need
    /// (<see cref="RecordingSymbolScan.CreateTable"/>).</param>
    /// <returns>The input.</returns>
    /// <exception cref="ArgumentException">No file is given.</exception>
    /// <exception cref="FileNotFoundException">A file does not exist.</exception>
    /// <exception cref="InvalidDataException">The market is null and cannot be told from the data.</exception>
    /// <exception cref="DamagedRecordingException">The market is null and no depthUpdate or bookTicker can be read for damaged gzip
    /// data, or a cryptofeed snapshot file (loaded whole) is damaged. Other damage is not thrown here: the first pass
    /// skips the rest of a damaged file, and the session reports it (<see cref="SessionResult.DamagedInputs"/>).</exception>
    /// <exception cref="InvalidOperationException">The recording has more symbols than a given <paramref name="symbolCapacity"/>.</exception>
    public static RecordingInput Open(IReadOnlyList<string> files, RecordingFormat format, Market? market, int? symbolCapacity = null)
    {
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0)
        {
            throw new ArgumentException("Give at least one recording file.", nameof(files));
        }

        foreach (var file in files)
        {
            if (!File.Exists(file))
            {
                throw new FileNotFoundException($"Recording file not found: {file}", file);
            }
        }

        var resolved = RecordingReaders.Resolve(format, files);
        var sessionFiles = RecordingReaders.SessionFiles(resolved, files);
        // The data's first pass: every symbol, in the order the decoder meets them, interned before anything runs;
        // then the table is frozen and the producer only looks symbols up.
        SymbolTable symbols;
        if (symbolCapacity is { } capacity)
        {
            symbols = new SymbolTable(capacity);
            RecordingSymbolScan.Intern(resolved, sessionFiles, symbols);
        }
        else
        {
            symbols = RecordingSymbolScan.CreateTable(resolved, sessionFiles);
        }

        symbols.Freeze();
        var detected = market ?? DetectMarket(resolved, sessionFiles, symbols);
        return new RecordingInput(sessionFiles, resolved, detected, symbols);
    }

    /// <summary>Whether <see cref="OpenReader"/> reads an in-memory copy of the frames (<see cref="LoadIntoMemory"/>) rather than the files.</summary>
    public bool IsInMemory => _memory is not null;

    /// <summary>The in-memory copy (its <see cref="InMemoryRecording.Frames"/> and <see cref="InMemoryRecording.Bytes"/>
    /// tell what it takes), or null when this input reads its files.</summary>
    public InMemoryRecording? Memory => _memory;

    /// <summary>Opens the reader over <see cref="Files"/>, or over the in-memory copy when <see cref="IsInMemory"/>
    /// (the session's producer reads it).</summary>
    /// <returns>The reader; dispose it.</returns>
    /// <remarks>
    /// Over the files: cold (opens the first file, allocates its buffers); throws what <see cref="RecordingReaders.Open"/>
    /// throws. In memory: allocates one small reader and touches no file; thread-safe, so sessions on several threads
    /// may each open their own.
    /// </remarks>
    public IRecordingReader OpenReader() => _memory?.OpenReader() ?? RecordingReaders.Open(Format, Files, Symbols);

    /// <summary>
    /// Reads the recording once into memory and returns an input that publishes from that copy ("load once, run
    /// many": parameter sweeps, whole-pipeline measurements on a recording in memory).
    /// </summary>
    /// <returns>A new input with the same <see cref="Files"/>, <see cref="Format"/>, <see cref="Market"/> and
    /// <see cref="Symbols"/> whose <see cref="OpenReader"/> reads the copy; this instance when it is in memory already.</returns>
    /// <remarks>
    /// <para><b>Cost.</b> Cold path: reads every frame of <see cref="OpenReader"/> of this input once, on the calling
    /// thread (<see cref="InMemoryRecording.Load"/>). Memory: about the uncompressed frame bytes (the frames alone,
    /// without the timestamps and line ends of the files) plus about 40 bytes a frame, for as long as the returned
    /// input lives; gzip files are held uncompressed. This input is left as it was.</para>
    /// <para><b>What a session over it does the same.</b> It publishes exactly what a session over the files publishes:
    /// the same frames in the same order, with the recorded timestamps, lines, file indices and snapshot symbol hints,
    /// line-format errors included; damaged or cut gzip data is kept at its place and reported by the session as it is
    /// from the files (<see cref="SessionResult.DamagedInputs"/>, one decode-error event at the file and line). So
    /// books, signals, digests and counts are those of a run over the files; only the receive times (the clock at
    /// publication) and whatever depends on speed differ, as between any two runs.</para>
    /// <para><b>What still reads the files.</b> <see cref="OpenReader"/> never does. The session still uses the files'
    /// sizes: progress (<see cref="EngineSession.Progress"/>) counts input bytes against their uncompressed sizes (a
    /// file that is gone counts 0 bytes), and a session with a journal sizes its segments from them unless
    /// <see cref="EngineOptions.JournalSegmentSize"/> is given (<see cref="JournalSizing.SegmentSizeFor"/>, which throws
    /// <see cref="FileNotFoundException"/> for a file that is gone). The journal's session header names the files.
    /// Keep the files, or give the segment size.</para>
    /// <para><b>Sharing.</b> The copy is immutable: the returned input may be given to any number of sessions, one after
    /// another or at once; they share its frozen <see cref="Symbols"/> table, which sessions only read.</para>
    /// </remarks>
    /// <exception cref="IOException">A file cannot be read (damaged gzip data is not thrown: it is kept, see above).</exception>
    /// <exception cref="DamagedRecordingException">A cryptofeed snapshot file (loaded whole when the reader opens) is damaged.</exception>
    /// <exception cref="OutOfMemoryException">The recording does not fit in memory.</exception>
    public RecordingInput LoadIntoMemory()
    {
        if (_memory is not null)
        {
            return this;
        }

        InMemoryRecording memory;
        using (var reader = OpenReader())
        {
            memory = InMemoryRecording.Load(reader);
        }

        return new RecordingInput(Files, Format, Market, Symbols, memory);
    }

    private static Market DetectMarket(RecordingFormat format, IReadOnlyList<string> files, SymbolTable symbols)
    {
        using var reader = RecordingReaders.Open(format, files, symbols);
        DamagedRecordingException? damage = null;
        while (true)
        {
            RecordedFrame frame;
            try
            {
                if (!reader.TryRead(out frame))
                {
                    break;
                }
            }
            catch (DamagedRecordingException e)
            {
                damage ??= e; // the session reports it; go on with the next file, as the session does
                continue;
            }

            var bytes = frame.Frame;
            if (bytes.IndexOf("\"depthUpdate\""u8) >= 0)
            {
                return bytes.IndexOf("\"pu\":"u8) >= 0 ? Model.Market.Futures : Model.Market.Spot;
            }

            // A bookTicker tells too (binance.md §2.4): the futures one has "e":"bookTicker", the spot one no event type.
            if (bytes.IndexOf("\"e\":\"bookTicker\""u8) >= 0)
            {
                return Model.Market.Futures;
            }

            if (bytes.IndexOf("@bookTicker\""u8) >= 0 && bytes.IndexOf("\"e\":"u8) < 0)
            {
                return Model.Market.Spot;
            }
        }

        if (damage is not null)
        {
            throw damage; // no depthUpdate or bookTicker could be read: the damage, not the market, is what to tell the user
        }

        throw new InvalidDataException(
            $"Cannot tell spot from futures in {string.Join(", ", files)}: no depthUpdate or bookTicker frame to read the market from; give the market.");
    }
}
