using System.Globalization;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Cli.Output;

/// <summary>Prints what a run and a replay measured, for a person reading a terminal.</summary>
internal static class RunReport
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public static void Print(SessionResult result, TextWriter output)
    {
        var core = result.Core;
        var options = result.Options;
        output.WriteLine($"input ({result.Market.ToString().ToLowerInvariant()}):");
        for (var i = 0; i < result.Files.Count; i++)
        {
            output.WriteLine($"  [{i}] {result.Files[i]}");
        }

        output.WriteLine();
        output.WriteLine("messages by type:");
        long depthMessages = 0;
        long snapshots = 0;
        foreach (var state in core.Symbols)
        {
            depthMessages += state.DepthMessages;
            snapshots += state.Snapshots;
        }

        output.WriteLine(Row("frames read", result.Frames));
        output.WriteLine(Row("bookTicker", core.EventsOfKind(MarketEventKind.BookTicker)));
        output.WriteLine(Row("depthUpdate", depthMessages, $"{core.EventsOfKind(MarketEventKind.DepthLevel):N0} level slots"));
        output.WriteLine(Row("depth snapshot", snapshots, $"{core.EventsOfKind(MarketEventKind.SnapshotLevel):N0} level slots"));
        output.WriteLine(Row("trade", core.EventsOfKind(MarketEventKind.Trade)));
        output.WriteLine(Row("aggTrade", core.EventsOfKind(MarketEventKind.AggTrade)));
        output.WriteLine(Row("markPriceUpdate", core.EventsOfKind(MarketEventKind.MarkPrice)));
        output.WriteLine(Row("other streams (not decoded)", result.IgnoredFrames));
        output.WriteLine(Row("unknown fields skipped", result.UnknownFieldsSkipped));
        output.WriteLine(Row("decode errors", core.DecodeErrors));
        foreach (var error in core.RecordedErrors)
        {
            var file = error.FileIndex < result.Files.Count ? result.Files[error.FileIndex] : $"file #{error.FileIndex}";
            output.WriteLine($"    {file}:{error.Line}: {error.Code} at byte {error.Offset}");
        }

        if (core.DecodeErrors > core.RecordedErrors.Length)
        {
            output.WriteLine($"    … and {core.DecodeErrors - core.RecordedErrors.Length:N0} more");
        }

        foreach (var damage in result.DamagedInputs)
        {
            output.WriteLine($"optiflow: {damage.Message}");
        }

        output.WriteLine();
        PrintBooks(result.Core, id => result.Symbols.NameOf(id), output);
        output.WriteLine();
        if (PrintEvaluators(result, output))
        {
            output.WriteLine();
        }

        PrintLatency(output, result.PublishLatency, core.PickupLatency, core.ReceiveToCoreLatency, core.HandlingLatency, core.FeedLatency);
        PrintFeedClock(core, output);
        output.WriteLine("  (file input runs the producer flat out and fills the ring, so 'published -> core picked up' is mostly");
        output.WriteLine("   queueing behind a full ring, not hand-off latency; see tuning.md)");
        if (core.LatencySampleInterval > 1)
        {
            output.WriteLine(string.Create(Invariant, $"  (the core stamped 1 event in {core.LatencySampleInterval:N0}: the pick-up, received -> core and handling counts are of those; --latency-sample 1 stamps every event)"));
        }

        if (result.Trading is { } trading)
        {
            PrintTrading(trading, output);
            PrintLedger(result, output);
        }

        output.WriteLine();
        output.WriteLine("steady-state allocation (bytes, after the first "
            + $"{options.SteadyStateAfter:N0} frames/events): producer {Bytes(result.ProducerSteadyStateBytes)}, core {Bytes(core.SteadyStateAllocatedBytes)}, journal {Bytes(result.JournalSteadyStateBytes)}; "
            + $"GCs meanwhile: {result.CollectionsInProducerWindow}");
        if (result.CoreFaults > 0 || result.JournalFaults > 0 || result.OutboundFaults > 0)
        {
            output.WriteLine($"handler exceptions: core {result.CoreFaults}, journal {result.JournalFaults}, outbound {result.OutboundFaults}");
        }

        var journalWait = options.EffectiveJournalWaitStrategy == options.CoreWaitStrategy ? "" : $", journal wait strategy {options.EffectiveJournalWaitStrategy}";
        output.WriteLine($"ring: {options.RingSize:N0} slots, {result.PublishedSlots:N0} published, wait strategy {options.CoreWaitStrategy}{journalWait}, core CPU {(options.CoreCpu is { } cpu ? cpu.ToString(Invariant) : "not pinned")}");
        if (options.JournalDirectory is { } directory)
        {
            output.WriteLine($"journal: {directory} ({result.JournalRecords:N0} records, {result.JournalBytes:N0} bytes; written on {(result.JournalOnCoreThread ? "the core's thread after each batch" : "thread optiflow-journal")})");
        }
        else
        {
            output.WriteLine("journal: none");
        }

        output.WriteLine($"elapsed: {result.Elapsed.TotalMilliseconds:N0} ms");
    }

    /// <summary>What a live run measured: the feed's counters, each book, the latencies, the receive threads' allocation.</summary>
    public static void PrintLive(TextWriter output, MarketDataClient client, SessionResult result)
    {
        var core = result.Core;
        var live = result.Live;
        output.WriteLine($"ended: {client.Completion} after {result.Elapsed.TotalSeconds:0.0} s");
        output.WriteLine($"frames {client.Frames:N0}, decode errors {client.DecodeErrors}, not decoded {client.IgnoredFrames}, connects {client.Connects}, drops {client.Drops}, stalls {client.Stalls}, closes {client.Closes}, serverShutdown {client.ServerShutdowns}, renewals before 24 h {client.Renewals}");
        output.WriteLine($"failed connection attempts {client.FailedConnectAttempts}, messages too big {client.OversizedMessages}, protocol errors {client.ProtocolErrors}");
        if (live?.Failure is { } failure)
        {
            output.WriteLine($"feed failed: {failure.Endpoint}: {failure.Attempt} attempts in a row failed; last error ({failure.Kind}): {failure.Cause}");
        }
        else if (live?.LastFailure is { } last)
        {
            output.WriteLine($"last connection failure ({last.AtUtc:HH:mm:ss.fff} UTC): {last.Endpoint}: {last.Cause}");
        }

        output.WriteLine($"snapshot weight used (X-MBX-USED-WEIGHT-1M) {client.Snapshots.UsedWeight1M}, 429s {client.Snapshots.TooManyRequests}, 418s {client.Snapshots.Bans}, resyncs the core asked for {client.CoreResyncRequests}");
        foreach (var counters in client.Counters)
        {
            output.WriteLine("  " + MarketDataClient.Describe(counters));
        }

        // A book is reported live only when the core synced it AND its feed was up (or ended by the venue) at the end.
        foreach (var book in live?.Books ?? [])
        {
            var state = core.StateOf(book.SymbolId);
            var why = book.IsLive ? "" : book.IsStale ? $" (core: {book.SyncState}; {book.Reason})" : $" ({book.Reason})";
            output.WriteLine($"  {book.Symbol} book: {book.State}{why}, applied {state?.Applied ?? 0:N0}, core gaps {state?.Gaps ?? 0}, u {state?.LastAppliedUpdateId ?? 0}");
        }

        PrintLatency(output, result.PublishLatency, core.PickupLatency, core.ReceiveToCoreLatency, core.HandlingLatency, core.FeedLatency);
        output.WriteLine("  ('frame received -> published' is the receive thread's decode into claimed slots plus the publish)");
        PrintFeedClock(core, output);
        output.WriteLine($"receive thread steady-state allocation: {client.ReceiveSteadyStateAllocatedBytes} bytes over {client.ReceiveSteadyStateFrames:N0} frames ({client.ReceiveSteadyStateCollections} GCs in the window)");
        if (result.Trading is { } trading)
        {
            PrintEvaluators(result, output);
            PrintTrading(trading, output);
            PrintLedger(result, output);
        }

        var options = result.Options;
        output.WriteLine($"wait strategies: core {options.CoreWaitStrategy}, journal {options.EffectiveJournalWaitStrategy}, outbound {options.EffectiveOutboundWaitStrategy}; core CPU {(options.CoreCpu is { } cpu ? cpu.ToString(Invariant) : "not pinned")}");
    }

    private static void PrintFeedClock(Engine.Core.MarketCore core, TextWriter output)
    {
        if (core.FeedLatency.TotalCount > 0)
        {
            output.WriteLine(string.Create(
                Invariant,
                $"  (feed: E has ms resolution and the clocks are not synchronised; lowest raw sample {core.FeedLatencyMinimumNs:N0} ns, {core.FeedLatency.NegativeCount:N0} negative samples counted as 0)"));
        }
    }

    public static void PrintBooks(Engine.Core.MarketCore core, Func<int, string> nameOf, TextWriter output)
    {
        output.WriteLine("books:");
        foreach (var state in core.Symbols)
        {
            if (state.DepthMessages == 0 && state.Snapshots == 0)
            {
                output.WriteLine($"  {nameOf(state.SymbolId),-12} no depth data ({state.BookTickers:N0} bookTicker, {state.Trades:N0} trades)");
                continue;
            }

            var book = state.Book;
            var bid = book.Bids.Count > 0 ? $"{FixedPoint.ToString(book.Bids.PriceAt(0))} x {FixedPoint.ToString(book.Bids.QuantityAt(0))}" : "-";
            var ask = book.Asks.Count > 0 ? $"{FixedPoint.ToString(book.Asks.PriceAt(0))} x {FixedPoint.ToString(book.Asks.QuantityAt(0))}" : "-";
            output.WriteLine($"  {nameOf(state.SymbolId),-12} {state.SyncState}: applied {state.Applied:N0} of {state.DepthMessages:N0} diffs, snapshots {state.Snapshots}, "
                + $"dropped before snapshot {state.DroppedBeforeSnapshot}, gaps {state.Gaps}, crossed books {state.CrossedBooks}, buffer overflows {state.PendingOverflowMessages}"
                + (state.DuplicateDiffs > 0 ? $", duplicate diffs dropped {state.DuplicateDiffs:N0} (not a loss)" : string.Empty));
            output.WriteLine($"  {string.Empty,-12} best bid {bid} | best ask {ask} | levels {book.Bids.Count}/{book.Asks.Count} | u {state.LastAppliedUpdateId} | E {state.LastAppliedEventTimeMs}");
            var ticker = state.LastBookTicker;
            if (ticker.Kind == MarketEventKind.BookTicker)
            {
                output.WriteLine($"  {string.Empty,-12} last bookTicker: {FixedPoint.ToString(ticker.BidPrice)} / {FixedPoint.ToString(ticker.AskPrice)} at u {ticker.FinalUpdateId}");
            }
        }
    }

    public static void PrintLatency(TextWriter output, params LatencyHistogram[] histograms)
    {
        output.WriteLine("latency (ns)                             count        p50        p90        p99      p99.9        max");
        foreach (var h in histograms)
        {
            output.WriteLine(string.Create(Invariant, $"  {h.Name,-34} {h.TotalCount,10:N0} {h.ValueAtPercentile(50),10:N0} {h.ValueAtPercentile(90),10:N0} {h.ValueAtPercentile(99),10:N0} {h.ValueAtPercentile(99.9),10:N0} {h.Max,10:N0}"));
        }
    }

    /// <summary>The short form of <see cref="Print"/> for a second session of the demo: input, strategies, trading and tick-to-order.</summary>
    /// <param name="result">The finished session.</param>
    /// <param name="output">Where to print.</param>
    public static void PrintCompact(SessionResult result, TextWriter output)
    {
        output.WriteLine($"input ({result.Market.ToString().ToLowerInvariant()}): {string.Join(", ", result.Files)}; {result.Frames:N0} frames, {result.Symbols.Count:N0} symbols, {result.Elapsed.TotalMilliseconds:N0} ms");
        output.WriteLine();
        PrintEvaluators(result, output);
        if (result.Trading is { } trading)
        {
            PrintTrading(trading, output);
            PrintLedger(result, output);
        }

        output.WriteLine($"steady-state allocation (bytes): producer {Bytes(result.ProducerSteadyStateBytes)}, core {Bytes(result.Core.SteadyStateAllocatedBytes)}, journal {Bytes(result.JournalSteadyStateBytes)}");
    }

    /// <summary>Prints what each evaluator and strategy did; returns false (printing nothing) when none ran.</summary>
    private static bool PrintEvaluators(SessionResult result, TextWriter output)
    {
        if (result.Core.Evaluators is not { } set)
        {
            return false;
        }

        output.WriteLine(result.Trading is { } trading
            ? $"evaluators and strategies (order commands go to the order gateway, {trading.Venue} venue; journaled and replayed):"
            : "evaluators and strategies (order commands are journaled and replayed; --trade paper|sim|live sends them):");
        var status = set.Status;
        for (var i = 0; i < status.Count; i++)
        {
            var s = status[i];
            output.WriteLine(string.Create(Invariant, $"  {s.Name,-16} calls {s.Calls,12:N0}   records {s.RecordsEmitted,10:N0}   order commands {s.OrdersEmitted,8:N0}"));
            if (set.Evaluators[i] is Engine.Strategies.ObiMaker maker)
            {
                output.WriteLine(string.Create(
                    Invariant,
                    $"    quotes placed {maker.QuotesPlaced:N0}, cancelled on a flip {maker.QuotesCancelled:N0}, open at the end {maker.OpenOrders:N0}; held back: cool-down {maker.Blocked(Engine.Strategies.StrategyBlock.Cooldown):N0}, max open orders {maker.Blocked(Engine.Strategies.StrategyBlock.MaxOpenOrders):N0}, max notional {maker.Blocked(Engine.Strategies.StrategyBlock.MaxNotional):N0}"));
            }

            if (set.Evaluators[i] is Engine.Evaluators.Triangles.TriangleEvaluator triangles)
            {
                output.WriteLine(string.Create(
                    Invariant,
                    $"    {triangles.Universe.Count:N0} triangles, {triangles.Triggers:N0} triggers, {triangles.Evaluations:N0} cycles evaluated, {triangles.Opportunities:N0} at or above {triangles.MinEdgeBps:R} bps ({triangles.PlanCount(Engine.Evaluators.Triangles.TrianglePlanStatus.Executable):N0} executable)"));
            }

            if (set.Evaluators[i] is Engine.Strategies.TriangleTaker taker)
            {
                output.WriteLine(string.Create(
                    Invariant,
                    $"    cycles sent {taker.CyclesSent:N0} (3 IOC legs each); held back: not executable {taker.Blocked(Engine.Strategies.StrategyBlock.BelowMinimum):N0}, cool-down {taker.Blocked(Engine.Strategies.StrategyBlock.Cooldown):N0}, max open orders {taker.Blocked(Engine.Strategies.StrategyBlock.MaxOpenOrders):N0}, max notional {taker.Blocked(Engine.Strategies.StrategyBlock.MaxNotional):N0}"));
            }

            if (s.Fault is { } fault)
            {
                output.WriteLine(string.Create(Invariant, $"    QUARANTINED at inbound sequence {s.FaultSequence:N0} after {fault.GetType().Name}: {fault.Message} ({s.SkippedCalls:N0} calls skipped)"));
            }
        }

        return true;
    }

    public static void PrintReplay(ReplayResult replay, TextWriter output)
    {
        var differences = replay.Differences();
        output.WriteLine($"replay of {replay.Directory}: {replay.Events:N0} events through the same core in {replay.Elapsed.TotalMilliseconds:N0} ms; "
            + $"{replay.Core.SignalCount:N0} signals (crc32c {replay.Core.SignalDigest:x8}), books crc32c {replay.Core.BooksDigest():x8}");
        if (!replay.IsComplete)
        {
            output.WriteLine("replay verdict: INCOMPLETE SESSION — the journal has no run summary (the run was killed or failed before it finished), so its journaled outbound records are compared as a prefix");
        }
        else if (differences.Count == 0)
        {
            output.WriteLine("replay verdict: IDENTICAL — final books and signal stream match the live run");
        }
        else
        {
            output.WriteLine("replay verdict: DIFFERENT");
            foreach (var difference in differences)
            {
                output.WriteLine($"  {difference}");
            }
        }
    }

    private static string Row(string label, long count, string? detail = null) =>
        string.IsNullOrEmpty(detail) ? $"  {label,-30} {count,12:N0}" : $"  {label,-30} {count,12:N0}  ({detail})";

    private static string Bytes(long bytes) => bytes < 0 ? "n/a" : bytes.ToString("N0", Invariant);

    /// <summary>The trading summary: orders by outcome, risk and venue rejections by reason, fills, position and PnL per symbol, and tick-to-order with its stages.</summary>
    /// <param name="trading">The gateway's result.</param>
    /// <param name="output">Where to print.</param>
    public static void PrintTrading(Engine.Hosting.Trading.TradingResult trading, TextWriter output)
    {
        output.WriteLine();
        output.WriteLine($"trading ({trading.Venue} venue):");
        output.WriteLine(Row("order commands", trading.Commands, $"{trading.NewOrders:N0} new, {trading.Cancels:N0} cancel, {trading.CancelAlls:N0} cancel-all"));
        output.WriteLine(Row("refused by risk", trading.Commands - trading.RiskAccepted, string.Join(", ", trading.RiskRejections.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}"))));
        output.WriteLine(Row("sent", trading.Sent, trading.NotSent > 0 ? $"{trading.NotSent:N0} not sent (no venue session)" : ""));
        output.WriteLine(Row("acknowledged (NEW)", trading.Acknowledged));
        output.WriteLine(Row("filled / partially", trading.Filled, $"{trading.PartiallyFilled:N0} partial fills; {trading.Fills:N0} fills in all"));
        output.WriteLine(Row("canceled", trading.Canceled));
        output.WriteLine(Row("expired", trading.Expired));
        output.WriteLine(Row("rejected", trading.Rejected, string.Join(", ", trading.RejectedByReason.OrderByDescending(kv => kv.Value).Select(kv => $"{kv.Key} {kv.Value:N0}"))));
        output.WriteLine(Row("open at the end", trading.OpenOrdersAtEnd, trading.StopCancels > 0 ? $"after {trading.StopCancels:N0} cancels at the stop" : null));
        if (trading.KillSwitchTripped || trading.ReportsLost > 0 || trading.QuantRuleWarnings + trading.QuantRuleBreaches > 0)
        {
            output.WriteLine($"  kill switch {(trading.KillSwitchTripped ? $"TRIPPED ({trading.KillSwitchCancels:N0} cancels)" : "not tripped")}, reports lost {trading.ReportsLost:N0}, quantitative-rules warnings {trading.QuantRuleWarnings:N0}, breaches {trading.QuantRuleBreaches:N0}");
        }

        foreach (var s in trading.Symbols)
        {
            output.WriteLine(string.Create(
                Invariant,
                $"  {s.Symbol}: {s.Orders:N0} orders, {s.Fills:N0} fills, bought {Decimal(s.BoughtQuantity)}, sold {Decimal(s.SoldQuantity)}, position {Decimal(s.Position)}, commission {Decimal(s.Commission)}, PnL {Decimal(s.Pnl)} at {Decimal(s.MarkPrice)}"));
        }

        output.WriteLine();
        PrintLatency(output, trading.Stages.TickToOrder, trading.Stages.Decision, trading.Stages.Risk, trading.Stages.EncodeSign, trading.Stages.Send);
        if (trading.Venue == "paper")
        {
            output.WriteLine("  (paper venue: 'send' hands the command to the in-process matching engine; nothing is encoded or signed.");
            output.WriteLine("   On a file run the producer fills the ring, so 'command at gateway' is mostly queueing, as above)");
        }

        if (trading.GatewaySteadyStateBytes >= 0)
        {
            output.WriteLine($"  gateway thread steady-state allocation: {Bytes(trading.GatewaySteadyStateBytes)} bytes");
        }
    }

    /// <summary>The core's own view of its orders (the ledger the strategies read): what it sent and heard back, per strategy, and any anomaly.</summary>
    private static void PrintLedger(SessionResult result, TextWriter output)
    {
        var ledger = result.Core.OrdersSnapshot();
        var names = result.Evaluators;
        output.WriteLine($"core order ledger: {ledger.Reports:N0} reports, {ledger.Fills:N0} fills, {ledger.OpenOrders.Count:N0} open, anomalies {ledger.TotalAnomalies:N0}"
            + (ledger.TotalAnomalies > 0 ? " (" + string.Join(", ", ledger.Anomalies.Where(kv => kv.Value > 0).Select(kv => $"{kv.Key} {kv.Value:N0}")) + ")" : ""));
        foreach (var s in ledger.Strategies.Where(s => s.NewOrdersSent > 0 || s.Fills > 0 || s.OpenOrders > 0))
        {
            var name = (uint)s.StrategyId < (uint)names.Count ? names[s.StrategyId].Name : $"#{s.StrategyId}";
            output.WriteLine($"  {name}: {s.NewOrdersSent:N0} new orders, {s.Fills:N0} fills, {s.OpenOrders:N0} open ({s.PendingNewOrders:N0} unacknowledged)");
        }
    }

    private static string Decimal(long units) => FixedPoint.ToString(units);
}
