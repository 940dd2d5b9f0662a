using OptiFlow.Engine.Model;
using OptiFlow.Journal;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// Mid, spread and order-book imbalance over time per symbol, read after the run from the session's outbound signals in
/// its journal (<c>DIR/outbound</c>), downsampled for report.html: each series keeps, per time bucket, its lowest and
/// highest sample (so spikes survive), at most <see cref="MaxBuckets"/> buckets per symbol.
/// </summary>
/// <remarks>
/// Cold path: reads the outbound journal twice (the time range, then the buckets), so memory stays bounded by the
/// buckets whatever the journal's length. Time is the exchange's event time (<c>E</c>, ms), in seconds from the
/// symbol's first signal. Allocates the buckets.
/// </remarks>
internal sealed class SignalSeries
{
    /// <summary>Time buckets per symbol (each gives up to two points per series).</summary>
    public const int MaxBuckets = 1500;

    /// <summary>The series names, in the order of <see cref="Symbol.Series"/>.</summary>
    public static readonly string[] Names = ["mid", "spread", "obi1", "obi5", "obi10"];

    private SignalSeries(IReadOnlyList<Symbol> symbols, long signals) => (Symbols, Signals) = (symbols, signals);

    /// <summary>Each symbol's series, by symbol name.</summary>
    public IReadOnlyList<Symbol> Symbols { get; }

    /// <summary>Signals read from the journal.</summary>
    public long Signals { get; }

    /// <summary>Reads the outbound signals of a journal.</summary>
    /// <param name="journalDirectory">The session's journal (its <c>outbound/</c> sub-journal is read).</param>
    /// <param name="nameOf">Symbol id → name.</param>
    /// <returns>The series (no symbols when the journal has no signals).</returns>
    /// <exception cref="DirectoryNotFoundException">The journal has no outbound directory.</exception>
    /// <exception cref="JournalFormatException">The outbound journal's segments are not a journal.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    public static SignalSeries Read(string journalDirectory, Func<int, string> nameOf)
    {
        ArgumentNullException.ThrowIfNull(nameOf);
        var outbound = Path.Combine(journalDirectory, JournalDescriptor.OutboundDirectoryName);
        var ranges = new Dictionary<int, (long First, long Last)>();
        long signals = 0;
        using (var reader = new JournalReader(outbound))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.Signal)
                {
                    var s = record.Signal;
                    ranges[s.SymbolId] = ranges.TryGetValue(s.SymbolId, out var r)
                        ? (Math.Min(r.First, s.EventTimeMs), Math.Max(r.Last, s.EventTimeMs))
                        : (s.EventTimeMs, s.EventTimeMs);
                    signals++;
                }
            }
        }

        var builders = ranges.ToDictionary(p => p.Key, p => new Builder(p.Value.First, p.Value.Last));
        using (var reader = new JournalReader(outbound))
        {
            while (reader.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.Signal)
                {
                    var s = record.Signal;
                    builders[s.SymbolId].Add(s.EventTimeMs, [FixedPoint.ToDouble(s.MidDoubled) / 2, FixedPoint.ToDouble(s.BestAsk - s.BestBid), s.Obi1, s.Obi5, s.Obi10]);
                }
            }
        }

        var symbols = builders.OrderBy(p => nameOf(p.Key), StringComparer.Ordinal)
            .Select(p => new Symbol(nameOf(p.Key), p.Value.Count, p.Value.FirstMs, p.Value.Series()))
            .ToList();
        return new SignalSeries(symbols, signals);
    }

    /// <summary>One symbol's downsampled series.</summary>
    /// <param name="Name">The symbol.</param>
    /// <param name="Count">Its signals.</param>
    /// <param name="FirstEventTimeMs">The event time of its first signal (the series' time origin), ms since the epoch.</param>
    /// <param name="Series">Per <see cref="Names"/> entry: (seconds from the first signal, value) points in time order.</param>
    internal sealed record Symbol(string Name, long Count, long FirstEventTimeMs, IReadOnlyList<IReadOnlyList<(double X, double Y)>> Series);

    /// <summary>Per time bucket and series: the lowest and the highest sample with their times.</summary>
    private sealed class Builder(long firstMs, long lastMs)
    {
        private readonly Bucket[,] _buckets = new Bucket[Math.Min(MaxBuckets, Math.Max(1, lastMs - firstMs + 1)), Names.Length];

        public long FirstMs => firstMs;

        public long Count { get; private set; }

        public void Add(long timeMs, ReadOnlySpan<double> values)
        {
            Count++;
            var buckets = _buckets.GetLength(0);
            var index = lastMs == firstMs ? 0 : (int)Math.Min(buckets - 1, (timeMs - firstMs) * buckets / (lastMs - firstMs + 1));
            for (var i = 0; i < values.Length; i++)
            {
                if (!double.IsFinite(values[i]))
                {
                    continue;
                }

                ref var b = ref _buckets[index, i];
                if (!b.Used || values[i] < b.Low)
                {
                    (b.Low, b.LowMs) = (values[i], timeMs);
                }

                if (!b.Used || values[i] > b.High)
                {
                    (b.High, b.HighMs) = (values[i], timeMs);
                }

                b.Used = true;
            }
        }

        public List<IReadOnlyList<(double X, double Y)>> Series()
        {
            var series = new List<IReadOnlyList<(double X, double Y)>>();
            for (var i = 0; i < Names.Length; i++)
            {
                var points = new List<(double, double)>();
                for (var k = 0; k < _buckets.GetLength(0); k++)
                {
                    var b = _buckets[k, i];
                    if (!b.Used)
                    {
                        continue;
                    }

                    var (first, second) = b.LowMs <= b.HighMs ? ((b.LowMs, b.Low), (b.HighMs, b.High)) : ((b.HighMs, b.High), (b.LowMs, b.Low));
                    points.Add(((first.Item1 - firstMs) / 1000.0, first.Item2));
                    if (b.High != b.Low)
                    {
                        points.Add(((second.Item1 - firstMs) / 1000.0, second.Item2));
                    }
                }

                series.Add(points);
            }

            return series;
        }
    }

    private struct Bucket
    {
        public bool Used;
        public double Low;
        public long LowMs;
        public double High;
        public long HighMs;
    }
}
