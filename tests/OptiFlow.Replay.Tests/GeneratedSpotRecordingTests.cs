using NUnit.Framework;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// A generated spot universe (1,305 symbols, more than a default symbol table holds) as the engine reads it: opened with
/// the format, market and every symbol detected from the data, run through a session without a decode error, and written
/// by <c>optiflow generate spot</c>.
/// </summary>
[TestFixture]
public sealed class GeneratedSpotRecordingTests
{
    private const int Frames = 20_000;

    private TempDirectory? _temp;
    private string _path = null!;
    private SpotGenerationSummary _summary = null!;

    [OneTimeSetUp]
    public void Generate()
    {
        _temp = new TempDirectory("optiflow-generated");
        _path = _temp.File("universe.gz");
        _summary = GeneratedSpotData.Generate(_path, new SpotUniverseGeneratorOptions { Seed = 3, FrameCount = Frames });
    }

    [OneTimeTearDown]
    public void RemoveFiles() => _temp?.Dispose();

    [Test]
    public void ShouldOpenAsSpotHftbacktestWithEverySymbol_WhenTheRecordingHasMoreSymbolsThanTheDefaultTable()
    {
        // Act
        var input = RecordingInput.Open(_path);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(input.Format, Is.EqualTo(RecordingFormat.Hftbacktest));
            Assert.That(input.Market, Is.EqualTo(Market.Spot), "spot bookTicker frames carry no event type");
            Assert.That(_summary.SymbolsWritten, Is.GreaterThan(SymbolTable.DefaultCapacity));
            Assert.That(input.Symbols.Count, Is.EqualTo(_summary.SymbolsWritten));
            Assert.That(input.Symbols.Capacity, Is.EqualTo(2 * SymbolTable.DefaultCapacity));
            Assert.That(_summary.Symbols, Has.All.Matches<string>(s => input.Symbols.TryGet(System.Text.Encoding.ASCII.GetBytes(s), out _)));
        }
    }

    [Test]
    public void ShouldRunEveryFrameWithoutDecodeErrors_WhenASessionReadsTheRecording()
    {
        // Arrange
        var last = new Dictionary<string, GeneratedSpotFrame>();
        foreach (var frame in GeneratedSpotData.ReadFrames(_path))
        {
            last[frame.Symbol] = frame;
        }

        // Act
        var result = HostedRun.Run(RecordingInput.Open(_path));

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(result.Market, Is.EqualTo(Market.Spot));
            Assert.That(result.Core.DecodeErrors, Is.Zero);
            Assert.That(result.HadDataErrors, Is.False);
            Assert.That(result.Frames, Is.EqualTo(Frames));
            Assert.That(result.Core.EventsOfKind(MarketEventKind.BookTicker), Is.EqualTo(Frames));
            foreach (var state in result.Core.Symbols)
            {
                var expected = last[result.Symbols.NameOf(state.SymbolId)];
                var ticker = state.LastBookTicker;
                Assert.That((ticker.FinalUpdateId, ticker.BidPrice, ticker.BidQuantity, ticker.AskPrice, ticker.AskQuantity), Is.EqualTo((expected.UpdateId, expected.Bid, expected.BidQuantity, expected.Ask, expected.AskQuantity)), expected.Symbol);
            }
        }
    }

    [Test]
    public void ShouldDetectTheMarketFromABookTicker_WhenTheRecordingHasNoDepthUpdate()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-generated");
        var futures = temp.File("futures");
        File.WriteAllText(futures, """1 {"stream":"btcusdt@bookTicker","data":{"e":"bookTicker","u":5123107839020,"s":"BTCUSDT","b":"61800.20","B":"2.507","a":"61800.30","A":"2.510","T":1723161256313,"E":1723161256313}}""" + "\n");
        var spot = temp.File("spot");
        File.WriteAllText(spot, """1 {"stream":"btcusdt@bookTicker","data":{"u":50093239212,"s":"BTCUSDT","b":"61837.63000000","B":"3.78826000","a":"61837.64000000","A":"1.54698000"}}""" + "\n");
        var trades = temp.File("trades");
        File.WriteAllText(trades, """1 {"stream":"btcusdt@trade","data":{"e":"trade","E":1,"s":"BTCUSDT","t":1,"p":"1","q":"1","m":true}}""" + "\n");

        // Act, Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(RecordingInput.Open(futures).Market, Is.EqualTo(Market.Futures));
            Assert.That(RecordingInput.Open(spot).Market, Is.EqualTo(Market.Spot));
            Assert.That(() => RecordingInput.Open(trades), Throws.TypeOf<InvalidDataException>().With.Message.Contains("give the market"));
        }
    }

    [Test]
    public void ShouldWriteTheRecordingAndSidecarAndPrintASummary_WhenGenerateSpotRuns()
    {
        // Arrange
        var exchangeInfo = RecordingData.Require(GeneratedSpotData.ExchangeInfoPath);
        using var temp = new TempDirectory("optiflow-generated");
        var path = temp.File("small.gz");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["generate", "spot", "--exchange-info", exchangeInfo, "--out", path, "--seed", "5", "--frames", "4000", "--symbols", "40", "--mispricings", "3", "--mispricing-bps", "80"], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(text, Does.Contain("4,000 bookTicker frames").And.Contain("seed 5"));
            Assert.That(text, Does.Match(@"universe: [0-9]+ symbols .* of the 1,305 TRADING symbols in a triangle \(1,340 TRADING\); [0-9,]+ of 2,207 triangles covered"));
            Assert.That(text, Does.Contain("mispricings: 3 injected").And.Contain("±80 bps"));
            Assert.That(GeneratedSpotData.ReadFrames(path), Has.Count.EqualTo(4_000));
            Assert.That(File.ReadAllLines(SpotUniverseGenerator.SidecarPath(path)), Has.Length.EqualTo(3));
        }
    }

    [TestCase("--frames", "0", "--frames")]
    [TestCase("--symbols", "2", "--symbols")]
    [TestCase("--mispricing-bps", "-5", "--mispricing-bps")]
    [TestCase("--mispricings", "1000", "--mispricings")]
    [TestCase("--exchange-info", "/nonexistent/exchangeInfo.json", "not found")]
    public void ShouldExitWithUsage_WhenAnOptionIsWrong(string option, string value, string expected)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-generated");
        string[] args = ["generate", "spot", "--exchange-info", temp.File("absent.json"), "--out", temp.File("x.gz")];
        if (option == "--exchange-info")
        {
            args[3] = value;
        }
        else
        {
            args = [.. args, option, value];
        }

        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(args, output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output.ToString());
        Assert.That(error.ToString(), Does.StartWith("optiflow: ").And.Contain(expected));
        Assert.That(File.Exists(temp.File("x.gz")), Is.False, "nothing written");
    }

    [Test]
    public void ShouldExitWithUsage_WhenTheExchangeInfoIsFutures()
    {
        // Arrange
        var futures = RecordingData.Require("AlphaDogsResearch-Coinbase-Python/futures_exchange_info.json");
        using var temp = new TempDirectory("optiflow-generated");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["generate", "spot", "--exchange-info", futures, "--out", temp.File("x.gz")], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain("spot exchangeInfo"));
    }
}
