using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Model;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Testing;
using static OptiFlow.Replay.Tests.HostileInput.HostileRecording;

namespace OptiFlow.Replay.Tests.HostileInput;

/// <summary>
/// Issue 16, damaged compressed input: a gzip recording with a flipped byte, cut inside its data, or cut in its
/// trailer ends with one line naming the file and the line (exit code 1), keeps everything before the damage, and
/// goes on with the session's next file, whose symbol's book is the clean run's.
/// </summary>
[TestFixture]
public sealed class DamagedGzipTests
{
    private TempDirectory _temp = null!;
    private string _btc = null!;
    private string _eth = null!;
    private byte[] _btcBytes = null!;

    [SetUp]
    public void SetUp()
    {
        _temp = new TempDirectory("hostile-gzip");
        _btc = _temp.File("btc.gz");
        _eth = _temp.File("eth.gz");
        _btcBytes = WriteGzip(_btc, Btc);
        WriteGzip(_eth, Eth);
    }

    [TearDown]
    public void TearDown() => _temp.Dispose();

    public static IEnumerable<TestCaseData> Damages()
    {
        yield return new TestCaseData("cut in its data", (Func<byte[], byte[]>)(b => b[..(b.Length / 2)]), DecodeErrorCode.TruncatedInput, "gzip stream truncated")
            .SetName("ShouldExitOneNamingFileAndLineAndKeepTheNextFile_WhenAGzipIsCutInsideItsData");
        yield return new TestCaseData("cut in its trailer", (Func<byte[], byte[]>)(b => b[..^3]), DecodeErrorCode.TruncatedInput, "gzip stream truncated")
            .SetName("ShouldExitOneNamingFileAndLineAndKeepTheNextFile_WhenOnlyTheGzipTrailerIsCut");
        yield return new TestCaseData("a flipped byte", (Func<byte[], byte[]>)(b => Flip(b, b.Length / 2)), DecodeErrorCode.CorruptInput, "gzip data damaged")
            .SetName("ShouldExitOneNamingFileAndLineAndKeepTheNextFile_WhenAGzipByteIsFlipped");
    }

    [TestCaseSource(nameof(Damages))]
    public void ShouldExitOneNamingFileAndLineAndKeepTheNextFile(string damage, Func<byte[], byte[]> edit, DecodeErrorCode code, string words)
    {
        // Arrange: session [btc (damaged), eth]; the clean session is [btc, eth].
        var damaged = _temp.File("damaged.gz");
        File.WriteAllBytes(damaged, edit(_btcBytes));
        var clean = RunCli("book", "--market", "futures", _btc, _eth);

        // Act
        var (exit, output, error) = RunCli("book", "--market", "futures", damaged, _eth);
        var run = HostedRun.Run(Market.Futures, [damaged, _eth], new EngineOptions { JournalDirectory = _temp.File("journal") });
        var replay = JournalReplayer.Replay(_temp.File("journal"));

        // Assert
        var message = error.Split('\n')[0];
        var reported = run.Core.RecordedErrors.ToArray().Single(e => e.Code == code);
        Assert.Multiple(() =>
        {
            Assert.That(clean.Exit, Is.EqualTo(OptiFlowCommand.Success), clean.Error);
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors), damage);
            Assert.That(message, Does.StartWith($"optiflow: {damaged}: {words}").And.Contain($"line {reported.Line},"), "one line: the file, what, where");
            Assert.That(error, Does.Contain($"{damaged}:{reported.Line}: {code} at byte 0"), "listed with the decode errors");
            Assert.That(run.DamagedInputs, Has.Count.EqualTo(1));
            Assert.That(run.DamagedInputs[0].Code, Is.EqualTo(code));
            Assert.That((reported.FileIndex, reported.Line), Is.EqualTo((0, run.DamagedInputs[0].Line)));
            Assert.That(BookLine(output, "ETHUSDT"), Is.EqualTo(BookLine(clean.Output, "ETHUSDT")), "the next file's symbol is untouched");
            Assert.That(run.HadDataErrors, Is.True);
            Assert.That(replay.Identical, Is.True, "the journal holds what was read, the damage included");
            Assert.That(replay.Core.ErrorsOfCode(code), Is.EqualTo(1));
        });
    }

    [Test]
    public void ShouldKeepEveryLineBeforeTheCut_WhenOnlyTheGzipTrailerIsCut()
    {
        // Arrange: every line is intact, only the trailer's last 3 bytes are gone.
        var damaged = _temp.File("no-trailer.gz");
        File.WriteAllBytes(damaged, _btcBytes[..^3]);
        var cleanSignals = new CapturingOutboundHandler();
        var signals = new CapturingOutboundHandler();

        // Act
        var clean = HostedRun.Run(Market.Futures, [_btc], new EngineOptions { OutboundHandlers = [cleanSignals] });
        var run = HostedRun.Run(Market.Futures, [damaged], new EngineOptions { OutboundHandlers = [signals] });

        // Assert: nothing decoded before the damage is lost, and the damage is still reported.
        Assert.Multiple(() =>
        {
            Assert.That(run.DamagedInputs.Single().LinesRead, Is.EqualTo(Btc.Count));
            Assert.That(signals.Signals, Is.EqualTo(cleanSignals.Signals));
            Assert.That(run.BooksDigest, Is.EqualTo(clean.BooksDigest));
            Assert.That(run.Core.DecodeErrors, Is.EqualTo(1));
            Assert.That(run.HadDataErrors, Is.True);
        });
    }

    [Test]
    public void ShouldKeepThePrefixOfSignals_WhenAGzipIsCutInsideItsData()
    {
        // Arrange
        var damaged = _temp.File("half.gz");
        File.WriteAllBytes(damaged, _btcBytes[..(_btcBytes.Length / 2)]);
        var cleanSignals = new CapturingOutboundHandler();
        var signals = new CapturingOutboundHandler();

        // Act
        HostedRun.Run(Market.Futures, [_btc], new EngineOptions { OutboundHandlers = [cleanSignals] });
        var run = HostedRun.Run(Market.Futures, [damaged], new EngineOptions { OutboundHandlers = [signals] });

        // Assert: the session stopped at the cut with the same signals the clean run had up to there.
        Assert.Multiple(() =>
        {
            Assert.That(signals.Signals, Is.Not.Empty);
            Assert.That(signals.Signals, Has.Count.LessThan(cleanSignals.Signals.Count));
            Assert.That(signals.Signals, Is.EqualTo(cleanSignals.Signals.Take(signals.Signals.Count)));
            Assert.That(run.Frames, Is.EqualTo(run.DamagedInputs.Single().LinesRead + 1), "every complete line, plus the damage event");
        });
    }

    [Test]
    public void ShouldPrintTheDamageInTheReportAndReplayIdentically_WhenRunIsGivenADamagedGzip()
    {
        // Arrange
        var damaged = _temp.File("flip.gz");
        File.WriteAllBytes(damaged, Flip(_btcBytes, _btcBytes.Length / 3));

        // Act
        var (exit, output, error) = RunCli("run", "--market", "futures", "--journal", _temp.File("run-journal"), damaged, _eth);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors), error);
            Assert.That(output, Does.Contain($"optiflow: {damaged}: gzip data damaged"));
            Assert.That(output, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(error, Is.Empty, "no stack trace, nothing unhandled");
        });
    }

    private static byte[] Flip(byte[] bytes, int at)
    {
        var copy = (byte[])bytes.Clone();
        copy[at] ^= 0xFF;
        return copy;
    }
}
