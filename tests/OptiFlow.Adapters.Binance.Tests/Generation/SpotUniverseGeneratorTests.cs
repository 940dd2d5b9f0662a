using System.Text.Json;
using System.Text.RegularExpressions;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Adapters.Binance.Tests.Generation;

/// <summary>
/// The spot universe generator over the real exchangeInfo (../shared/data): one 20,000-frame recording of the whole
/// universe, checked line by line with an independent JSON parse against the exchangeInfo's filters, the triangles'
/// consistency and the sidecar.
/// </summary>
[TestFixture]
public sealed partial class SpotUniverseGeneratorTests
{
    private const int Frames = 20_000;
    private const double FeeBps = 10;

    private static readonly SpotUniverseGeneratorOptions Options = new() { Seed = 7, FrameCount = Frames, MispricingCount = 12 };

    private TempDirectory? _temp;
    private ExchangeInfo _info = null!;
    private SpotGenerationSummary _summary = null!;
    private List<GeneratedSpotFrame> _frames = null!;
    private List<JsonElement> _sidecar = null!;
    private string _path = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        _info = GeneratedSpotData.ExchangeInfo();
        _temp = new TempDirectory("optiflow-generate");
        _path = _temp.File("universe.gz");
        _summary = GeneratedSpotData.Generate(_path, Options);
        _frames = GeneratedSpotData.ReadFrames(_path);
        _sidecar = [.. File.ReadAllLines(SpotUniverseGenerator.SidecarPath(_path)).Select(line => JsonDocument.Parse(line).RootElement)];
    }

    [OneTimeTearDown]
    public void RemoveFiles() => _temp?.Dispose();

    [Test]
    public void ShouldUseEveryTriangleSymbolAndCoverEveryTriangle_WhenGeneratingTheWholeUniverse()
    {
        using (Assert.EnterMultipleScope())
        {
            Assert.That(_summary.TradingSymbols, Is.EqualTo(1_340));
            Assert.That(_summary.Triangles, Is.EqualTo(2_207));
            Assert.That(_summary.TriangleSymbols, Is.EqualTo(1_305));
            Assert.That(_summary.Symbols, Has.Count.EqualTo(1_305), string.Join("; ", _summary.LeftOut));
            Assert.That(_summary.LeftOut, Is.Empty);
            Assert.That(_summary.TrianglesCovered, Is.EqualTo(2_207));
            Assert.That(_summary.Frames, Is.EqualTo(Frames));
            Assert.That(_frames, Has.Count.EqualTo(Frames));
            Assert.That(_frames.Select(f => f.Symbol).Distinct().Count(), Is.EqualTo(_summary.SymbolsWritten));
            Assert.That(_summary.Mispricings, Has.Count.EqualTo(12));
            Assert.That(_summary.MispricingsSkipped, Is.Zero);
        }
    }

    [Test]
    public void ShouldWriteTheSameBytes_WhenGeneratedTwiceWithTheSameSeed()
    {
        // Arrange
        var generator = new SpotUniverseGenerator(_info, Options);
        var other = new SpotUniverseGenerator(_info, new SpotUniverseGeneratorOptions { Seed = 8, FrameCount = Frames, MispricingCount = 12 });
        using var secondFile = new TempDirectory("optiflow-generate");

        // Act
        var (first, firstSidecar) = GenerateInMemory(generator);
        var (again, againSidecar) = GenerateInMemory(generator);
        var (otherSeed, _) = GenerateInMemory(other);
        generator.GenerateFile(secondFile.File("universe.gz"));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(again, Is.EqualTo(first), "same seed, same lines");
            Assert.That(againSidecar, Is.EqualTo(firstSidecar), "same seed, same sidecar");
            Assert.That(otherSeed, Is.Not.EqualTo(first), "another seed, other lines");
            Assert.That(File.ReadAllBytes(secondFile.File("universe.gz")), Is.EqualTo(File.ReadAllBytes(_path)), "same seed, same .gz (same runtime)");
            Assert.That(
                File.ReadAllBytes(SpotUniverseGenerator.SidecarPath(secondFile.File("universe.gz"))),
                Is.EqualTo(File.ReadAllBytes(SpotUniverseGenerator.SidecarPath(_path))));
        }
    }

    [Test]
    public void ShouldWriteBinanceSpotBookTickerLines_WhenGenerating()
    {
        var decimals = EightDecimals();
        foreach (var frame in _frames)
        {
            using (Assert.EnterMultipleScope())
            {
                Assert.That(frame.Stream, Is.EqualTo(frame.Symbol.ToLowerInvariant() + "@bookTicker"), $"line {frame.Line}");
                Assert.That(frame.TimestampNs, Is.EqualTo(Options.StartTimestampNs + ((frame.Line - 1) * Options.FrameSpacingNs)), $"line {frame.Line}");
                Assert.That(frame.Text, Has.All.Match(decimals), $"line {frame.Line}");
            }
        }
    }

    [Test]
    public void ShouldPutEveryPriceOnItsTickWithinThePriceFilter_WhenGenerating()
    {
        foreach (var frame in _frames)
        {
            var price = Info(frame.Symbol).PriceFilter!.Value;
            using (Assert.EnterMultipleScope())
            {
                Assert.That((frame.Bid - price.MinPrice) % price.TickSize, Is.Zero, $"line {frame.Line}: bid on the tick grid");
                Assert.That((frame.Ask - price.MinPrice) % price.TickSize, Is.Zero, $"line {frame.Line}: ask on the tick grid");
                Assert.That(frame.Bid, Is.GreaterThanOrEqualTo(Math.Max(price.MinPrice, price.TickSize)), $"line {frame.Line}");
                Assert.That(frame.Ask, Is.LessThanOrEqualTo(price.MaxPrice > 0 ? price.MaxPrice : long.MaxValue), $"line {frame.Line}");
                Assert.That(frame.Bid, Is.LessThan(frame.Ask), $"line {frame.Line}: bid below ask");
                Assert.That(frame.Ask - frame.Bid, Is.InRange(price.TickSize * Options.MinSpreadTicks, price.TickSize * Options.MaxSpreadTicks), $"line {frame.Line}: spread in ticks");
                Assert.That(frame.Bid / price.TickSize, Is.GreaterThanOrEqualTo(990), $"line {frame.Line}: a price well above its tick");
            }
        }
    }

    [Test]
    public void ShouldPutEveryQuantityOnItsStepWithinTheLotSizeAndNotional_WhenGenerating()
    {
        foreach (var frame in _frames)
        {
            var info = Info(frame.Symbol);
            var lot = info.LotSize!.Value;
            var minNotional = info.Notional?.MinNotional ?? 0;
            foreach (var (quantity, price) in new[] { (frame.BidQuantity, frame.Bid), (frame.AskQuantity, frame.Ask) })
            {
                using (Assert.EnterMultipleScope())
                {
                    Assert.That((quantity - lot.MinQty) % lot.StepSize, Is.Zero, $"line {frame.Line}: on the step grid");
                    Assert.That(quantity % lot.StepSize, Is.Zero, $"line {frame.Line}: a multiple of the step");
                    Assert.That(quantity, Is.InRange(Math.Max(lot.MinQty, lot.StepSize), lot.MaxQty), $"line {frame.Line}");
                    Assert.That((Int128)quantity * price, Is.GreaterThanOrEqualTo((Int128)minNotional * FixedPoint.Scale), $"line {frame.Line}: notional");
                }
            }
        }
    }

    [Test]
    public void ShouldIncreaseUpdateIdsPerSymbol_WhenGenerating()
    {
        var last = new Dictionary<string, long>();
        foreach (var frame in _frames)
        {
            if (last.TryGetValue(frame.Symbol, out var previous))
            {
                Assert.That(frame.UpdateId, Is.GreaterThan(previous), $"line {frame.Line}: {frame.Symbol}'s u");
            }

            last[frame.Symbol] = frame.UpdateId;
        }
    }

    [Test]
    public void ShouldKeepEveryTriangleConsistentAndWithoutEdge_WhenNoMispricingIsVisible()
    {
        // Arrange: the asset triangles of the universe, found here from the exchangeInfo, not by the generator.
        var triangles = new Triangles(_summary.Symbols, _info);
        var visible = _summary.Mispricings.Select(m => (m.Frame, m.EndFrame)).ToList();
        var quotes = new Dictionary<string, (long Bid, long Ask)>();
        var checkedTriangles = 0L;
        var worstDeviationBps = 0.0;
        var bestEdgeBps = double.NegativeInfinity;

        // Act
        foreach (var frame in _frames)
        {
            quotes[frame.Symbol] = (frame.Bid, frame.Ask);
            if (visible.Exists(w => frame.Line >= w.Frame && frame.Line < w.EndFrame))
            {
                continue;
            }

            foreach (var triangle in triangles.Through(frame.Symbol))
            {
                if (!triangle.Symbols.All(quotes.ContainsKey))
                {
                    continue;
                }

                checkedTriangles++;
                worstDeviationBps = Math.Max(worstDeviationBps, Math.Abs(Math.Log(triangles.MidProduct(triangle, quotes))) * 10_000);
                bestEdgeBps = Math.Max(bestEdgeBps, triangles.BestEdgeBps(triangle, quotes, FeeBps));
            }
        }

        // Assert: tick rounding (~1 bp a leg) and stale quotes keep a triangle within a few bps; fees keep every edge negative.
        using (Assert.EnterMultipleScope())
        {
            Assert.That(checkedTriangles, Is.GreaterThan(50_000));
            Assert.That(worstDeviationBps, Is.LessThan(25), "product of the mids around a triangle ≈ 1");
            Assert.That(bestEdgeBps, Is.LessThan(0), "no background triangle gains after three 10 bps fees");
            Assert.That(worstDeviationBps, Is.LessThanOrEqualTo(_summary.MaxBackgroundDeviationBps + 1e-9), "the summary's figure covers these frames (and more)");
            Assert.That(_summary.MaxBackgroundEdgeBps, Is.LessThan(0), "the summary's figure");
        }
    }

    [Test]
    public void ShouldShowEachMispricingAtItsFrameWithItsShift_WhenReadingTheSidecar()
    {
        // Arrange
        var triangles = new Triangles(_summary.Symbols, _info);
        var byLine = _frames.ToDictionary(f => f.Line);
        Assert.That(_sidecar, Has.Count.EqualTo(_summary.Mispricings.Count));
        foreach (var entry in _sidecar)
        {
            var frameIndex = entry.GetProperty("frame").GetInt64();
            var symbol = entry.GetProperty("symbol").GetString()!;
            var endFrame = entry.GetProperty("endFrame").GetInt64();
            var shift = entry.GetProperty("shiftBps").GetDouble() * (entry.GetProperty("direction").GetString() == "rich" ? 1 : -1);
            var frame = byLine[entry.GetProperty("line").GetInt64()];
            var fairMid = (GeneratedSpotData.Units(entry.GetProperty("fairBid").GetString()!) + GeneratedSpotData.Units(entry.GetProperty("fairAsk").GetString()!)) / 2.0;
            var tickBps = Info(symbol).PriceFilter!.Value.TickSize / fairMid * 10_000;

            // The quotes the file shows just after the frame.
            var quotes = new Dictionary<string, (long Bid, long Ask)>();
            foreach (var f in _frames.TakeWhile(f => f.Line <= frameIndex))
            {
                quotes[f.Symbol] = (f.Bid, f.Ask);
            }

            var end = byLine[endFrame];
            var listed = entry.GetProperty("triangles").EnumerateArray().ToList();
            var expected = triangles.Through(symbol).Where(t => t.Symbols.All(quotes.ContainsKey)).Select(t => string.Join(",", t.Symbols.Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal);

            // Assert
            using (Assert.EnterMultipleScope())
            {
                Assert.That(frameIndex, Is.EqualTo(frame.Line));
                Assert.That(frame.Symbol, Is.EqualTo(symbol), $"frame {frameIndex}");
                Assert.That(frame.UpdateId, Is.EqualTo(entry.GetProperty("u").GetInt64()), $"frame {frameIndex}");
                Assert.That(frame.TimestampNs, Is.EqualTo(entry.GetProperty("timestampNs").GetInt64()), $"frame {frameIndex}");
                Assert.That(frame.Text[0], Is.EqualTo(entry.GetProperty("bid").GetString()), $"frame {frameIndex}");
                Assert.That(frame.Text[2], Is.EqualTo(entry.GetProperty("ask").GetString()), $"frame {frameIndex}");
                Assert.That(((frame.Bid + frame.Ask) / 2.0 / fairMid - 1) * 10_000, Is.EqualTo(shift).Within((2 * tickBps) + 0.01), $"frame {frameIndex}: the stated shift");
                Assert.That(endFrame, Is.EqualTo(frameIndex + Options.MispricingFrames));
                Assert.That(end.Symbol, Is.EqualTo(symbol), $"the fair quote is written again at frame {endFrame}");
                Assert.That(Math.Abs(((end.Bid + end.Ask) / 2.0 / fairMid - 1) * 10_000), Is.LessThan(Math.Abs(shift) / 4), $"frame {endFrame}: restored");
                Assert.That(listed.Select(t => string.Join(",", t.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()).Order(StringComparer.Ordinal))).Order(StringComparer.Ordinal), Is.EqualTo(expected), $"frame {frameIndex}: every triangle with known legs");
                Assert.That(listed[0].GetProperty("edgeBps").GetDouble(), Is.GreaterThan(0), $"frame {frameIndex}: the best triangle gains after fees");
                foreach (var t in listed)
                {
                    var path = t.GetProperty("path").EnumerateArray().Select(a => a.GetString()!).ToArray();
                    var legs = t.GetProperty("symbols").EnumerateArray().Select(s => s.GetString()!).ToArray();
                    Assert.That(triangles.EdgeBps(path, legs, quotes, FeeBps), Is.EqualTo(t.GetProperty("edgeBps").GetDouble()).Within(1e-5), $"frame {frameIndex}: {string.Join(">", path)}");
                }
            }
        }
    }

    [Test]
    public void ShouldTakeTheSymbolsOfTheMostConnectedAssets_WhenMaxSymbolsIsGiven()
    {
        // Act
        var generator = new SpotUniverseGenerator(_info, new SpotUniverseGeneratorOptions { MaxSymbols = 30 });
        var triangles = new Triangles(generator.Symbols, _info);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(generator.Symbols, Has.Count.InRange(20, 30));
            Assert.That(generator.Symbols, Does.Contain("BTCUSDT").And.Contain("ETHBTC").And.Contain("ETHUSDT"));
            Assert.That(generator.Symbols, Has.All.Matches<string>(s => triangles.Through(s).Any()), "every symbol is in a triangle of the subset");
        }
    }

    [Test]
    public void ShouldRefuseAFuturesExchangeInfo_WhenConstructed()
    {
        // Arrange
        var futures = new ExchangeInfo(Market.Futures, 0, [], []);

        // Act, Assert
        Assert.Throws<ArgumentException>(() => _ = new SpotUniverseGenerator(futures, new SpotUniverseGeneratorOptions()));
    }

    [TestCase(0, 1, 10)]
    [TestCase(1_000, 0, 10)]
    [TestCase(1_000, 1, 0)]
    [TestCase(1_000, 100, 50)]
    public void ShouldRefuseOptions_WhenOutOfRange(int frames, int mispricingFrames, int maxSymbols)
    {
        // Arrange
        var options = new SpotUniverseGeneratorOptions { FrameCount = frames, MispricingFrames = mispricingFrames, MaxSymbols = maxSymbols, MispricingCount = 10 };

        // Act, Assert
        Assert.Throws<ArgumentOutOfRangeException>(options.Validate);
    }

    private static (byte[] Lines, byte[] Sidecar) GenerateInMemory(SpotUniverseGenerator generator)
    {
        using var lines = new MemoryStream();
        using var sidecar = new MemoryStream();
        generator.Generate(lines, sidecar);
        return (lines.ToArray(), sidecar.ToArray());
    }

    private SymbolInfo Info(string symbol) => _info.TryGetSymbol(symbol, out var info) ? info : throw new KeyNotFoundException(symbol);

    [GeneratedRegex(@"^[0-9]+\.[0-9]{8}$")]
    private static partial Regex EightDecimals();
}
