using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Evaluators;

/// <summary>
/// <see cref="VpinBuckets"/> as an evaluator on the core thread: fed every market <c>trade</c>, it emits one
/// <see cref="EvaluatorRecordType.VpinBucket"/> record per completed bucket from each symbol's <c>N</c>-th on.
/// </summary>
/// <remarks>
/// <para>
/// <b>Which trades.</b> <see cref="MarketEventKind.Trade"/> events without <see cref="MarketEventFlags.NonMarketTrade"/>;
/// futures trades whose <c>X</c> is not <c>MARKET</c> are counted in <see cref="NonMarketTrades"/>, and aggTrades in
/// <see cref="AggTrades"/> (an aggTrade re-reports the fills of the trade stream, so both would count each fill
/// twice, and it carries no <c>X</c>). Aggressor side from <c>m</c>; volume = <c>q</c>.
/// </para>
/// <para>
/// <b>Record body</b> (<see cref="EvaluatorRecord.BodyAs{TBody}"/> with <see cref="VpinBucket"/>, 48 of the 88 body
/// bytes, the rest zero): <c>0 SymbolId (int32) | 4 Reserved | 8 Bucket | 16 EventTimeMs | 24 BuyVolume (10⁻⁸ base units)
/// | 32 SellVolume | 40 Vpin (float64)</c>. The record header's symbol, event time and causing sequence are those of
/// the trade that completed the bucket (one trade may complete several: one record each, same cause).
/// </para>
/// <para>Core thread only (the <see cref="Evaluator"/> rules); allocation-free per trade after <see cref="Evaluator.Attach"/>.</para>
/// </remarks>
/// <param name="bucketVolume">Bucket volume <c>V</c>, 10⁻⁸ base units; positive.</param>
/// <param name="window">Buckets per VPIN window <c>N</c>; at least 1.</param>
public sealed class VpinEvaluator(long bucketVolume, int window) : Evaluator, IVpinBucketSink
{
    private VpinBuckets? _buckets;
    private MarketEvent _cause;
    private long _causeSequence;

    /// <inheritdoc/>
    public override string Name => "vpin";

    /// <inheritdoc/>
    public override EvaluatorInputs Inputs => EvaluatorInputs.Trade;

    /// <summary>Bucket volume <c>V</c>, 10⁻⁸ base units.</summary>
    public long BucketVolume { get; } = bucketVolume > 0 ? bucketVolume : throw new ArgumentOutOfRangeException(nameof(bucketVolume), bucketVolume, "The bucket volume must be positive.");

    /// <summary>Buckets per VPIN window <c>N</c>.</summary>
    public int Window { get; } = window > 0 ? window : throw new ArgumentOutOfRangeException(nameof(window), window, "The window must be at least 1 bucket.");

    /// <summary>Market trades fed to the buckets. Read after the session (core thread's counter).</summary>
    public long Trades => _buckets?.Trades ?? 0;

    /// <summary>Futures trades skipped because their <c>X</c> was not <c>MARKET</c>.</summary>
    public long NonMarketTrades { get; private set; }

    /// <summary>aggTrade events skipped.</summary>
    public long AggTrades { get; private set; }

    /// <summary>Buckets completed (every symbol, including those before each symbol's <c>N</c>-th).</summary>
    public long Buckets => _buckets?.Buckets ?? 0;

    /// <summary>Records emitted (one per bucket from each symbol's <c>N</c>-th on).</summary>
    public long Rows { get; private set; }

    /// <inheritdoc/>
    public override void OnTrade(ref readonly MarketEvent e, long sequence)
    {
        if (e.Kind != MarketEventKind.Trade)
        {
            AggTrades++;
            return;
        }

        if ((e.Flags & MarketEventFlags.NonMarketTrade) != 0)
        {
            NonMarketTrades++;
            return;
        }

        _cause = e;
        _causeSequence = sequence;
        var sink = this;
        _buckets!.OnTrade(e.SymbolId, e.Quantity, (e.Flags & MarketEventFlags.BuyerIsMaker) != 0, e.EventTimeMs, ref sink);
    }

    /// <summary>Emits the bucket as an evaluator record (called by the buckets, on the core thread).</summary>
    /// <param name="bucket">The completed bucket.</param>
    public void OnBucket(in VpinBucket bucket)
    {
        Rows++;
        Context!.Emit(EvaluatorRecordType.VpinBucket, in _cause, _causeSequence, in bucket);
    }

    /// <inheritdoc/>
    protected override void OnAttach(EvaluatorContext context) =>
        _buckets = new VpinBuckets(context.SymbolCapacity, BucketVolume, Window);
}
