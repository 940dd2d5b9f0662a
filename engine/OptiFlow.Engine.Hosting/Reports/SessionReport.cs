using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// Writes a run's report into a directory: <c>report.json</c> (metadata, counts, books, digests, the replay verdict and
/// each latency stage's summary in ns), <c>latency/&lt;stage&gt;.hgrm</c> (HdrHistogram's percentile text, in µs),
/// <c>latency.hlog</c> (HdrHistogram's interval log: see <see cref="LatencyIntervalRecorder"/>) and <c>report.html</c>
/// (one self-contained page of plots: <see cref="PageFileName"/>).
/// </summary>
/// <remarks>
/// Cold path, after the run: allocates freely, never called on a hot thread. The directory is created when missing;
/// the files it writes are replaced. Thread-safety: read the results only after their session stopped.
/// <code>
/// report.json
///   format "optiflow-report", version 1, command, created_utc
///   engine { version, commit }            machine { cpu_model, kernel, logical_cpus, process_cpus, runtime }
///   threads { core_cpu, journal_cpu, outbound_cpu, core_wait_strategy, journal_wait_strategy, outbound_wait_strategy,
///             gateway_cpu, gateway_wait_strategy }   (null: not pinned / no gateway)
///   gc { server, concurrent, latency_mode, settings { … } }
///   inputs [ { path, bytes } ]            live { endpoints [ … ], completion } (null for a file run)
///   counts { frames, events, frames_by_type { book_ticker, depth_update, depth_snapshot, trade, agg_trade, mark_price, decode_error },
///            events_by_kind { … }, decode_errors { total, by_code { … } },
///                                                  gaps, resyncs, snapshots, crossed_books, … }
///   books [ { symbol, state, best_bid, best_bid_qty, best_ask, best_ask_qty, last_update_id } ]
///   digests { books, signals, signal_count }            replay { verdict, differences [ … ] } (or null)
///   latency { &lt;stage&gt;: { count, min, mean, p50, p90, p99, p99_9, max } }   (ns)
/// </code>
/// </remarks>
public static class SessionReport
{
    /// <summary>The report's file name inside its directory.</summary>
    public const string FileName = "report.json";

    /// <summary>The folder of the <c>.hgrm</c> files inside the report directory.</summary>
    public const string LatencyFolder = "latency";

    /// <summary>The page's file name inside the report directory (self-contained HTML: no script, no external URL).</summary>
    public const string PageFileName = ReportPage.FileName;

    /// <summary>The page's Content-Security-Policy (a meta element): nothing may be fetched; only inline styles and data: images.</summary>
    public const string PageContentSecurityPolicy = ReportPage.ContentSecurityPolicy;

    /// <summary>The <c>format</c> value of a report.</summary>
    public const string Format = "optiflow-report";

    /// <summary>The report layout's version.</summary>
    public const int Version = 1;

    /// <summary>The percentiles of each stage in <c>report.json</c>, with their keys.</summary>
    public static IReadOnlyList<(string Key, double Percentile)> Percentiles { get; } =
        [("p50", 50), ("p90", 90), ("p99", 99), ("p99_9", 99.9)];

    /// <summary>Writes the report of a file session (and of its replay, when one was run).</summary>
    /// <param name="directory">The report directory (created when missing).</param>
    /// <param name="command">The verb that ran (<c>run</c>, <c>demo</c>).</param>
    /// <param name="result">The finished session.</param>
    /// <param name="replay">The replay of its journal, or null.</param>
    /// <param name="intervals">The stopped <see cref="LatencyIntervalRecorder"/> that wrote <c>latency.hlog</c> during the
    /// run, or null: then <c>latency.hlog</c> gets one interval per stage covering the whole run.</param>
    /// <returns>The path of <c>report.json</c>.</returns>
    /// <exception cref="IOException">The directory or a file cannot be written, or the recorder failed to write the log.</exception>
    public static string Write(string directory, string command, SessionResult result, ReplayResult? replay, LatencyIntervalRecorder? intervals = null)
    {
        ArgumentNullException.ThrowIfNull(result);
        var options = result.Options;
        var frames = result.Frames;
        return WriteAll(
            directory,
            command,
            result.Files,
            result.Core,
            result.Books,
            frames,
            result.IgnoredFrames,
            options,
            replay,
            ReportStage.Of(result),
            result.Elapsed,
            intervals,
            result.JournalDirectory,
            result.Symbols.NameOf,
            result.Trading,
            result.Live);
    }

    /// <summary>Writes the report of a replay (its <c>latency.hlog</c> has one interval per stage spanning the replay;
    /// its page plots the replayed journal's signals).</summary>
    /// <param name="directory">The report directory (created when missing).</param>
    /// <param name="replay">The finished replay.</param>
    /// <returns>The path of <c>report.json</c>.</returns>
    /// <exception cref="IOException">The directory or a file cannot be written.</exception>
    public static string Write(string directory, ReplayResult replay)
    {
        ArgumentNullException.ThrowIfNull(replay);
        var files = Directory.Exists(replay.Directory)
            ? Directory.GetFiles(replay.Directory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList()
            : [];
        return WriteAll(directory, "replay", files, replay.Core, replay.Books, replay.Events, 0, null, replay, ReportStage.Of(replay), replay.Elapsed, null, replay.Directory, replay.SymbolName);
    }

    private static string WriteAll(
        string directory,
        string command,
        IReadOnlyList<string> files,
        MarketCore core,
        IReadOnlyList<BookResult> books,
        long frames,
        long ignoredFrames,
        EngineOptions? options,
        ReplayResult? replay,
        IReadOnlyList<ReportStage> stages,
        TimeSpan elapsed,
        LatencyIntervalRecorder? recorder,
        string? journalDirectory,
        Func<int, string> nameOf,
        Trading.TradingResult? trading = null,
        LiveFeedResult? live = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        IReadOnlyList<LatencyInterval> intervals;
        if (recorder is null)
        {
            intervals = WriteWholeRunLog(Path.Combine(directory, LatencyIntervalRecorder.FileName), stages, elapsed);
        }
        else
        {
            recorder.Stop();
            recorder.ThrowIfFailed();
            intervals = recorder.Intervals;
        }

        ReportPage.Write(
            Path.Combine(directory, ReportPage.FileName),
            new ReportPageContent(command, elapsed, options, files, core, frames, books, stages, intervals, recorder is not null, journalDirectory, nameOf, replay, trading));
        var latencyDirectory = Path.Combine(directory, LatencyFolder);
        Directory.CreateDirectory(latencyDirectory);
        foreach (var stage in stages)
        {
            using var hgrm = new StreamWriter(Path.Combine(latencyDirectory, stage.Key + ".hgrm"));
            HdrHistogramExport.WritePercentileDistribution(stage.Histogram, hgrm);
        }

        var path = Path.Combine(directory, FileName);
        using (var stream = File.Create(path))
        using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            json.WriteStartObject();
            json.WriteString("format", Format);
            json.WriteNumber("version", Version);
            json.WriteString("command", command);
            json.WriteString("created_utc", DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            json.WriteNumber("elapsed_ms", Math.Round(elapsed.TotalMilliseconds, 3));
            WriteEnvironment(json, options);
            json.WriteStartArray("inputs");
            foreach (var file in files)
            {
                json.WriteStartObject();
                json.WriteString("path", Path.GetFullPath(file));
                json.WriteNumber("bytes", File.Exists(file) ? new FileInfo(file).Length : -1);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            if (live is null)
            {
                json.WriteNull("live");
            }
            else
            {
                // A live run's input: the venue's stream endpoints (its frames are not files).
                json.WriteStartObject("live");
                json.WriteStartArray("endpoints");
                foreach (var endpoint in live.Endpoints)
                {
                    json.WriteStringValue(endpoint.ToString());
                }

                json.WriteEndArray();
                json.WriteString("completion", SnakeCase(live.Completion.ToString()));
                json.WriteEndObject();
            }

            WriteCounts(json, core, frames, ignoredFrames);
            WriteBooks(json, books);
            json.WriteStartObject("digests");
            json.WriteString("books", core.BooksDigest().ToString("x8", CultureInfo.InvariantCulture));
            json.WriteString("signals", core.SignalDigest.ToString("x8", CultureInfo.InvariantCulture));
            json.WriteNumber("signal_count", core.SignalCount);
            json.WriteEndObject();
            if (trading is not null)
            {
                WriteTrading(json, trading);
            }
            if (core.FeedLatency.TotalCount > 0)
            {
                // The feed stage spans two clocks (the exchange's E, the receiving host's wall clock): the lowest raw
                // sample bounds their offset (negative: the receiving clock was behind).
                json.WriteStartObject("feed_clock");
                json.WriteNumber("lowest_raw_sample_ns", core.FeedLatencyMinimumNs);
                json.WriteNumber("negative_samples", core.FeedLatency.NegativeCount);
                json.WriteString("note", "E has ms resolution; exchange and receiving clocks are not synchronised");
                json.WriteEndObject();
            }

            WriteReplay(json, replay);
            json.WriteStartObject("latency");
            foreach (var stage in stages)
            {
                WriteStage(json, stage.Key, stage.Histogram);
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return path;
    }

    /// <summary><c>latency.hlog</c> without a recorder (a replay, or a host that did not sample): one interval per stage
    /// covering the whole run, ending now, written with the same package writer.</summary>
    private static List<LatencyInterval> WriteWholeRunLog(string path, IReadOnlyList<ReportStage> stages, TimeSpan elapsed)
    {
        var endMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var startMs = endMs - (long)elapsed.TotalMilliseconds;
        var intervals = new List<LatencyInterval>();
        using var log = new IntervalLogFile(path, startMs, "the whole run (not sampled per second)", stages.Select(s => s.Key));
        foreach (var stage in stages)
        {
            var histogram = HdrHistogramExport.ToLongHistogram(stage.Histogram);
            histogram.Tag = stage.Key;
            histogram.StartTimeStamp = startMs;
            histogram.EndTimeStamp = endMs;
            log.Append(histogram);
            var h = stage.Histogram;
            intervals.Add(new LatencyInterval(stage.Key, startMs, endMs, h.TotalCount, h.ValueAtPercentile(50), h.ValueAtPercentile(99), h.Max));
        }

        log.Flush();
        return intervals;
    }

    private static void WriteEnvironment(Utf8JsonWriter json, EngineOptions? options)
    {
        var (version, commit) = HostDescription.Build();
        json.WriteStartObject("engine");
        json.WriteString("version", version);
        json.WriteString("commit", commit);
        json.WriteEndObject();
        json.WriteStartObject("machine");
        json.WriteString("cpu_model", HostDescription.CpuModel());
        json.WriteString("kernel", HostDescription.Kernel());
        json.WriteNumber("logical_cpus", Environment.ProcessorCount);
        json.WriteString("process_cpus", HostDescription.ProcessCpus());
        json.WriteString("runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        json.WriteEndObject();
        json.WriteStartObject("threads");
        WriteCpu(json, "core_cpu", options?.CoreCpu);
        WriteCpu(json, "journal_cpu", options?.JournalCpu);
        WriteCpu(json, "outbound_cpu", options?.OutboundCpu);
        WriteOptional(json, "core_wait_strategy", options?.CoreWaitStrategy.ToString());
        WriteOptional(json, "journal_wait_strategy", options?.EffectiveJournalWaitStrategy.ToString());
        WriteOptional(json, "outbound_wait_strategy", options?.EffectiveOutboundWaitStrategy.ToString());
        WriteCpu(json, "gateway_cpu", options?.Trading?.GatewayCpu);
        WriteOptional(json, "gateway_wait_strategy", options?.Trading?.GatewayWaitStrategy.ToString());
        json.WriteEndObject();
        var gc = HostDescription.Gc();
        json.WriteStartObject("gc");
        json.WriteBoolean("server", gc.Server);
        json.WriteBoolean("concurrent", gc.Concurrent);
        json.WriteString("latency_mode", gc.LatencyMode);
        json.WriteStartObject("settings");
        foreach (var (key, value) in gc.Settings)
        {
            switch (value)
            {
                case bool b:
                    json.WriteBoolean(key, b);
                    break;
                case long or int or ulong or uint:
                    json.WriteNumber(key, Convert.ToDecimal(value, CultureInfo.InvariantCulture));
                    break;
                default:
                    json.WriteString(key, Convert.ToString(value, CultureInfo.InvariantCulture));
                    break;
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteCpu(Utf8JsonWriter json, string name, int? cpu)
    {
        if (cpu is { } c)
        {
            json.WriteNumber(name, c);
        }
        else
        {
            json.WriteNull(name);
        }
    }

    private static void WriteOptional(Utf8JsonWriter json, string name, string? value)
    {
        if (value is null)
        {
            json.WriteNull(name);
        }
        else
        {
            json.WriteString(name, SnakeCase(value));
        }
    }

    private static void WriteCounts(Utf8JsonWriter json, MarketCore core, long frames, long ignoredFrames)
    {
        json.WriteStartObject("counts");
        json.WriteNumber("frames", frames);
        json.WriteNumber("events", core.EventCount);
        json.WriteNumber("ignored_frames", ignoredFrames);
        json.WriteStartObject("events_by_kind");
        foreach (var kind in Enum.GetValues<MarketEventKind>())
        {
            if (kind != MarketEventKind.DecodeError)
            {
                json.WriteNumber(SnakeCase(kind.ToString()), core.EventsOfKind(kind));
            }
        }

        json.WriteEndObject();
        long depthMessages = 0, snapshots = 0, gaps = 0, resyncs = 0, crossed = 0, overflows = 0, bookTickers = 0, trades = 0;
        foreach (var state in core.Symbols)
        {
            depthMessages += state.DepthMessages;
            snapshots += state.Snapshots;
            gaps += state.Gaps;
            resyncs += state.SnapshotRequests;
            crossed += state.CrossedBooks;
            overflows += state.PendingOverflowMessages;
            bookTickers += state.BookTickers;
            trades += state.Trades;
        }

        // Frames (messages) by type, as the terminal report prints them: a depth message or snapshot is one frame of many level slots.
        json.WriteStartObject("frames_by_type");
        json.WriteNumber("book_ticker", core.EventsOfKind(MarketEventKind.BookTicker));
        json.WriteNumber("depth_update", depthMessages);
        json.WriteNumber("depth_snapshot", snapshots);
        json.WriteNumber("trade", core.EventsOfKind(MarketEventKind.Trade));
        json.WriteNumber("agg_trade", core.EventsOfKind(MarketEventKind.AggTrade));
        json.WriteNumber("mark_price", core.EventsOfKind(MarketEventKind.MarkPrice));
        json.WriteNumber("decode_error", core.DecodeErrors);
        json.WriteEndObject();
        json.WriteNumber("depth_updates", depthMessages);
        json.WriteNumber("book_tickers", bookTickers);
        json.WriteNumber("trades", trades);
        json.WriteNumber("snapshots", snapshots);
        json.WriteNumber("gaps", gaps);
        json.WriteNumber("resyncs", resyncs);
        json.WriteNumber("crossed_books", crossed);
        json.WriteNumber("buffer_overflows", overflows);
        json.WriteStartObject("decode_errors");
        json.WriteNumber("total", core.DecodeErrors);
        json.WriteStartObject("by_code");
        foreach (var code in Enum.GetValues<DecodeErrorCode>())
        {
            if (code != DecodeErrorCode.None && core.ErrorsOfCode(code) is var n and > 0)
            {
                json.WriteNumber(SnakeCase(code.ToString()), n);
            }
        }

        json.WriteEndObject();
        json.WriteEndObject();
        json.WriteEndObject();
    }

    private static void WriteBooks(Utf8JsonWriter json, IReadOnlyList<BookResult> books)
    {
        json.WriteStartArray("books");
        foreach (var book in books)
        {
            json.WriteStartObject();
            json.WriteString("symbol", book.Symbol);
            json.WriteString("state", SnakeCase(book.SyncState.ToString()));
            json.WriteString("best_bid", book.BestBid);
            json.WriteString("best_bid_qty", book.BestBidQuantity);
            json.WriteString("best_ask", book.BestAsk);
            json.WriteString("best_ask_qty", book.BestAskQuantity);
            json.WriteNumber("applied", book.Applied);
            json.WriteNumber("last_update_id", book.LastUpdateId);
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    private static void WriteReplay(Utf8JsonWriter json, ReplayResult? replay)
    {
        if (replay is null)
        {
            json.WriteNull("replay");
            return;
        }

        json.WriteStartObject("replay");
        json.WriteString("verdict", !replay.IsComplete ? "incomplete" : replay.Identical ? "identical" : "different");
        json.WriteStartArray("differences");
        if (replay.IsComplete)
        {
            foreach (var difference in replay.Differences())
            {
                json.WriteStringValue(difference);
            }
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    private static void WriteStage(Utf8JsonWriter json, string key, LatencyHistogram histogram)
    {
        json.WriteStartObject(key);
        json.WriteString("name", histogram.Name);
        json.WriteNumber("count", histogram.TotalCount);
        json.WriteNumber("min", histogram.Min);
        json.WriteNumber("mean", Math.Round(histogram.Mean, 1));
        foreach (var (name, percentile) in Percentiles)
        {
            json.WriteNumber(name, histogram.ValueAtPercentile(percentile));
        }

        json.WriteNumber("max", histogram.Max);

        // Samples below 0 (feed latency across unsynchronised clocks) are recorded as 0: say how many there were.
        json.WriteNumber("negative_samples", histogram.NegativeCount);
        json.WriteEndObject();
    }

    /// <summary>"BookTicker" → "book_ticker", "BusySpin" → "busy_spin".</summary>
    private static string SnakeCase(string name) => JsonNamingPolicy.SnakeCaseLower.ConvertName(name);

    /// <summary><c>trading</c>: the gateway's counts, rejections by reason, and per symbol position, cash, commission and PnL (10⁻⁸ units as integers).</summary>
    private static void WriteTrading(Utf8JsonWriter json, Trading.TradingResult t)
    {
        json.WriteStartObject("trading");
        json.WriteString("venue", t.Venue);
        json.WriteNumber("commands", t.Commands);
        json.WriteNumber("new_orders", t.NewOrders);
        json.WriteNumber("cancels", t.Cancels);
        json.WriteNumber("cancel_alls", t.CancelAlls);
        json.WriteNumber("risk_accepted", t.RiskAccepted);
        json.WriteNumber("sent", t.Sent);
        json.WriteNumber("not_sent", t.NotSent);
        json.WriteNumber("gateway_sent", t.GatewaySent);
        json.WriteNumber("late_commands", t.LateCommands);
        json.WriteNumber("acknowledged", t.Acknowledged);
        json.WriteNumber("partially_filled", t.PartiallyFilled);
        json.WriteNumber("filled", t.Filled);
        json.WriteNumber("canceled", t.Canceled);
        json.WriteNumber("expired", t.Expired);
        json.WriteNumber("rejected", t.Rejected);
        json.WriteNumber("fills", t.Fills);
        json.WriteNumber("reports_lost", t.ReportsLost);
        json.WriteBoolean("kill_switch_tripped", t.KillSwitchTripped);
        json.WriteNumber("open_orders_at_end", t.OpenOrdersAtEnd);
        json.WriteStartObject("risk_rejections");
        foreach (var (reason, count) in t.RiskRejections.OrderBy(kv => kv.Key))
        {
            json.WriteNumber(reason.ToString(), count);
        }

        json.WriteEndObject();
        json.WriteStartObject("rejected_or_expired_by_reason");
        foreach (var (reason, count) in t.RejectedByReason.OrderBy(kv => kv.Key))
        {
            json.WriteNumber(reason.ToString(), count);
        }

        json.WriteEndObject();
        json.WriteStartArray("symbols");
        foreach (var s in t.Symbols)
        {
            json.WriteStartObject();
            json.WriteString("symbol", s.Symbol);
            json.WriteNumber("orders", s.Orders);
            json.WriteNumber("fills", s.Fills);
            json.WriteNumber("bought_e8", s.BoughtQuantity);
            json.WriteNumber("sold_e8", s.SoldQuantity);
            json.WriteNumber("position_e8", s.Position);
            json.WriteNumber("cash_e8", s.Cash);
            json.WriteNumber("commission_e8", s.Commission);
            json.WriteNumber("mark_price_e8", s.MarkPrice);
            json.WriteNumber("pnl_e8", s.Pnl);
            json.WriteNumber("open_orders", s.OpenOrders);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }
}
