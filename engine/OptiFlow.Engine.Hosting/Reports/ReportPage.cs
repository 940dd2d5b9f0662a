using System.Globalization;
using System.Text;
using HdrHistogram;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// Writes <c>report.html</c>: one self-contained page (no script, no external URL; styles and SVG inline; a
/// Content-Security-Policy that forbids every fetch) with the run's metadata, counts, final books, latency table,
/// each stage's percentile distribution on HdrHistogram's percentile axis, latency over time from the intervals, and
/// mid, spread and OBI over time per symbol from the journal's outbound signals.
/// </summary>
/// <remarks>Cold path, after the run: allocates the page (a few hundred KiB for a few symbols and stages).</remarks>
internal static class ReportPage
{
    /// <summary>The page's file name inside the report directory.</summary>
    public const string FileName = "report.html";

    /// <summary>The page's Content-Security-Policy: nothing may be fetched; only inline styles and data: images.</summary>
    public const string ContentSecurityPolicy = "default-src 'none'; style-src 'unsafe-inline'; img-src data:";

    private const string Style = """
        body { font-family: sans-serif; margin: 16px; color: #222; background: #fafafa; }
        h1 { font-size: 22px; } h2 { font-size: 18px; margin-top: 28px; } h3 { font-size: 15px; }
        table { border-collapse: collapse; font-size: 13px; margin: 6px 0; } td, th { border: 1px solid #ccc; padding: 3px 8px; text-align: right; }
        td:first-child, th:first-child { text-align: left; } th { background: #eee; }
        svg.chart { display: block; margin: 8px 0; border: 1px solid #ddd; }
        svg .title { font-size: 15px; font-weight: bold; } svg .tick, svg .legend { font-size: 12px; } svg .axis { font-size: 13px; }
        svg .heading { font-size: 13px; font-weight: bold; } svg .grid { stroke: #e4e4e4; } svg .frame { fill: none; stroke: #888; }
        svg .series { fill: none; stroke-width: 1.6; } svg .bar { fill: #1f77b4; }
        p.note { color: #a04000; } p.empty { color: #777; }
        """;

    /// <summary>Percentile axis ticks: x = log10(1/(1−p)).</summary>
    private static readonly (double X, string Label)[] PercentileTicks =
    [
        (0, "0%"), (Math.Log10(2), "50%"), (1, "90%"), (2, "99%"), (3, "99.9%"), (4, "99.99%"), (5, "99.999%"), (6, "99.9999%"), (7, "99.99999%"),
    ];

    /// <summary>Writes the page.</summary>
    /// <param name="path">The file (replaced).</param>
    /// <param name="content">What the run measured.</param>
    /// <exception cref="IOException">The file cannot be written.</exception>
    public static void Write(string path, ReportPageContent content)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">");
        html.Append(CultureInfo.InvariantCulture, $"<meta http-equiv=\"Content-Security-Policy\" content=\"{ContentSecurityPolicy}\">");
        html.Append(CultureInfo.InvariantCulture, $"<title>OptiFlow report: {Html(content.Command)}</title><style>{Style}</style></head><body>\n");
        html.Append(CultureInfo.InvariantCulture, $"<h1>OptiFlow report: {Html(content.Command)}</h1>\n");
        Metadata(html, content);
        html.Append("<h2 id=\"counts-section\">Counts</h2>\n").Append(Counts(content.Core, content.Frames, content.Trading)).Append('\n');
        Books(html, content.Books);
        html.Append("<h2 id=\"latency-section\">Latency</h2>\n");
        LatencyTable(html, content.Stages);
        html.Append(Percentiles(content.Stages)).Append('\n');
        html.Append("<h2 id=\"latency-over-time-section\">Latency over time</h2>\n");
        LatencyOverTime(html, content);
        html.Append("<h2 id=\"signals-section\">Mid, spread and order-book imbalance</h2>\n");
        Signals(html, content);
        html.Append("</body></html>\n");
        File.WriteAllText(path, html.ToString(), new UTF8Encoding(false));
    }

    private static void Metadata(StringBuilder html, ReportPageContent content)
    {
        var (version, commit) = HostDescription.Build();
        var gc = HostDescription.Gc();
        html.Append("<table id=\"metadata\">");
        Row(html, "created (UTC)", DateTime.UtcNow.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture));
        Row(html, "elapsed", string.Create(CultureInfo.InvariantCulture, $"{content.Elapsed.TotalSeconds:0.###} s"));
        Row(html, "engine", $"{version} ({commit})");
        Row(html, "machine", $"{HostDescription.CpuModel()}, {Environment.ProcessorCount} logical CPUs, process CPUs {HostDescription.ProcessCpus()}");
        Row(html, "kernel", HostDescription.Kernel());
        Row(html, "runtime", System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
        Row(html, "GC", $"{(gc.Server ? "server" : "workstation")}, {(gc.Concurrent ? "concurrent" : "non-concurrent")}, {gc.LatencyMode}");
        if (content.Options is { } o)
        {
            Row(html, "threads", $"core CPU {Cpu(o.CoreCpu)} ({o.CoreWaitStrategy}), journal CPU {Cpu(o.JournalCpu)} ({o.EffectiveJournalWaitStrategy}), outbound CPU {Cpu(o.OutboundCpu)} ({o.EffectiveOutboundWaitStrategy})");
        }

        foreach (var file in content.Files)
        {
            Row(html, "input", $"{Path.GetFullPath(file)} ({(File.Exists(file) ? new FileInfo(file).Length : -1):N0} bytes)");
        }

        if (content.Replay is { } replay)
        {
            Row(html, "replay", !replay.IsComplete ? "incomplete" : replay.Identical ? "identical" : "different");
        }

        html.Append("</table>\n");
    }

    private static string Cpu(int? cpu) => cpu?.ToString(CultureInfo.InvariantCulture) ?? "any";

    private static string Counts(MarketCore core, long frames, Trading.TradingResult? trading)
    {
        var chart = new SvgBarChart { Id = "counts", Title = "Counts: frames by type, events by kind, errors by code, book sync" };
        long gaps = 0, resyncs = 0, snapshots = 0, crossed = 0, overflows = 0, depthMessages = 0;
        foreach (var state in core.Symbols)
        {
            gaps += state.Gaps;
            resyncs += state.SnapshotRequests;
            snapshots += state.Snapshots;
            crossed += state.CrossedBooks;
            overflows += state.PendingOverflowMessages;
            depthMessages += state.DepthMessages;
        }

        chart.Groups.Add(("frames by type", [
            ("all frames", frames), ("bookTicker", core.EventsOfKind(MarketEventKind.BookTicker)), ("depthUpdate", depthMessages),
            ("depth snapshot", snapshots), ("trade", core.EventsOfKind(MarketEventKind.Trade)), ("aggTrade", core.EventsOfKind(MarketEventKind.AggTrade)),
            ("markPrice", core.EventsOfKind(MarketEventKind.MarkPrice))]));
        chart.Groups.Add(("ring events by kind (a depth message is one event per level)", [("all events", core.EventCount), .. Enum.GetValues<MarketEventKind>()
            .Where(k => k is not MarketEventKind.None and not MarketEventKind.DecodeError)
            .Select(k => (k.ToString(), core.EventsOfKind(k)))]));
        var errors = Enum.GetValues<DecodeErrorCode>().Where(c => c != DecodeErrorCode.None && core.ErrorsOfCode(c) > 0).Select(c => (c.ToString(), core.ErrorsOfCode(c))).ToList();
        chart.Groups.Add(("decode errors by code", [("total", core.DecodeErrors), .. errors]));

        chart.Groups.Add(("book sync", [("gaps", gaps), ("resyncs", resyncs), ("snapshots", snapshots), ("crossed books", crossed), ("buffer overflows", overflows)]));
        if (trading is not null)
        {
            chart.Groups.Add(("trading", [("commands", trading.Commands), ("sent", trading.Sent), ("acknowledged", trading.Acknowledged), ("filled", trading.Filled), ("canceled", trading.Canceled), ("rejected", trading.Rejected), ("fills", trading.Fills)]));
        }

        return chart.Render();
    }

    private static void Books(StringBuilder html, IReadOnlyList<BookResult> books)
    {
        html.Append("<h2 id=\"books-section\">Final top of book</h2>\n<table id=\"books\"><tr><th>symbol</th><th>state</th><th>best bid</th><th>bid qty</th><th>best ask</th><th>ask qty</th><th>last update id</th></tr>");
        foreach (var b in books)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html(b.Symbol)}</td><td>{b.SyncState}</td><td>{Html(b.BestBid)}</td><td>{Html(b.BestBidQuantity)}</td><td>{Html(b.BestAsk)}</td><td>{Html(b.BestAskQuantity)}</td><td>{b.LastUpdateId}</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static void LatencyTable(StringBuilder html, IReadOnlyList<ReportStage> stages)
    {
        html.Append("<table id=\"latency\"><tr><th>stage</th><th>count</th><th>min</th><th>mean</th><th>p50</th><th>p90</th><th>p99</th><th>p99.9</th><th>max</th></tr>");
        foreach (var stage in stages)
        {
            var h = stage.Histogram;
            html.Append(CultureInfo.InvariantCulture, $"<tr><td>{Html(stage.Key)}</td><td>{h.TotalCount:N0}</td><td>{Ns(h.Min)}</td><td>{Ns(h.Mean)}</td>");
            foreach (var (_, percentile) in SessionReport.Percentiles)
            {
                html.Append(CultureInfo.InvariantCulture, $"<td>{Ns(h.ValueAtPercentile(percentile))}</td>");
            }

            html.Append(CultureInfo.InvariantCulture, $"<td>{Ns(h.Max)}</td></tr>");
        }

        html.Append("</table>\n");
    }

    private static string Percentiles(IReadOnlyList<ReportStage> stages)
    {
        var chart = new SvgLineChart
        {
            Id = "percentiles",
            Title = "Latency by percentile, per stage",
            XLabel = "percentile (log scale of 1/(1-p))",
            YLabel = "latency",
            LogY = true,
            XTicks = PercentileTicks,
            YTickLabel = SvgLineChart.Nanoseconds,
        };
        foreach (var stage in stages.Where(s => s.Histogram.TotalCount > 0))
        {
            // HdrHistogram's own percentile iteration (as the .hgrm), the last point (100%) left out: it has no place on this axis.
            var points = HdrHistogramExport.ToLongHistogram(stage.Histogram).Percentiles(5)
                .Where(v => v.PercentileLevelIteratedTo < 100)
                .Select(v => (Math.Log10(100 / (100 - v.PercentileLevelIteratedTo)), (double)Math.Max(1, v.ValueIteratedTo)))
                .ToList();
            chart.Series.Add((stage.Key, points));
        }

        return chart.Render();
    }

    private static void LatencyOverTime(StringBuilder html, ReportPageContent content)
    {
        if (content.Intervals.Count == 0)
        {
            html.Append("<p class=\"note\">No intervals: this run was not sampled over time.</p>\n");
            return;
        }

        var origin = content.Intervals.Min(i => i.StartMsSinceEpoch);
        var sampling = content.IntervalsPerSecond ? "one interval per stage per second of wall clock" : "one interval per stage spanning the whole run (not sampled per second)";
        html.Append(CultureInfo.InvariantCulture, $"<p id=\"intervals\">From latency.hlog: {sampling}, from {DateTimeOffset.FromUnixTimeMilliseconds(origin).UtcDateTime:yyyy-MM-dd HH:mm:ss} UTC ({content.Intervals.Count / Math.Max(1, content.Stages.Count)} intervals).</p>\n");
        foreach (var stage in content.Stages.Where(s => s.Histogram.TotalCount > 0))
        {
            var intervals = content.Intervals.Where(i => i.Key == stage.Key && i.Count > 0).ToList();
            var chart = new SvgLineChart
            {
                Id = "over-time-" + stage.Key,
                Title = $"{stage.Key}: p50, p99 and max per interval",
                XLabel = "seconds from the start of the run (interval end)",
                YLabel = "latency",
                LogY = true,
                XFromZero = true,
                YTickLabel = SvgLineChart.Nanoseconds,
            };
            chart.Series.Add(("p50", [.. intervals.Select(i => (At(i), (double)Math.Max(1, i.P50Ns)))]));
            chart.Series.Add(("p99", [.. intervals.Select(i => (At(i), (double)Math.Max(1, i.P99Ns)))]));
            chart.Series.Add(("max", [.. intervals.Select(i => (At(i), (double)Math.Max(1, i.MaxNs)))]));
            html.Append(chart.Render()).Append('\n');
        }

        double At(LatencyInterval i) => (i.EndMsSinceEpoch - origin) / 1000.0;
    }

    private static void Signals(StringBuilder html, ReportPageContent content)
    {
        if (content.JournalDirectory is not { } journal || !Directory.Exists(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName)))
        {
            html.Append("<p class=\"note\" id=\"no-journal\">This run has no journal, so there are no signals to plot: mid, spread and OBI are read after the run from the session's outbound signals in its journal (run with --journal DIR).</p>\n");
            return;
        }

        SignalSeries series;
        try
        {
            series = SignalSeries.Read(journal, content.NameOf);
        }
        catch (Exception e) when (e is IOException or JournalFormatException or JournalCorruptException)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"note\" id=\"no-journal\">The journal's outbound signals cannot be read: {Html(e.Message)}</p>\n");
            return;
        }

        if (series.Symbols.Count == 0)
        {
            html.Append("<p class=\"note\" id=\"no-signals\">The journal holds no signals (a run with no applied depth message).</p>\n");
            return;
        }

        html.Append(CultureInfo.InvariantCulture, $"<p>From the journal's outbound signals ({series.Signals:N0}), downsampled to the lowest and highest sample of each series in at most {SignalSeries.MaxBuckets:N0} time buckets per symbol; time is the exchange's event time E.</p>\n");
        foreach (var symbol in series.Symbols)
        {
            var start = DateTimeOffset.FromUnixTimeMilliseconds(symbol.FirstEventTimeMs).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture);
            html.Append(CultureInfo.InvariantCulture, $"<h3>{Html(symbol.Name)}: {symbol.Count:N0} signals from {start} UTC</h3>\n");
            var xLabel = $"seconds of event time from {start} UTC";
            var mid = new SvgLineChart { Id = $"signals-{symbol.Name}-mid", Title = $"{symbol.Name} mid price", XLabel = xLabel, YLabel = "mid" };
            mid.Series.Add(("mid", symbol.Series[0]));
            var spread = new SvgLineChart { Id = $"signals-{symbol.Name}-spread", Title = $"{symbol.Name} spread (best ask - best bid)", XLabel = xLabel, YLabel = "spread" };
            spread.Series.Add(("spread", symbol.Series[1]));
            var obi = new SvgLineChart { Id = $"signals-{symbol.Name}-obi", Title = $"{symbol.Name} order-book imbalance (1, 5 and 10 levels)", XLabel = xLabel, YLabel = "OBI" };
            obi.Series.Add(("obi1", symbol.Series[2]));
            obi.Series.Add(("obi5", symbol.Series[3]));
            obi.Series.Add(("obi10", symbol.Series[4]));
            html.Append(mid.Render()).Append('\n').Append(spread.Render()).Append('\n').Append(obi.Render()).Append('\n');
        }
    }

    private static void Row(StringBuilder html, string name, string value) =>
        html.Append(CultureInfo.InvariantCulture, $"<tr><th>{Html(name)}</th><td>{Html(value)}</td></tr>");

    private static string Ns(double ns) => SvgLineChart.Nanoseconds(ns);

    private static string Html(string text) => SvgLineChart.Html(text);
}
