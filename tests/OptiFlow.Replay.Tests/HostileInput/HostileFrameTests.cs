using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;
using static OptiFlow.Replay.Tests.HostileInput.HostileRecording;

namespace OptiFlow.Replay.Tests.HostileInput;

/// <summary>
/// Issue 16, silent wrong results: frames that Binance never sends (a non-positive price, a negative or a misplaced
/// zero quantity, a stream naming another symbol than its payload) are typed decode errors at their file and line,
/// exit code 1, applied to nobody; a diff delivered twice is a counted duplicate, not a gap and not a data error.
/// Each case runs a session of two files, the edited BTCUSDT copy and an untouched ETHUSDT one, through
/// <c>optiflow book</c> and the host, and compares with the clean session.
/// </summary>
[TestFixture]
public sealed class HostileFrameTests
{
    private TempDirectory _temp = null!;
    private string _eth = null!;
    private string _cleanBook = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("hostile-frames");
        _eth = _temp.File("eth.txt");
        RecordingLines.Write(_eth, Eth);
        var btc = _temp.File("clean-btc.txt");
        RecordingLines.Write(btc, Btc);
        var clean = RunCli("book", "--market", "futures", btc, _eth);
        Assert.That(clean.Exit, Is.EqualTo(OptiFlowCommand.Success), clean.Error);
        _cleanBook = clean.Output;
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    public static IEnumerable<TestCaseData> OutOfRange()
    {
        yield return Case("a negative quantity in a diff", DecodeErrorCode.NegativeQuantity, lines =>
        {
            var i = DiffsWithBids(lines)[40];
            return (i, WithFirstBid(lines[i], "\"28000.0\",\"-1.000\"]"));
        });
        yield return Case("a zero price in a diff", DecodeErrorCode.NonPositivePrice, lines =>
        {
            var i = DiffsWithBids(lines)[40];
            return (i, WithFirstBid(lines[i], "\"0.0\",\"1.000\"]"));
        });
        yield return Case("a negative price in a diff", DecodeErrorCode.NonPositivePrice, lines =>
        {
            var i = DiffsWithBids(lines)[40];
            return (i, WithFirstBid(lines[i], "\"-28000.0\",\"1.000\"]"));
        });
        yield return Case("a zero quantity in the snapshot", DecodeErrorCode.ZeroQuantity, lines =>
        {
            var i = RecordingLines.SnapshotIndex(lines);
            return (i, WithFirstBid(lines[i], "\"28000.0\",\"0\"]"));
        });
        yield return Case("a negative bid price in a bookTicker", DecodeErrorCode.NonPositivePrice, lines =>
        {
            var i = RecordingLines.IndexesOf(lines, "@bookTicker")[100];
            return (i, WithField(lines[i], "b", "\"-1.0\""));
        });
        yield return Case("a zero quantity in a trade", DecodeErrorCode.ZeroQuantity, lines =>
        {
            var i = RecordingLines.IndexesOf(lines, "@trade")[100];
            return (i, WithField(lines[i], "q", "\"0.000\""));
        });

        static TestCaseData Case(string name, DecodeErrorCode code, Func<List<string>, (int Index, string Line)> edit) =>
            new TestCaseData(code, edit).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(OutOfRange))]
    public void ShouldReportTypedErrorAtFileAndLineAndApplyNothing_WhenAValueIsOutOfRange(DecodeErrorCode code, Func<List<string>, (int Index, string Line)> edit)
    {
        // Arrange
        var lines = Btc;
        var (index, line) = edit(lines);
        Assert.That(line, Is.Not.EqualTo(lines[index]), "the edit applied");
        lines[index] = line;
        var btc = _temp.File("btc.txt");
        RecordingLines.Write(btc, lines);
        var signals = new CapturingOutboundHandler();

        // Act
        var (exit, output, error) = RunCli("book", "--market", "futures", btc, _eth);
        var run = HostedRun.Run(Market.Futures, [btc, _eth], new EngineOptions { OutboundHandlers = [signals] });

        // Assert: reported once, at its line; no level at or below zero in any book; OBI inside [-1, 1].
        var btcState = run.Core.Symbols.Single(s => run.Symbols.NameOf(s.SymbolId) == "BTCUSDT");
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(error, Does.Contain($"{btc}:{index + 1}: {code} at byte "));
            Assert.That(run.Core.ErrorsOfCode(code), Is.EqualTo(1));
            Assert.That(run.Core.DecodeErrors, Is.EqualTo(1));
            Assert.That(BookLine(output, "ETHUSDT"), Is.EqualTo(BookLine(_cleanBook, "ETHUSDT")), "the other symbol is untouched");
            foreach (var state in run.Core.Symbols)
            {
                var book = state.Book;
                Assert.That(Enumerable.Range(0, book.Bids.Count).All(d => book.Bids.PriceAt(d) > 0 && book.Bids.QuantityAt(d) > 0), "bids positive");
                Assert.That(Enumerable.Range(0, book.Asks.Count).All(d => book.Asks.PriceAt(d) > 0 && book.Asks.QuantityAt(d) > 0), "asks positive");
            }

            Assert.That(signals.Signals.All(s => s.Obi1 is >= -1 and <= 1 && s.Obi5 is >= -1 and <= 1 && s.Obi10 is >= -1 and <= 1), "OBI in [-1, 1]");
            Assert.That(btcState.LastBookTicker.BidPrice, Is.Positive);
        });
    }

    [Test]
    public void ShouldReportStreamSymbolMismatchAndLeaveBothBooksClean_WhenAFrameOnEthStreamCarriesBtc()
    {
        // Arrange: a BTCUSDT diff re-labelled as ethusdt@depth, inserted in the ETHUSDT file (read after the BTCUSDT
        // one). Before issue 16 it was applied to BTCUSDT, its payload's symbol, and broke that book's pu chain.
        var btcLines = Btc;
        var foreign = btcLines[DiffsWithBids(btcLines)[300]].Replace("btcusdt@depth", "ethusdt@depth", StringComparison.Ordinal);
        var ethLines = Eth;
        var at = DiffsWithBids(ethLines)[100] + 1;
        ethLines.Insert(at, foreign);
        var eth = _temp.File("eth-with-foreign.txt");
        RecordingLines.Write(eth, ethLines);
        var btc = _temp.File("clean-btc.txt");

        // Act
        var (exit, output, error) = RunCli("book", "--market", "futures", btc, eth);
        var run = HostedRun.Run(Market.Futures, [btc, eth]);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
            Assert.That(error, Does.Contain($"{eth}:{at + 1}: StreamSymbolMismatch at byte "));
            Assert.That(run.Core.ErrorsOfCode(DecodeErrorCode.StreamSymbolMismatch), Is.EqualTo(1));
            Assert.That(run.Core.DecodeErrors, Is.EqualTo(1));
            Assert.That(run.Core.Symbols.Sum(s => s.Gaps), Is.Zero, "applied to nobody: no chain broken");
            Assert.That(BookLine(output, "BTCUSDT"), Is.EqualTo(BookLine(_cleanBook, "BTCUSDT")));
            Assert.That(BookLine(output, "ETHUSDT"), Is.EqualTo(BookLine(_cleanBook, "ETHUSDT")));
        });
    }

    [Test]
    public void ShouldCountDuplicatesAndExitZeroWithTheCleanOutput_WhenDiffsAreDeliveredTwice()
    {
        // Arrange: one diff repeated at once, another re-delivered ten diffs later.
        var lines = Btc;
        var diffs = DiffsWithBids(lines);
        var later = lines[diffs[200]];
        lines.Insert(diffs[210] + 1, later);
        lines.Insert(diffs[100] + 1, lines[diffs[100]]);
        var btc = _temp.File("btc.txt");
        RecordingLines.Write(btc, lines);
        var cleanSignals = RunCli("signals", "--market", "futures", _temp.File("clean-btc.txt"), _eth);

        // Act
        var book = RunCli("book", "--market", "futures", btc, _eth);
        var signals = RunCli("signals", "--market", "futures", btc, _eth);
        var run = RunCli("run", "--market", "futures", "--journal", _temp.File("journal"), btc, _eth);

        // Assert: not a gap, not a loss, not a data error; the books and signals are the clean run's, byte for byte.
        Assert.Multiple(() =>
        {
            Assert.That(book.Exit, Is.EqualTo(OptiFlowCommand.Success), book.Error);
            Assert.That(book.Output, Is.EqualTo(_cleanBook));
            Assert.That(signals.Exit, Is.EqualTo(OptiFlowCommand.Success), signals.Error);
            Assert.That(signals.Output, Is.EqualTo(cleanSignals.Output));
            Assert.That(run.Exit, Is.EqualTo(OptiFlowCommand.Success), run.Output);
            Assert.That(run.Output, Does.Contain("gaps 0").And.Contain("duplicate diffs dropped 2 (not a loss)"));
            Assert.That(run.Output, Does.Contain("replay verdict: IDENTICAL"));
        });
    }
}
