using System.Diagnostics;
using System.Globalization;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.PerfTests.Harness;
using OptiFlow.PerfTests.Pipeline;
using OptiFlow.Testing;

namespace OptiFlow.PerfTests.Books;

/// <summary>
/// Issue 20, item 3: the cost of a book side per level event and per depth message, the tick ladder
/// (<see cref="PriceLevels"/>) against the sorted array it replaced (<see cref="SortedArrayPriceLevels"/>, main's code
/// copied), in the same process, run after run interleaved:
/// <code>
///  recording ─► decode once ─► events[] ─► book operations[] (snapshot: clear + levels; diff: levels, then a read)
///                                                   │
///       ┌───────────────────────────────────────────┴────────────────────────────┐
///   (1) levels only: Set per level                              (2) messages: Set per level, then per depth message
///       old ∥ new, interleaved                                      the signals' reads (PriceAt/QuantityAt 0..9,
///                                                                   SumQuantity 1/5/10 per side), old ∥ new
/// </code>
/// The operations follow the recording's order from its first snapshot on (diffs before it are skipped; no chaining
/// check: a micro-benchmark of the book, not of the core's sync). Every run of both ends with the same digest and read
/// checksum, or the benchmark exits 1.
/// </summary>
internal static class PriceLevelsBenchmark
{
    private const byte OpClear = 0;
    private const byte OpBid = 1;
    private const byte OpAsk = 2;
    private const byte OpRead = 3;

    public static int Run(string[] args)
    {
        var runs = 7;
        string? recording = null;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--runs" when i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out var n) && n > 0:
                    runs = n;
                    i++;
                    break;
                case "--recording" when i + 1 < args.Length:
                    recording = args[++i];
                    break;
                default:
                    Console.Error.WriteLine($"book-levels: unknown or incomplete option '{args[i]}'");
                    Console.Error.WriteLine("usage: OptiFlow.PerfTests book-levels [--recording FILE (default: ../shared/data/binance/" + PipelineStagesOptions.DefaultRecording + ")] [--runs N (7)]");
                    return 2;
            }
        }

        recording ??= RecordingData.Root is { } root ? Path.Combine(root, PipelineStagesOptions.DefaultRecording) : null;
        if (recording is null || !File.Exists(recording))
        {
            Console.Error.WriteLine($"book-levels: recording not found: {recording ?? "(no ../shared/data/binance)"}");
            return 2;
        }

        Console.WriteLine($"machine: {MachineInfo.Read()}");
        Console.WriteLine($"load average at start: {File.ReadAllText("/proc/loadavg").Trim()}");
        var ops = Load(recording, out var levelEvents, out var messages);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"recording: {recording}: {ops.Length:N0} operations: {levelEvents:N0} level events, {messages:N0} depth messages"));

        var samples = new List<(Timed OldLevels, Timed NewLevels, Timed OldMessages, Timed NewMessages)>();
        var failures = 0;
        for (var run = 0; run <= runs; run++)
        {
            // Alternate which goes first, so neither always follows the other's cache state.
            Timed o1, n1, o2, n2;
            if (run % 2 == 0)
            {
                o1 = ReplayOld(ops, read: false);
                n1 = ReplayNew(ops, read: false);
                o2 = ReplayOld(ops, read: true);
                n2 = ReplayNew(ops, read: true);
            }
            else
            {
                n1 = ReplayNew(ops, read: false);
                o1 = ReplayOld(ops, read: false);
                n2 = ReplayNew(ops, read: true);
                o2 = ReplayOld(ops, read: true);
            }

            if (o1.Check != n1.Check || o2.Check != n2.Check)
            {
                failures++;
                Console.WriteLine($"run {run}: CHECK FAILED: levels {o1.Check:X} vs {n1.Check:X}, messages {o2.Check:X} vs {n2.Check:X}");
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(run == 0 ? "warm-up" : $"run {run}")}: levels old {o1.Seconds * 1e3:F1} ms (cpu {o1.CpuSeconds * 1e3:F1}), new {n1.Seconds * 1e3:F1} ms (cpu {n1.CpuSeconds * 1e3:F1}); messages old {o2.Seconds * 1e3:F1} ms (cpu {o2.CpuSeconds * 1e3:F1}), new {n2.Seconds * 1e3:F1} ms (cpu {n2.CpuSeconds * 1e3:F1}); check {n2.Check:X16}"));
            if (run > 0)
            {
                samples.Add((o1, n1, o2, n2));
            }
        }

        var book = new OrderBook(0);
        Replay(book.Bids, book.Asks, ops, read: false);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ladder after the replay: bids {book.Bids.Count} levels ({book.Bids.LevelsOutsideLadder} outside the window; tick {book.Bids.InferredTick}, {book.Bids.RecenterCount} re-centrings, {book.Bids.GrowCount} allocations), asks {book.Asks.Count} levels ({book.Asks.LevelsOutsideLadder} outside the window; tick {book.Asks.InferredTick}, {book.Asks.RecenterCount} re-centrings, {book.Asks.GrowCount} allocations)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"medians of {runs} runs, wall clock | thread CPU time:"));
        Print("per level event (Set only)", samples.Select(x => x.OldLevels).ToList(), samples.Select(x => x.NewLevels).ToList(), levelEvents);
        Print("per depth message (Sets + signal reads)", samples.Select(x => x.OldMessages).ToList(), samples.Select(x => x.NewMessages).ToList(), messages);
        Console.WriteLine($"load average at end: {File.ReadAllText("/proc/loadavg").Trim()}");
        return failures == 0 ? 0 : 1;
    }

    private static void Print(string what, List<Timed> old, List<Timed> @new, long units)
    {
        var scale = 1e9 / units;
        var ow = Median(old.Select(t => t.Seconds)) * scale;
        var nw = Median(@new.Select(t => t.Seconds)) * scale;
        var oc = Median(old.Select(t => t.CpuSeconds)) * scale;
        var nc = Median(@new.Select(t => t.CpuSeconds)) * scale;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {what}: sorted array {ow:F1} ns | {oc:F1} ns, ladder {nw:F1} ns | {nc:F1} ns: {ow / nw:F2}× | {oc / nc:F2}× (wall: ladder {@new.Min(t => t.Seconds) * scale:F1}–{@new.Max(t => t.Seconds) * scale:F1} ns, sorted array {old.Min(t => t.Seconds) * scale:F1}–{old.Max(t => t.Seconds) * scale:F1} ns)"));
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private static Operation[] Load(string recording, out long levelEvents, out long messages)
    {
        var input = RecordingInput.Open([recording], RecordingFormat.Auto, market: null);
        var lines = RecordedLines.Load(input);
        var captured = PipelineStages.Capture(lines, input, new EngineOptions(), out _);
        var ops = new List<Operation>(captured.Count + 1024);
        var started = false;
        levelEvents = 0;
        messages = 0;
        for (var i = 0; i < captured.Count; i++)
        {
            ref var e = ref captured.Items[i];
            var snapshot = e.Kind == MarketEventKind.SnapshotLevel;
            if (!snapshot && e.Kind != MarketEventKind.DepthLevel)
            {
                continue;
            }

            started |= snapshot;
            if (!started)
            {
                continue;
            }

            if (snapshot && (e.Flags & MarketEventFlags.BeginOfMessage) != 0)
            {
                ops.Add(new Operation(OpClear, 0, 0));
            }

            if ((e.Flags & MarketEventFlags.EmptyMessage) == 0)
            {
                ops.Add(new Operation(e.Side == BookSide.Bid ? OpBid : OpAsk, e.Price, e.Quantity));
                levelEvents++;
            }

            if (!snapshot && (e.Flags & MarketEventFlags.EndOfMessage) != 0)
            {
                ops.Add(new Operation(OpRead, 0, 0));
                messages++;
            }
        }

        return [.. ops];
    }

    private static Timed ReplayOld(Operation[] ops, bool read)
    {
        var bids = new SortedArrayPriceLevels(isAsk: false, OrderBook.DefaultCapacity);
        var asks = new SortedArrayPriceLevels(isAsk: true, OrderBook.DefaultCapacity);
        var cpu = ThreadCpuClock.ReadSeconds();
        var clock = Stopwatch.StartNew();
        ulong check = 0;
        foreach (ref readonly var op in ops.AsSpan())
        {
            switch (op.Kind)
            {
                case OpBid: bids.Set(op.Price, op.Quantity); break;
                case OpAsk: asks.Set(op.Price, op.Quantity); break;
                case OpClear: bids.Clear(); asks.Clear(); break;
                default:
                    if (read)
                    {
                        check = (check * 31) + Read(bids) + Read(asks);
                    }

                    break;
            }
        }

        var seconds = clock.Elapsed.TotalSeconds;
        return new Timed(seconds, ThreadCpuClock.ReadSeconds() - cpu, check ^ asks.Digest(bids.Digest(0)));
    }

    private static Timed ReplayNew(Operation[] ops, bool read)
    {
        var book = new OrderBook(0);
        var cpu = ThreadCpuClock.ReadSeconds();
        var clock = Stopwatch.StartNew();
        var check = Replay(book.Bids, book.Asks, ops, read);
        var seconds = clock.Elapsed.TotalSeconds;
        return new Timed(seconds, ThreadCpuClock.ReadSeconds() - cpu, check ^ book.Digest());
    }

    private static ulong Replay(PriceLevels bids, PriceLevels asks, Operation[] ops, bool read)
    {
        ulong check = 0;
        foreach (ref readonly var op in ops.AsSpan())
        {
            switch (op.Kind)
            {
                case OpBid: bids.Set(op.Price, op.Quantity); break;
                case OpAsk: asks.Set(op.Price, op.Quantity); break;
                case OpClear: bids.Clear(); asks.Clear(); break;
                default:
                    if (read)
                    {
                        check = (check * 31) + Read(bids) + Read(asks);
                    }

                    break;
            }
        }

        return check;
    }

    // What the signals read per applied depth message (ImbalanceEvaluator): OBI 1/5/10, the top 10 levels for WOBI.
    private static ulong Read(PriceLevels side)
    {
        var sum = (ulong)(side.SumQuantity(1) + side.SumQuantity(5) + side.SumQuantity(10));
        var n = Math.Min(10, side.Count);
        for (var i = 0; i < n; i++)
        {
            sum = (sum * 17) + (ulong)side.PriceAt(i) + (ulong)side.QuantityAt(i);
        }

        return sum;
    }

    private static ulong Read(SortedArrayPriceLevels side)
    {
        var sum = (ulong)(side.SumQuantity(1) + side.SumQuantity(5) + side.SumQuantity(10));
        var n = Math.Min(10, side.Count);
        for (var i = 0; i < n; i++)
        {
            sum = (sum * 17) + (ulong)side.PriceAt(i) + (ulong)side.QuantityAt(i);
        }

        return sum;
    }

    private readonly record struct Operation(byte Kind, long Price, long Quantity);

    private readonly record struct Timed(double Seconds, double CpuSeconds, ulong Check);
}
