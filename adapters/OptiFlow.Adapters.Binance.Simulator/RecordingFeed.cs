using System.Diagnostics;
using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// Replays the recording once, on one thread, as the venue's single timeline: every stream frame goes to the connections
/// subscribed to its stream, every frame (sent or not) moves the venue's books, and recorded snapshots answer parked
/// REST snapshot requests verbatim.
/// </summary>
/// <remarks>Connections and snapshot requests come from Kestrel threads; everything shared is guarded by one lock.</remarks>
internal sealed class RecordingFeed : IDisposable
{
    private readonly SimulatorOptions _options;
    private readonly SimulatorStatistics _statistics;
    private readonly SymbolTable _symbols;
    private readonly SimulatorBook _book;
    private readonly object _sync = new();
    private readonly List<SimulatorConnection> _connections = [];
    private readonly Dictionary<string, List<TaskCompletionSource<byte[]?>>> _parked = new(StringComparer.Ordinal);
    private readonly HashSet<int> _servedSymbols = [];
    private readonly Dictionary<long, string> _streamKeys = [];
    private readonly long[] _ordinals = new long[8];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly ManualResetEventSlim _connected = new(false);
    private byte[]? _heldFrame;
    private string? _heldKey;
    private MarketEventKind _heldFilter;
    private Thread? _thread;
    private int _holdRequests;
    private int _feedHeld;
    private long _holdUntilMs;
    private volatile bool _ended;
    private volatile bool _stopping;
    private readonly object _pauseSync = new();
    private volatile bool _pauseRequested;
    private TaskCompletionSource _pausedSignal = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public RecordingFeed(SimulatorOptions options, SimulatorStatistics statistics)
    {
        _options = options;
        _statistics = statistics;

        // The venue's symbols are the recording's, interned once here, in the order a decode meets them; the feed
        // thread and the snapshot requests only look them up.
        // The table is sized to the recording (a spot universe has more symbols than the default 1,024).
        _symbols = RecordingSymbolScan.CreateTable(options.Format, RecordingReaders.SessionFiles(options.Format, options.Files));
        _symbols.Freeze();
        _book = new SimulatorBook(options.Market, _symbols);
    }

    public Task Completion => _completion.Task;

    public bool Ended => _ended;

    public SymbolTable Symbols => _symbols;

    /// <summary>The simulated exchange fed with every frame in serve order; null for a market-data-only simulator.</summary>
    public SimulatedExchange? Exchange { get; set; }

    /// <summary>Asks the feed to stop before its next frame takes effect.</summary>
    public void RequestPause() => _pauseRequested = true;

    /// <summary>Lets a paused feed go on.</summary>
    public void Resume()
    {
        lock (_pauseSync)
        {
            _pauseRequested = false;
            _pausedSignal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            Monitor.PulseAll(_pauseSync);
        }
    }

    /// <summary>Completes when the feed is parked by a pause (request or fault); false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilPausedAsync(TimeSpan timeout)
    {
        Task parked;
        lock (_pauseSync)
        {
            parked = _pausedSignal.Task;
        }

        try
        {
            await parked.WaitAsync(timeout);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    private void ParkIfPaused()
    {
        if (!_pauseRequested)
        {
            return;
        }

        lock (_pauseSync)
        {
            _pausedSignal.TrySetResult();
            while (_pauseRequested && !_stopping)
            {
                Monitor.Wait(_pauseSync, 100);
            }
        }
    }

    /// <summary>Moves the exchange's books with the frame just decoded (the venue's timeline, in serve order).</summary>
    private void FeedExchange(MarketEventKind kind)
    {
        var exchange = Exchange;
        if (exchange is null)
        {
            return;
        }

        ref readonly var header = ref _book.LastEvent;
        switch (kind)
        {
            case MarketEventKind.DepthLevel or MarketEventKind.SnapshotLevel when _book.LastChange == VenueBookChange.Reset:
                exchange.OnBookReset(header.SymbolId, _book.BookOf(header.SymbolId)!, header.EventTimeMs);
                break;
            case MarketEventKind.DepthLevel when _book.LastChange == VenueBookChange.Diff:
                exchange.OnDiff(header, _book.LastLevels);
                break;
            case MarketEventKind.DepthLevel or MarketEventKind.SnapshotLevel:
                break;
            default:
                exchange.OnEvent(header);
                break;
        }
    }

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true, Name = "simulator-feed" };
        _thread.Start();
    }

    public void Stop()
    {
        _stopping = true;
        _connected.Set();
        lock (_sync)
        {
            Monitor.PulseAll(_sync);
        }

        _thread?.Join(TimeSpan.FromSeconds(5));
    }

    public void Dispose() => _connected.Dispose();

    /// <summary>Serves the feed to <paramref name="connection"/> from now on; once the recording has ended (checked under
    /// the lock <see cref="End"/> sets it under, so no connection falls between the two), completes it at once.</summary>
    public void Add(SimulatorConnection connection)
    {
        lock (_sync)
        {
            if (!_ended)
            {
                _connections.Add(connection);
                Monitor.PulseAll(_sync);
                _connected.Set();
                return;
            }
        }

        connection.CompleteAtEnd();
    }

    public void Remove(SimulatorConnection connection)
    {
        lock (_sync)
        {
            _connections.Remove(connection);
        }
    }

    /// <summary>The REST body for a snapshot of <paramref name="symbol"/>, waiting while its book is not yet known; null on timeout or at the end.</summary>
    public async Task<byte[]?> GetSnapshotAsync(string symbol, int limit, CancellationToken cancellation)
    {
        var name = symbol.ToUpperInvariant();
        TaskCompletionSource<byte[]?> parked;
        lock (_sync)
        {
            if (_symbols.TryGet(Encoding.ASCII.GetBytes(name), out var id) && _book.IsKnown(id) && !_options.Pace.IsMax)
            {
                _servedSymbols.Add(id);
                return _book.TrySerialize(id, _options.HonourDepthLimit ? limit : 0);
            }
        }

        bool known;
        lock (_sync)
        {
            known = _symbols.TryGet(Encoding.ASCII.GetBytes(name), out var knownId) && _book.IsKnown(knownId);
        }

        if (_options.Pace.IsMax && !_ended && known)
        {
            var served = ServeHeld(name, limit);
            if (served is not null)
            {
                return served;
            }
        }

        lock (_sync)
        {
            if (_symbols.TryGet(Encoding.ASCII.GetBytes(name), out var id) && _book.IsKnown(id))
            {
                _servedSymbols.Add(id);
                return _book.TrySerialize(id, _options.HonourDepthLimit ? limit : 0);
            }

            if (_ended)
            {
                return null;
            }

            parked = new TaskCompletionSource<byte[]?>(TaskCreationOptions.RunContinuationsAsynchronously);
            if (!_parked.TryGetValue(name, out var list))
            {
                _parked[name] = list = [];
            }

            list.Add(parked);
            Monitor.PulseAll(_sync);
        }

        try
        {
            return await parked.Task.WaitAsync(_options.SnapshotWaitTimeout, cancellation);
        }
        catch (TimeoutException)
        {
            lock (_sync)
            {
                if (_parked.TryGetValue(name, out var list))
                {
                    list.Remove(parked);
                }
            }

            return null;
        }
    }

    /// <summary>
    /// At max pace: holds the feed, lets every connection's queue drain (bounded), serves the book, and keeps the feed
    /// held for <see cref="SimulatorOptions.SnapshotSettle"/> so the client publishes the snapshot before the diffs that
    /// follow (sent far faster than the venue's pace) overflow the core's pending buffer. Null when the book is not known.
    /// </summary>
    private byte[]? ServeHeld(string name, int limit)
    {
        Interlocked.Increment(ref _holdRequests);
        try
        {
            var deadline = Stopwatch.StartNew();
            while (Volatile.Read(ref _feedHeld) == 0 && !_ended && !_stopping && deadline.Elapsed < TimeSpan.FromSeconds(1))
            {
                Thread.Sleep(1);
            }

            var targets = ConnectionsNow();

            while (deadline.Elapsed < TimeSpan.FromSeconds(2) && Array.Exists(targets, c => c.IsActive && c.QueuedFrames > 0))
            {
                Thread.Sleep(1);
            }

            lock (_sync)
            {
                if (!_symbols.TryGet(Encoding.ASCII.GetBytes(name), out var id) || !_book.IsKnown(id))
                {
                    return null;
                }

                _servedSymbols.Add(id);
                Volatile.Write(ref _holdUntilMs, Environment.TickCount64 + (long)_options.SnapshotSettle.TotalMilliseconds);
                return _book.TrySerialize(id, _options.HonourDepthLimit ? limit : 0);
            }
        }
        finally
        {
            Interlocked.Decrement(ref _holdRequests);
        }
    }

    /// <summary>Whether <paramref name="symbol"/> appears in the recording so far.</summary>
    public bool Knows(string symbol)
    {
        lock (_sync)
        {
            return _symbols.TryGet(Encoding.ASCII.GetBytes(symbol), out _);
        }
    }

    private void Run()
    {
        try
        {
            // The timeline starts with the first client, so nothing is lost before anyone listens.
            while (!_connected.Wait(200))
            {
                if (_stopping)
                {
                    return;
                }
            }

            Replay();
        }
        catch (Exception e) when (e is IOException or InvalidDataException)
        {
            Console.Error.WriteLine($"simulator: cannot read the recording: {e.Message}");
        }
#pragma warning disable CA1031 // The feed thread must not take the process down; the failure is reported and the streams end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            Console.Error.WriteLine($"simulator: the replay failed: {e}");
        }
        finally
        {
            End();
        }
    }

    private void Replay()
    {
        var clock = Stopwatch.StartNew();
        var firstNs = -1L;
        var pausedMs = 0.0;
        using var reader = RecordingReaders.Open(_options.Format, RecordingReaders.SessionFiles(_options.Format, _options.Files), _symbols);
        while (!_stopping && reader.TryRead(out var frame))
        {
            if (frame.LineFormatError)
            {
                continue;
            }

            FrameOutcome outcome;
            MarketEventKind kind;
            int symbolId;
            lock (_sync)
            {
                outcome = _book.Feed(frame.Frame, frame.SymbolHint, out kind, out symbolId);
            }

            if (kind == MarketEventKind.SnapshotLevel)
            {
                ParkIfPaused();
                FeedExchange(kind);
                Interlocked.Increment(ref _statistics.RecordedSnapshots);
                var pauseStart = clock.Elapsed;
                OnRecordedSnapshot(frame.Frame.ToArray(), symbolId);
                pausedMs += (clock.Elapsed - pauseStart).TotalMilliseconds; // a paced schedule resumes where it paused
                continue;
            }

            if (outcome == FrameOutcome.Ignored)
            {
                continue;
            }

            Interlocked.Increment(ref _statistics.FramesRead);
            if (!_options.Pace.IsMax && frame.LocalTimestampNs > 0)
            {
                if (firstNs < 0)
                {
                    // The recording's clock starts when a client is there to see it: a paced replay that ran ahead of a
                    // client still connecting (a loaded machine) would skip its first frames, and its first snapshot.
                    WaitForActiveConnection();
                    clock.Restart();
                    pausedMs = 0;
                    firstNs = frame.LocalTimestampNs;
                }

                var dueMs = ((frame.LocalTimestampNs - firstNs) / 1e6 / _options.Pace.Speed) + pausedMs;
                var waitMs = dueMs - clock.Elapsed.TotalMilliseconds;
                if (waitMs > 1)
                {
                    Thread.Sleep(TimeSpan.FromMilliseconds(waitMs));
                }
            }
            else if (_options.Pace.IsMax)
            {
                WaitForActiveConnection();
                while (!_stopping && (Volatile.Read(ref _holdRequests) > 0 || Environment.TickCount64 < Volatile.Read(ref _holdUntilMs)))
                {
                    // Held by a snapshot request (see ServeHeld).
                    Volatile.Write(ref _feedHeld, 1);
                    Thread.Sleep(1);
                }

                Volatile.Write(ref _feedHeld, 0);
            }

            var key = outcome == FrameOutcome.Error ? null : StreamKey(symbolId, kind);
            var bytes = Wrap(frame.Frame, key);
            Dispatch(bytes, key, outcome == FrameOutcome.Error ? MarketEventKind.None : kind);
        }

        if (_heldFrame is not null)
        {
            Send(_heldFrame, _heldKey);
            _heldFrame = null;
        }
    }

    private void Dispatch(byte[] bytes, string? key, MarketEventKind kind)
    {
        ParkIfPaused();
        var all = ++_ordinals[0];
        var ofKind = kind == MarketEventKind.None ? 0 : ++_ordinals[(int)kind];
        var drop = false;
        var duplicate = false;
        var hold = false;
        foreach (var fault in _options.Faults)
        {
            if (fault.Kind is SimulatorFaultKind.TooManyRequests or SimulatorFaultKind.Banned)
            {
                continue;
            }

            var matches = fault.Filter == MarketEventKind.None ? all == fault.Ordinal : fault.Filter == kind && ofKind == fault.Ordinal;
            if (!matches)
            {
                continue;
            }

            Interlocked.Increment(ref _statistics.FaultsApplied);
            switch (fault.Kind)
            {
                case SimulatorFaultKind.Drop:
                    drop = true;
                    break;
                case SimulatorFaultKind.Duplicate:
                    duplicate = true;
                    break;
                case SimulatorFaultKind.Reorder:
                    hold = true;
                    _heldFilter = fault.Filter;
                    break;
                case SimulatorFaultKind.Delay:
                    Thread.Sleep(TimeSpan.FromMilliseconds(fault.Argument));
                    break;
                case SimulatorFaultKind.Disconnect:
                    ForEachConnection(c => c.Abort());
                    if (_options.Pace.IsMax)
                    {
                        WaitForActiveConnection();
                    }

                    break;
                case SimulatorFaultKind.Malformed:
                    Send("{\"stream\":\"btcusdt@depth@100ms\",\"data\":{\"e\":\"depthUpdate\",\"E\":17231612"u8.ToArray(), null);
                    break;
                case SimulatorFaultKind.ServerShutdown:
                    var notice = string.Create(CultureInfo.InvariantCulture, $"{{\"stream\":\"!serverShutdown\",\"data\":{{\"e\":\"serverShutdown\",\"E\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}}}}}");
                    var noticed = ConnectionsNow();
                    Send(Encoding.UTF8.GetBytes(notice), null);
                    if (_options.Pace.IsMax)
                    {
                        WaitForNewConnection(noticed, TimeSpan.FromSeconds(5));
                    }

                    break;
                case SimulatorFaultKind.Stall:
                    ForEachConnection(c => c.Stall());
                    if (_options.Pace.IsMax)
                    {
                        WaitForActiveConnection();
                    }

                    break;
                case SimulatorFaultKind.Pause:
                    RequestPause();
                    ParkIfPaused();
                    break;
                default:
                    break;
            }
        }

        if (kind != MarketEventKind.None)
        {
            FeedExchange(kind);
        }

        if (drop)
        {
            Interlocked.Increment(ref _statistics.FramesDropped);
            return;
        }

        if (hold && _heldFrame is null)
        {
            _heldFrame = bytes;
            _heldKey = key;
            return;
        }

        Send(bytes, key);
        if (duplicate)
        {
            Send(bytes, key);
        }

        if (_heldFrame is not null && (_heldFilter == MarketEventKind.None || _heldFilter == kind) && !ReferenceEquals(_heldFrame, bytes))
        {
            var held = _heldFrame;
            _heldFrame = null;
            Send(held, _heldKey);
        }
    }

    private void Send(byte[] bytes, string? key)
    {
        var targets = ConnectionsNow();

        foreach (var connection in targets)
        {
            if (connection.IsActive && (key is null || connection.Wants(key)))
            {
                connection.Enqueue(bytes, CancellationToken.None);
            }
        }
    }

    private void ForEachConnection(Action<SimulatorConnection> action)
    {
        var targets = ConnectionsNow();

        foreach (var connection in targets)
        {
            action(connection);
        }
    }

    /// <summary>The connections open now (a copy, taken under the lock).</summary>
    private SimulatorConnection[] ConnectionsNow()
    {
        lock (_sync)
        {
            return [.. _connections];
        }
    }

    /// <summary>Waits, at most <paramref name="bound"/>, until an active connection not in <paramref name="existing"/> is open.</summary>
    private void WaitForNewConnection(SimulatorConnection[] existing, TimeSpan bound)
    {
        var waited = Stopwatch.StartNew();
        lock (_sync)
        {
            while (!_stopping && waited.Elapsed < bound && !_connections.Exists(c => c.IsActive && Array.IndexOf(existing, c) < 0))
            {
                Monitor.Wait(_sync, 50);
            }
        }
    }

    private void WaitForActiveConnection()
    {
        lock (_sync)
        {
            while (!_stopping && !_connections.Exists(c => c.IsActive))
            {
                Monitor.Wait(_sync, 50);
            }
        }
    }

    private void OnRecordedSnapshot(byte[] body, int symbolId)
    {
        if (symbolId < 0)
        {
            return;
        }

        var name = _symbols.NameOf(symbolId);
        List<TaskCompletionSource<byte[]?>>? waiting;
        lock (_sync)
        {
            // A client that connected at the start has asked (or is about to ask) for this snapshot: wait for its
            // request, bounded, so it syncs at exactly the recorded point, at any pace (a paced replay's clock waits too,
            // as a client's REST round trip on a loaded machine can take longer than the diffs after the snapshot).
            if (!_servedSymbols.Contains(symbolId) && _connections.Count > 0)
            {
                var deadline = Stopwatch.StartNew();
                while (!_stopping && !_parked.ContainsKey(name) && deadline.Elapsed < _options.SnapshotRendezvousTimeout)
                {
                    Monitor.Wait(_sync, 20);
                }
            }

            _parked.Remove(name, out waiting);
            if (waiting is { Count: > 0 })
            {
                _servedSymbols.Add(symbolId);
            }
        }

        if (waiting is { Count: > 0 })
        {
            foreach (var request in waiting)
            {
                request.TrySetResult(body);
            }

            if (_options.Pace.IsMax && _options.SnapshotSettle > TimeSpan.Zero)
            {
                Thread.Sleep(_options.SnapshotSettle);
            }
        }
    }

    private string StreamKey(int symbolId, MarketEventKind kind)
    {
        var id = ((long)symbolId << 8) | (byte)kind;
        lock (_sync)
        {
            if (!_streamKeys.TryGetValue(id, out var key))
            {
                var symbol = _symbols.NameOf(symbolId).ToLowerInvariant();
                key = symbol + "@" + kind switch
                {
                    MarketEventKind.DepthLevel => "depth",
                    MarketEventKind.BookTicker => "bookTicker",
                    MarketEventKind.Trade => "trade",
                    MarketEventKind.AggTrade => "aggTrade",
                    _ => "unknown",
                };
                _streamKeys[id] = key;
            }

            return key;
        }
    }

    /// <summary>The subscription key of a stream name (compared ignoring case): depth speed dropped (<c>btcusdt@depth@100ms</c> → <c>btcusdt@depth</c>).</summary>
    public static string KeyOfStreamName(string stream)
    {
        var key = stream.Trim();
        var at = key.IndexOf("@depth@", StringComparison.OrdinalIgnoreCase);
        return at >= 0 ? key[..(at + "@depth".Length)] : key;
    }

    /// <summary>The frame as sent on a combined stream: recorded combined frames verbatim, bare events wrapped.</summary>
    private static byte[] Wrap(ReadOnlySpan<byte> frame, string? key)
    {
        var head = frame[..Math.Min(frame.Length, 24)];
        if (key is null || head.IndexOf("\"stream\""u8) >= 0)
        {
            return frame.ToArray();
        }

        var prefix = Encoding.ASCII.GetBytes("{\"stream\":\"" + key + "\",\"data\":");
        var bytes = new byte[prefix.Length + frame.Length + 1];
        prefix.CopyTo(bytes, 0);
        frame.CopyTo(bytes.AsSpan(prefix.Length));
        bytes[^1] = (byte)'}';
        return bytes;
    }

    private void End()
    {
        List<TaskCompletionSource<byte[]?>> abandoned = [];
        SimulatorConnection[] targets;
        lock (_sync)
        {
            _ended = true;
            foreach (var list in _parked.Values)
            {
                abandoned.AddRange(list);
            }

            _parked.Clear();
            targets = [.. _connections];
        }

        foreach (var request in abandoned)
        {
            request.TrySetResult(null);
        }

        foreach (var connection in targets)
        {
            if (connection.IsActive)
            {
                connection.CompleteAtEnd();
            }
        }

        _completion.TrySetResult();
    }
}
