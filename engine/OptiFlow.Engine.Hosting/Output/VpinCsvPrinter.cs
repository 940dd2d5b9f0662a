using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Model;

namespace OptiFlow.Engine.Hosting.Output;

/// <summary>
/// Writes every VPIN bucket as a CSV row, <c>symbol,bucket,E,buy_volume,sell_volume,vpin</c>, under a header line:
/// volumes as exact decimals (10⁻⁸ base units, as the other verbs print quantities), VPIN as a shortest round-trip
/// double. What <c>optiflow flow</c> prints.
/// </summary>
/// <remarks>
/// Called on the thread that feeds the buckets. Allocation-free per row once the buffer has grown. Not thread-safe.
/// The caller writes the header (<see cref="WriteHeader"/>) and flushes the buffer.
/// </remarks>
/// <param name="output">Where rows go (not owned).</param>
/// <param name="symbols">The session's symbol table (names by id).</param>
public sealed class VpinCsvPrinter(Utf8OutputBuffer output, SymbolTable symbols) : IVpinBucketSink
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
