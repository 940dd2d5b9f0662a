using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>
/// The simulated venue's book of one symbol, as the recording dictates: a recorded REST snapshot seeds it, and the
/// recorded diffs move it under Binance's own chaining rules, so a snapshot served at any point is the book as of the
/// diffs sent so far. The simulator's own implementation, independent of the engine's books and core (a test oracle
/// must not be the system under test).
/// </summary>
/// <remarks>
/// <para>Rules (binance.md §3.1 spot, §3.2 USDⓈ-M and COIN-M; ARCHITECTURE "Book sync"):</para>
/// <list type="bullet">
/// <item>While <see cref="VenueBookStatus.Unknown"/>, diffs are buffered (a diff that does not chain on the previous
/// buffered one discards what was buffered before it, counted in <see cref="Gaps"/>).</item>
/// <item>A snapshot clears the book, loads its levels and makes it <see cref="VenueBookStatus.Seeded"/>, then the
/// buffered diffs are applied by the rules below. A snapshot reaching a <see cref="VenueBookStatus.Live"/> book whose
/// last applied <c>u</c> is at or past its <c>lastUpdateId</c> holds nothing the book lacks: it is not loaded (counted
/// in <see cref="SnapshotsBehindBook"/>).</item>
/// <item>On a seeded book, a diff ending before the snapshot is dropped (futures <c>u &lt; lastUpdateId</c>, spot
/// <c>u ≤ lastUpdateId</c>); the first applied one must bracket it (futures <c>U ≤ lastUpdateId</c>, spot
/// <c>U ≤ lastUpdateId + 1</c>).</item>
/// <item>On a live book each diff must chain: futures <c>pu == previous u</c>, spot <c>U == previous u + 1</c>.</item>
/// <item>Any other diff is a break in the recording (a gap): counted, the book becomes unknown again and the diff is
/// buffered until the next recorded snapshot.</item>
/// <item>Levels carry absolute quantities; 0 removes the level; removing an unknown level is normal
/// (<see cref="VenueBookSide.Set"/>).</item>
/// </list>
/// <para>The buffer holds at most <see cref="BufferCapacityLevels"/> levels (an empty diff counts as one): a diff that
/// does not fit discards everything buffered before it (counted in <see cref="BufferOverflowMessages"/>), and a diff
/// larger than the whole buffer is dropped. This is the bound and the policy of the engine's own book sync, so a
/// recording that overflows it leaves the simulator, like a file run, without a known book until a later snapshot.</para>
/// <para>Not thread-safe (the feed holds its lock). Allocates: tree nodes for new levels, and a copy of every buffered
/// diff. Throws <see cref="ArgumentOutOfRangeException"/> for a level on neither side (the decoder never yields one).</para>
/// </remarks>
internal sealed class VenueBook
{
    /// <summary>Levels (an empty diff counts as one) buffered at most while the book is unknown.</summary>
    public const int BufferCapacityLevels = 8192;

    private readonly List<BufferedDiff> _buffered = [];
    private readonly bool _futures;
    private int _bufferedLevels;
    private long _bufferedLastFinalUpdateId;

    /// <summary>Creates an unknown, empty book.</summary>
    /// <param name="market">Decides the chaining rule: <see cref="Market.Futures"/> chains on <c>pu</c>, spot on <c>U</c>.</param>
    public VenueBook(Market market)
    {
        Market = market;
        _futures = market == Market.Futures;
    }

    private enum Disposition
    {
        Drop,
        Apply,
        Buffer,
    }

    /// <summary>The market whose chaining rule applies.</summary>
    public Market Market { get; }

    /// <summary>Bids, highest price first.</summary>
    public VenueBookSide Bids { get; } = new(BookSide.Bid);

    /// <summary>Asks, lowest price first.</summary>
    public VenueBookSide Asks { get; } = new(BookSide.Ask);

    /// <summary>What the simulator knows of the book.</summary>
    public VenueBookStatus Status { get; private set; }

    /// <summary>Whether a snapshot can be served from the book (seeded or live).</summary>
    public bool IsKnown => Status != VenueBookStatus.Unknown;

    /// <summary>The <c>lastUpdateId</c> a snapshot served now carries: the last applied <c>u</c> when live, else the
    /// seeding snapshot's <c>lastUpdateId</c> (0 before any).</summary>
    public long LastUpdateId => Status == VenueBookStatus.Live ? LastAppliedUpdateId : SnapshotLastUpdateId;

    /// <summary><c>lastUpdateId</c> of the last snapshot loaded; 0 before any.</summary>
    public long SnapshotLastUpdateId { get; private set; }

    /// <summary><c>u</c> of the last applied diff; 0 before any. Kept across a gap.</summary>
    public long LastAppliedUpdateId { get; private set; }

    /// <summary><c>E</c> of the last applied diff, ms since the Unix epoch; 0 before any. Kept across a gap and a reseed.</summary>
    public long LastAppliedEventTimeMs { get; private set; }

    /// <summary>Diffs applied.</summary>
    public long Applied { get; private set; }

    /// <summary>Snapshots loaded.</summary>
    public long SnapshotsLoaded { get; private set; }

    /// <summary>Snapshots not loaded because they reached a live book at or past their <c>lastUpdateId</c>.</summary>
    public long SnapshotsBehindBook { get; private set; }

    /// <summary>Breaks in the recording: a diff that neither brackets the seeding snapshot nor chains on the previous one.</summary>
    public long Gaps { get; private set; }

    /// <summary>Diffs dropped because they end before the seeding snapshot.</summary>
    public long DroppedBeforeSnapshot { get; private set; }

    /// <summary>Diffs discarded because the buffer was full.</summary>
    public long BufferOverflowMessages { get; private set; }

    /// <summary>Diffs buffered now, waiting for a snapshot.</summary>
    public int BufferedCount => _buffered.Count;

    /// <summary>Seeds the book from a recorded REST snapshot, then applies what was buffered.</summary>
    /// <param name="lastUpdateId">The snapshot's <c>lastUpdateId</c>.</param>
    /// <param name="levels">The snapshot's levels, as decoded (bids first).</param>
    /// <returns>False when the snapshot was behind a live book and not loaded.</returns>
    public bool LoadSnapshot(long lastUpdateId, DepthLevelBuffer levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        if (Status == VenueBookStatus.Live && lastUpdateId <= LastAppliedUpdateId)
        {
            SnapshotsBehindBook++;
            return false;
        }

        Bids.Clear();
        Asks.Clear();
        SetLevels(levels.Sides, levels.Prices, levels.Quantities);
        SnapshotsLoaded++;
        SnapshotLastUpdateId = lastUpdateId;
        Status = VenueBookStatus.Seeded;

        // Apply what was buffered through the same rules; a break among it buffers the rest anew.
        var replay = _buffered.ToArray();
        ClearBuffer();
        foreach (var diff in replay)
        {
            Handle(diff.FirstUpdateId, diff.FinalUpdateId, diff.PreviousFinalUpdateId, diff.EventTimeMs, diff.Sides, diff.Prices, diff.Quantities, diff);
        }

        return true;
    }

    /// <summary>Applies, buffers or drops one recorded diff, by the rules in the remarks of <see cref="VenueBook"/>.</summary>
    /// <param name="firstUpdateId"><c>U</c>.</param>
    /// <param name="finalUpdateId"><c>u</c>.</param>
    /// <param name="previousFinalUpdateId"><c>pu</c> (futures; ignored on spot).</param>
    /// <param name="eventTimeMs"><c>E</c>, ms since the Unix epoch.</param>
    /// <param name="levels">The diff's levels, as decoded (bids first); possibly none.</param>
    public void ApplyDiff(long firstUpdateId, long finalUpdateId, long previousFinalUpdateId, long eventTimeMs, DepthLevelBuffer levels)
    {
        ArgumentNullException.ThrowIfNull(levels);
        Handle(firstUpdateId, finalUpdateId, previousFinalUpdateId, eventTimeMs, levels.Sides, levels.Prices, levels.Quantities, null);
    }

    private void Handle(
        long firstUpdateId,
        long finalUpdateId,
        long previousFinalUpdateId,
        long eventTimeMs,
        ReadOnlySpan<BookSide> sides,
        ReadOnlySpan<long> prices,
        ReadOnlySpan<long> quantities,
        BufferedDiff? copy)
    {
        switch (Decide(firstUpdateId, finalUpdateId, previousFinalUpdateId, Math.Max(1, sides.Length)))
        {
            case Disposition.Apply:
                SetLevels(sides, prices, quantities);
                Status = VenueBookStatus.Live;
                Applied++;
                LastAppliedUpdateId = finalUpdateId;
                LastAppliedEventTimeMs = eventTimeMs;
                break;
            case Disposition.Buffer:
                _buffered.Add(copy ?? new BufferedDiff(firstUpdateId, finalUpdateId, previousFinalUpdateId, eventTimeMs, sides, prices, quantities));
                break;
            default:
                break;
        }
    }

    private Disposition Decide(long firstUpdateId, long finalUpdateId, long previousFinalUpdateId, int size)
    {
        switch (Status)
        {
            case VenueBookStatus.Seeded:
                var last = SnapshotLastUpdateId;
                if (_futures ? finalUpdateId < last : finalUpdateId <= last)
                {
                    DroppedBeforeSnapshot++;
                    return Disposition.Drop;
                }

                return (_futures ? firstUpdateId <= last : firstUpdateId <= last + 1) ? Disposition.Apply : Break(finalUpdateId, size);
            case VenueBookStatus.Live:
                return Chains(firstUpdateId, previousFinalUpdateId, LastAppliedUpdateId) ? Disposition.Apply : Break(finalUpdateId, size);
            default:
                if (_buffered.Count > 0 && !Chains(firstUpdateId, previousFinalUpdateId, _bufferedLastFinalUpdateId))
                {
                    // A break among the buffered diffs: what came before it can never be applied.
                    Gaps++;
                    ClearBuffer();
                }

                return StartBuffering(finalUpdateId, size);
        }
    }

    private bool Chains(long firstUpdateId, long previousFinalUpdateId, long priorFinalUpdateId) =>
        _futures ? previousFinalUpdateId == priorFinalUpdateId : firstUpdateId == priorFinalUpdateId + 1;

    private Disposition Break(long finalUpdateId, int size)
    {
        Gaps++;
        Status = VenueBookStatus.Unknown;
        ClearBuffer();
        return StartBuffering(finalUpdateId, size);
    }

    private Disposition StartBuffering(long finalUpdateId, int size)
    {
        if (_bufferedLevels + size > BufferCapacityLevels)
        {
            BufferOverflowMessages += _buffered.Count;
            ClearBuffer();
            if (size > BufferCapacityLevels)
            {
                BufferOverflowMessages++;
                return Disposition.Drop;
            }
        }

        _bufferedLevels += size;
        _bufferedLastFinalUpdateId = finalUpdateId;
        return Disposition.Buffer;
    }

    private void ClearBuffer()
    {
        _buffered.Clear();
        _bufferedLevels = 0;
    }

    private void SetLevels(ReadOnlySpan<BookSide> sides, ReadOnlySpan<long> prices, ReadOnlySpan<long> quantities)
    {
        for (var i = 0; i < sides.Length; i++)
        {
            var side = sides[i] switch
            {
                BookSide.Bid => Bids,
                BookSide.Ask => Asks,
                _ => throw new ArgumentOutOfRangeException(nameof(sides), sides[i], "A level must be on the bid or the ask side."),
            };
            side.Set(prices[i], quantities[i]);
        }
    }
}
