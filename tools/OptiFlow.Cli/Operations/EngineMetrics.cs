using OptiFlow.Engine.Hosting.Monitoring;
using Prometheus;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// The engine's Prometheus metrics (prometheus-net): a registry of its own whose values are read, on each scrape, from
/// the followed session's or replay's snapshot (<see cref="SessionProgress"/>); the engine's threads never push anything.
/// </summary>
/// <remarks>
/// <para>Metrics (counters end in <c>_total</c>; seconds are the base unit):</para>
/// <list type="bullet">
/// <item><c>optiflow_frames_read_total</c>: frames the source read (a recording) or received (live).</item>
/// <item><c>optiflow_frames_total{type}</c>: frames the core handled by type (<c>bookTicker</c>, <c>depthUpdate</c>,
/// <c>depthSnapshot</c>, <c>trade</c>, <c>aggTrade</c>, <c>markPriceUpdate</c>, <c>executionReport</c>), and
/// <c>notDecoded</c> (streams not decoded).</item>
/// <item><c>optiflow_decode_errors_total{code}</c>, <c>optiflow_events_total</c> (core events, level slots one each),
/// <c>optiflow_gaps_total{symbol}</c>, <c>optiflow_resyncs_total{symbol}</c> (snapshots the core asked for).</item>
/// <item><c>optiflow_ring_backlog</c> (gauge: published − handled by the core), <c>optiflow_book_state{symbol,state}</c>
/// (1 for the book's state among synced, resyncing, stale; 0 for the others).</item>
/// <item><c>optiflow_latency_seconds{stage,quantile}</c> (gauges: 0.5, 0.99, 0.999 of each stage so far) and
/// <c>optiflow_latency_samples_total{stage}</c>.</item>
/// <item>Trading: <c>optiflow_orders_total{outcome}</c>, <c>optiflow_fills_total</c>, <c>optiflow_open_orders</c>.</item>
/// <item>Progress: <c>optiflow_input_bytes_read</c>, <c>optiflow_input_bytes</c>, <c>optiflow_elapsed_seconds</c>.</item>
/// </list>
/// <para>Thread-safe: scrapes run on the endpoint's threads; <see cref="Follow"/> may be called from any thread.
/// Counters only move up (<c>IncTo</c>), so a source followed from its start reads exactly its counts.</para>
/// </remarks>
internal sealed class EngineMetrics
{
    private static readonly string[] Quantiles = ["0.5", "0.99", "0.999"];
    private static readonly string[] BookStates = ["synced", "resyncing", "stale"];
    private readonly Counter _framesRead;
    private readonly Counter _frames;
    private readonly Counter _decodeErrors;
    private readonly Counter _events;
    private readonly Counter _gaps;
    private readonly Counter _resyncs;
    private readonly Gauge _backlog;
    private readonly Gauge _bookState;
    private readonly Gauge _latency;
    private readonly Counter _latencySamples;
    private readonly Counter _orders;
    private readonly Counter _fills;
    private readonly Gauge _openOrders;
    private readonly Gauge _inputRead;
    private readonly Gauge _inputTotal;
    private readonly Gauge _elapsed;
    private Func<SessionProgress>? _source;

    /// <summary>Creates the registry and its metrics; nothing is read until a scrape.</summary>
    public EngineMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var factory = Metrics.WithCustomRegistry(Registry);
        _framesRead = factory.CreateCounter("optiflow_frames_read_total", "Frames the source read (a recording) or received (live).");
        _frames = factory.CreateCounter("optiflow_frames_total", "Frames the core handled, by type; notDecoded: frames of streams not decoded.", ["type"]);
        _decodeErrors = factory.CreateCounter("optiflow_decode_errors_total", "Frames that failed to decode, by error code.", ["code"]);
        _events = factory.CreateCounter("optiflow_events_total", "Inbound events the core handled (level slots count one each).");
        _gaps = factory.CreateCounter("optiflow_gaps_total", "Depth sequence breaks the core detected, by symbol.", ["symbol"]);
        _resyncs = factory.CreateCounter("optiflow_resyncs_total", "Snapshots the core asked for (one per transition out of sync), by symbol.", ["symbol"]);
        _backlog = factory.CreateGauge("optiflow_ring_backlog", "Inbound ring backlog: events published and not yet handled by the core.");
        _bookState = factory.CreateGauge("optiflow_book_state", "1 for the book's state (synced, resyncing, stale), 0 for the others.", ["symbol", "state"]);
        _latency = factory.CreateGauge("optiflow_latency_seconds", "Latency quantiles per stage since the start, seconds.", ["stage", "quantile"]);
        _latencySamples = factory.CreateCounter("optiflow_latency_samples_total", "Latency samples recorded per stage.", ["stage"]);
        _orders = factory.CreateCounter("optiflow_orders_total", "Order gateway: commands and their outcomes.", ["outcome"]);
        _fills = factory.CreateCounter("optiflow_fills_total", "Fills reported by the venue.");
        _openOrders = factory.CreateGauge("optiflow_open_orders", "Orders open now, all symbols.");
        _inputRead = factory.CreateGauge("optiflow_input_bytes_read", "A recording: bytes of input read so far (approximate within a file).");
        _inputTotal = factory.CreateGauge("optiflow_input_bytes", "A recording: its uncompressed size in bytes.");
        _elapsed = factory.CreateGauge("optiflow_elapsed_seconds", "Time since the session or replay started.");
        Registry.AddBeforeCollectCallback(Refresh);
    }

    /// <summary>The registry the endpoint serves.</summary>
    public CollectorRegistry Registry { get; }

    /// <summary>Reads every later scrape from <paramref name="source"/> (a session's or a replay's snapshot).</summary>
    /// <param name="source">Takes a snapshot; called on the scraping thread.</param>
    public void Follow(Func<SessionProgress> source) => Volatile.Write(ref _source, source);

    private static void Set(ICounter counter, long value) => counter.IncTo(value);

    private void Refresh()
    {
        if (Volatile.Read(ref _source) is not { } source)
        {
            return;
        }

        var p = source();
        Set(_framesRead, p.Frames);
        Set(_frames.WithLabels("bookTicker"), p.BookTickers);
        Set(_frames.WithLabels("depthUpdate"), p.DepthUpdates);
        Set(_frames.WithLabels("depthSnapshot"), p.Snapshots);
        Set(_frames.WithLabels("trade"), p.Trades);
        Set(_frames.WithLabels("aggTrade"), p.AggTrades);
        Set(_frames.WithLabels("markPriceUpdate"), p.MarkPrices);
        Set(_frames.WithLabels("executionReport"), p.ExecutionReports);
        Set(_frames.WithLabels("notDecoded"), p.IgnoredFrames);
        foreach (var (code, count) in p.DecodeErrorsByCode)
        {
            Set(_decodeErrors.WithLabels(code.ToString()), count);
        }

        Set(_events, p.Events);
        _backlog.Set(p.RingBacklog);
        foreach (var book in p.Books)
        {
            Set(_gaps.WithLabels(book.Symbol), book.Gaps);
            Set(_resyncs.WithLabels(book.Symbol), book.Resyncs);
            var state = (int)book.Health;
            for (var s = 0; s < BookStates.Length; s++)
            {
                _bookState.WithLabels(book.Symbol, BookStates[s]).Set(s == state ? 1 : 0);
            }
        }

        foreach (var stage in p.Latency)
        {
            Set(_latencySamples.WithLabels(stage.Key), stage.Count);
            _latency.WithLabels(stage.Key, Quantiles[0]).Set(stage.P50Ns / 1e9);
            _latency.WithLabels(stage.Key, Quantiles[1]).Set(stage.P99Ns / 1e9);
            _latency.WithLabels(stage.Key, Quantiles[2]).Set(stage.P999Ns / 1e9);
        }

        if (p.Trading is { } t)
        {
            Set(_orders.WithLabels("command"), t.Commands);
            Set(_orders.WithLabels("new"), t.NewOrders);
            Set(_orders.WithLabels("cancel"), t.Cancels);
            Set(_orders.WithLabels("sent"), t.Sent);
            Set(_orders.WithLabels("risk_rejected"), t.RiskRejected);
            Set(_orders.WithLabels("acknowledged"), t.Acknowledged);
            Set(_orders.WithLabels("filled"), t.Filled);
            Set(_orders.WithLabels("partially_filled"), t.PartiallyFilled);
            Set(_orders.WithLabels("canceled"), t.Canceled);
            Set(_orders.WithLabels("rejected"), t.Rejected);
            Set(_fills, t.Fills);
            _openOrders.Set(t.OpenOrders);
        }

        _inputRead.Set(p.InputBytesRead);
        _inputTotal.Set(p.InputBytesTotal);
        _elapsed.Set(p.Elapsed.TotalSeconds);
    }
}
