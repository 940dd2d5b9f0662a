using NUnit.Framework;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Tests.Triangles;

/// <summary>The triangles of the real spot universe, its per-instrument index against a brute-force enumeration, and
/// the cycles' start asset and legs.</summary>
public class TriangleUniverseTests
{
    [Test]
    public void ShouldFind2207Triangles_WhenGivenTheTradingSymbolsOfTheSpotExchangeInfo()
    {
        // Arrange
        var trading = TriangleData.Trading;

        // Act
        var universe = new TriangleUniverse(trading);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(trading, Has.Count.EqualTo(1_340), "TRADING symbols of exchangeInfoCompact.json");
            Assert.That(universe.Count, Is.EqualTo(2_207));
        }
    }

    [Test]
    public void ShouldIndexExactlyTheTrianglesOfEachInstrument_AsABruteForceEnumerationFindsThem()
    {
        // Arrange
        var trading = TriangleData.Trading;
        var universe = new TriangleUniverse(trading);

        // Act: brute force, for every instrument S = {X, Y}: every T ≠ S holding X and a third asset Z, every U on {Y, Z}.
        var bases = trading.Select(i => i.BaseAsset).ToArray();
        var quotes = trading.Select(i => i.QuoteAsset).ToArray();
        var mismatches = new List<string>();
        var total = 0;
        for (var s = 0; s < trading.Count; s++)
        {
            var (x, y) = (trading[s].BaseAsset, trading[s].QuoteAsset);
            var expected = new HashSet<string>(StringComparer.Ordinal);
            for (var t = 0; t < trading.Count; t++)
            {
                if (t == s || (bases[t] != x && quotes[t] != x) || bases[t] == y || quotes[t] == y)
                {
                    continue;
                }

                var z = bases[t] == x ? quotes[t] : bases[t];
                for (var u = 0; u < trading.Count; u++)
                {
                    if ((bases[u] == y && quotes[u] == z) || (bases[u] == z && quotes[u] == y))
                    {
                        expected.Add(Key(trading[s].Symbol, trading[t].Symbol, trading[u].Symbol));
                    }
                }
            }

            var indexed = new HashSet<string>(StringComparer.Ordinal);
            foreach (var id in universe.TrianglesOf(s))
            {
                var legs = universe.Triangles[id].Legs(TriangleDirection.Forward);
                indexed.Add(Key(legs[0].Instrument.Symbol, legs[1].Instrument.Symbol, legs[2].Instrument.Symbol));
            }

            total += indexed.Count;
            if (!indexed.SetEquals(expected) || indexed.Count != universe.TrianglesOf(s).Length)
            {
                mismatches.Add($"{trading[s].Symbol}: indexed {indexed.Count}, brute force {expected.Count}");
            }
        }

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(mismatches, Is.Empty);
            Assert.That(total, Is.EqualTo(3 * universe.Count), "each triangle is indexed under its three instruments");
        }
    }

    [Test]
    public void ShouldStartEachCycleAtThePreferredAssetAndChainItsLegs_ForEveryTriangle()
    {
        // Arrange
        var universe = new TriangleUniverse(TriangleData.Trading);
        var preferred = TriangleUniverse.PreferredStartAssets;
        var faults = new List<string>();

        // Act
        foreach (var t in universe.Triangles)
        {
            var assets = new[] { t.StartAsset, t.AssetA, t.AssetB };
            var firstPreferred = preferred.FirstOrDefault(assets.Contains);
            var expectedStart = firstPreferred ?? assets.Order(StringComparer.Ordinal).First();
            if (t.StartAsset != expectedStart || string.CompareOrdinal(t.AssetA, t.AssetB) >= 0)
            {
                faults.Add($"{t.Id}: start {t.StartAsset}, A {t.AssetA}, B {t.AssetB}");
            }

            foreach (var direction in new[] { TriangleDirection.Forward, TriangleDirection.Reverse })
            {
                var legs = t.Legs(direction);
                var path = string.Join('>', legs.Select(l => l.From).Append(legs[2].To));
                if (path != t.Path(direction) || legs[0].From != t.StartAsset || legs[2].To != t.StartAsset
                    || legs[0].To != legs[1].From || legs[1].To != legs[2].From)
                {
                    faults.Add($"{t.Id} {direction}: path {path} vs {t.Path(direction)}");
                }

                foreach (var leg in legs)
                {
                    var expectedSide = leg.Instrument.BaseAsset == leg.From ? OrderSide.Sell : OrderSide.Buy;
                    var pair = new[] { leg.Instrument.BaseAsset, leg.Instrument.QuoteAsset }.Order(StringComparer.Ordinal);
                    if (leg.Side != expectedSide || !pair.SequenceEqual(new[] { leg.From, leg.To }.Order(StringComparer.Ordinal)))
                    {
                        faults.Add($"{t.Id} {direction}: leg {leg}");
                    }
                }
            }
        }

        // Assert
        Assert.That(faults, Is.Empty);
    }

    [Test]
    public void ShouldFindNoTriangle_WhenAPairIsNotTraded()
    {
        // Arrange / Act: BTCUSDT and ETHBTC, but no ETH/USDT pair.
        var universe = new TriangleUniverse(
        [
            Spec("BTCUSDT", "BTC", "USDT"),
            Spec("ETHBTC", "ETH", "BTC"),
            Spec("BNBBTC", "BNB", "BTC"),
        ]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(universe.Count, Is.Zero);
            Assert.That(universe.TrianglesOf(0).Length, Is.Zero);
        }
    }

    [Test]
    public void ShouldStartAtTheSmallestAsset_WhenNoPreferredAssetIsInTheTriangle()
    {
        // Arrange / Act
        var universe = new TriangleUniverse([Spec("XRPEUR", "XRP", "EUR"), Spec("ADAEUR", "ADA", "EUR"), Spec("ADAXRP", "ADA", "XRP")]);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(universe.Count, Is.EqualTo(1));
            Assert.That(universe.Triangles[0].ForwardPath, Is.EqualTo("ADA>EUR>XRP>ADA"));
            Assert.That(universe.Triangles[0].ReversePath, Is.EqualTo("ADA>XRP>EUR>ADA"));
            Assert.That(universe.Triangles[0].Legs(TriangleDirection.Forward).Select(l => (l.Instrument.Symbol, l.Side)),
                Is.EqualTo(new[] { ("ADAEUR", OrderSide.Sell), ("XRPEUR", OrderSide.Buy), ("ADAXRP", OrderSide.Buy) }));
        }
    }

    internal static InstrumentSpec Spec(string symbol, string baseAsset, string quoteAsset) => new() { Symbol = symbol, BaseAsset = baseAsset, QuoteAsset = quoteAsset };

    private static string Key(params string[] symbols) => string.Join(',', symbols.Order(StringComparer.Ordinal));
}
