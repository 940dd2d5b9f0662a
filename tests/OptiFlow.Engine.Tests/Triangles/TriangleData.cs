using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests.Triangles;

/// <summary>The real spot universe (exchangeInfo of 2023-09-08, PROVENANCE) and tables over it.</summary>
internal static class TriangleData
{
    public const string ExchangeInfoRelativePath = "SM2A-Binance_API/exchangeInfoCompact.json";

    private static readonly Lazy<IReadOnlyList<InstrumentSpec>> LazyTrading = new(() =>
        ExchangeInfoParser.ParseFile(RecordingData.Require(ExchangeInfoRelativePath)).TradingInstruments());

    /// <summary>The 1,340 TRADING symbols (ignored, or failed under OPTIFLOW_REQUIRE_DATA=1, when the data is absent).</summary>
    public static IReadOnlyList<InstrumentSpec> Trading
    {
        get
        {
            _ = RecordingData.Require(ExchangeInfoRelativePath);
            return LazyTrading.Value;
        }
    }

    /// <summary>A frozen table holding <paramref name="names"/> (ids in order), with room for more.</summary>
    public static SymbolTable TableOf(IEnumerable<string> names, int capacity = 4096)
    {
        var table = new SymbolTable(capacity);
        foreach (var name in names)
        {
            table.GetOrAdd(name);
        }

        return table.Freeze();
    }

    /// <summary>
    /// A real sub-universe: the TRADING symbols whose two assets have a known USD price
    /// (<see cref="SeededBookTickerStream.UsdPrices20230908"/>) and whose fair price is at least 1,000 ticks, so that
    /// quotes on the tick stay within a few bps of fair.
    /// </summary>
    public static IReadOnlyList<InstrumentSpec> PricedSubUniverse()
    {
        var usd = SeededBookTickerStream.UsdPrices20230908;
        var list = new List<InstrumentSpec>();
        foreach (var s in Trading)
        {
            if (usd.TryGetValue(s.BaseAsset, out var b) && usd.TryGetValue(s.QuoteAsset, out var q)
                && b / q * FixedPoint.Scale / Math.Max(1, s.TickSize) >= 1_000)
            {
                list.Add(s);
            }
        }

        return list;
    }
}
