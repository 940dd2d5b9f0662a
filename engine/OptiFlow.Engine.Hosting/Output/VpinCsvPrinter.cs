using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Hosting.Output;

/// <summary>
/// Writes every VPIN bucket as a CSV row, <c>symbol,bucket,E,buy_volume,sell_volume,vpin</c>, under a header line:
/// volumes as exact decimals (10⁻⁸ base units, as the other verbs print quantities), VPIN as a shortest round-trip
/// double. What <c>optiflow flow</c> prints.
/// </summary>
/// <remarks>
/// Two ways in: as a consumer of the outbound ring (<see cref="EngineOptions.OutboundHandlers"/>) it prints every
/// <see cref="EvaluatorRecordType.VpinBucket"/> record a <see cref="VpinEvaluator"/> emitted, writing the header when its
/// thread starts and flushing when it stops; as an <see cref="IVpinBucketSink"/> of a direct driver
/// (<see cref="TradeFlowRun"/>) it prints each bucket on the feeding thread, and the caller writes the header
/// (<see cref="WriteHeader"/>) and flushes. Allocation-free per row once the buffer has grown. Not thread-safe.
/// </remarks>
/// <param name="output">Where rows go (not owned).</param>
/// <param name="symbols">The session's symbol table (names by id).</param>
public sealed class VpinCsvPrinter(Utf8OutputBuffer output, SymbolTable symbols) : IVpinBucketSink, IEventHandler<OutboundEvent>
{
    /// <summary>The header line.</summary>
    public const string Header = "symbol,bucket,E,buy_volume,sell_volume,vpin";

    /// <summary>Rows written.</summary>
    public long Rows { get; private set; }

    /// <summary>Writes the header line.</summary>
    public void WriteHeader()
    {
        output.Ascii(Header);
        output.EndLine();
    }

    /// <inheritdoc/>
    /// <remarks>Writes the header line.</remarks>
    public void OnStart() => WriteHeader();

    /// <inheritdoc/>
    public void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    /// <remarks>Writes a row for an <see cref="EvaluatorRecordType.VpinBucket"/> evaluator record; skips the rest.</remarks>
    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch)
    {
        if (data.Kind == OutboundEventKind.EvaluatorRecord && data.EvaluatorRecord.Type == EvaluatorRecordType.VpinBucket)
        {
            OnBucket(in data.EvaluatorRecord.BodyAs<VpinBucket>());
        }
    }

    /// <inheritdoc/>
    /// <remarks>Flushes the buffer.</remarks>
    public void OnShutdown() => output.Flush();

    /// <inheritdoc/>
    public void OnBucket(in VpinBucket bucket)
    {
        output.Bytes(symbols.Utf8NameOf(bucket.SymbolId));
        output.Byte((byte)',');
        output.Integer(bucket.Bucket);
        output.Byte((byte)',');
        output.Integer(bucket.EventTimeMs);
        output.Byte((byte)',');
        output.Fixed(bucket.BuyVolume);
        output.Byte((byte)',');
        output.Fixed(bucket.SellVolume);
        output.Byte((byte)',');
        output.Ratio(bucket.Vpin);
        output.EndLine();
        Rows++;
    }
}
