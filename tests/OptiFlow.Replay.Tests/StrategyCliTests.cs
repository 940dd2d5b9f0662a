using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Strategies from the command line: <c>run --obi-maker</c> emits order commands that are journaled, reported, and
/// reproduced byte for byte by the run's own replay and by <c>optiflow replay --compare</c> (which rebuilds the strategy
/// from the session header); strategy options are checked before anything runs.
/// </summary>
[TestFixture]
public sealed class StrategyCliTests
{
    private static string Demo => OptiFlowCommand.DemoRecording;

    [Test]
    public void ShouldJournalReportAndReproduceTheMakersOrders_WhenRunWithTheObiMaker()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var journal = temp.File("journal");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", journal, "--obi-maker", "0.6", "--cooldown-ms", "500", Demo], output, error);
        var (replayOutput, replayError) = (new StringWriter(), new StringWriter());
        var replayExit = OptiFlowCommand.Run(["replay", journal, "--compare"], replayOutput, replayError);
        var scan = JournalScanner.Scan(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName));

        // Assert
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), text + error);
            Assert.That(scan.OrderCommands, Is.GreaterThan(10), "the maker quoted and cancelled on the demo recording");
            Assert.That(text, Does.Contain($"order commands {scan.OrderCommands,8:N0}"), "the report counts what the journal holds");
            Assert.That(text, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(text, Does.Contain($"compare: identical: {4_322 + scan.OrderCommands} outbound records"));
            Assert.That(replayExit, Is.EqualTo(OptiFlowCommand.Success), replayOutput.ToString() + replayError);
            Assert.That(replayOutput.ToString(), Does.Contain($"compare: identical: {4_322 + scan.OrderCommands} outbound records"));
        }
    }

    [Test]
    [Category("Data")]
    public void ShouldTradeTheInjectedMispricingsAndReproduceThem_WhenRunWithTheTriangleTaker()
    {
        // Arrange: a generated spot universe with mispricings.
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var exchangeInfo = RecordingData.Require(GeneratedSpotData.ExchangeInfoPath);
        var file = temp.File("universe.gz");
        GeneratedSpotData.Generate(file, new Adapters.Binance.Generation.SpotUniverseGeneratorOptions { Seed = 5, FrameCount = 30_000, MispricingCount = 8 });
        var journal = temp.File("journal");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "spot", "--journal", journal, "--triangle-taker", "0", "--exchange-info", exchangeInfo, "--cooldown-ms", "0", file], output, error);
        var scan = JournalScanner.Scan(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName));
        var (export, exportError) = (new StringWriter(), new StringWriter());
        var exportExit = OptiFlowCommand.Run(["journal", "export", journal, "--evaluators"], export, exportError);
        var rows = export.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

        // Assert
        var text = output.ToString();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), text + error);
            Assert.That(scan.OrderCommands, Is.GreaterThan(0).And.Matches<long>(n => n % 3 == 0), "whole cycles of three legs");
            Assert.That(text, Does.Contain($"cycles sent {scan.OrderCommands / 3:N0} (3 IOC legs each)"));
            Assert.That(text, Does.Contain("2,207 triangles"));
            Assert.That(text, Does.Contain("replay verdict: IDENTICAL"));
            Assert.That(text, Does.Contain($"compare: identical: {scan.EvaluatorRecords + scan.OrderCommands} outbound records"));
            Assert.That(exportExit, Is.EqualTo(OptiFlowCommand.Success), exportError.ToString());
            Assert.That(rows[0], Is.EqualTo("outbound_sequence,timestamp_ns,type,evaluator_id,evaluator,symbol,causing_sequence,event_time_ms,local_timestamp_ns,fields"));
            Assert.That(rows, Has.Length.EqualTo(scan.EvaluatorRecords + 1), "a row per evaluator record");
            Assert.That(rows.Skip(1).Select(r => r.Split(',')), Is.All.Matches<string[]>(c => c.Length == 10 && c[2] == "TriangleOpportunity" && c[4] == "triangles" && c[9].Contains("edge_bps=", StringComparison.Ordinal)));
        }
    }

    [Test]
    public void ShouldJournalExportAndReproduceTheFlowEvaluators_WhenRunWithVpinAndFlowImbalance()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var journal = temp.File("journal");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", journal, "--vpin", "0.5", "--vpin-window", "5", "--flow-imbalance", "200", Demo], output, error);
        var (export, exportError) = (new StringWriter(), new StringWriter());
        var exportExit = OptiFlowCommand.Run(["journal", "export", journal, "--evaluators"], export, exportError);
        var types = export.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(r => r.Split(',')[2]).ToList();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output.ToString() + error);
            Assert.That(output.ToString(), Does.Contain("compare: identical"));
            Assert.That(exportExit, Is.EqualTo(OptiFlowCommand.Success), exportError.ToString());
            Assert.That(types, Does.Contain("VpinBucket"));
            Assert.That(types, Does.Contain("OrderFlowImbalance"));
            Assert.That(types, Does.Contain("TradeFlowImbalance"));
        }
    }

    [TestCase("--vpin-window", "5", "add --vpin")]
    [TestCase("--vpin", "abc", "--vpin")]
    [TestCase("--flow-imbalance", "0", "--flow-imbalance")]
    public void ShouldExitWithUsage_WhenAFlowEvaluatorValueIsInvalid(string option, string value, string named)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", temp.File("journal"), option, value, Demo], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output.ToString() + error);
            Assert.That(error.ToString(), Does.Contain(named));
        }
    }

    [TestCase("--triangle-taker", "5", "--exchange-info")]
    [TestCase("--exchange-info", "x.json", "add --triangle-taker")]
    [TestCase("--taker-fee-bps", "7", "add --triangle-taker")]
    public void ShouldExitWithUsage_WhenATriangleTakerOptionComesWithoutItsPartner(string option, string value, string named)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", temp.File("journal"), option, value, Demo], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output.ToString() + error);
            Assert.That(error.ToString(), Does.Contain(named));
        }
    }

    [Test]
    public void ShouldExitWithUsageNamingTheFile_WhenTheExchangeInfoIsMissing()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var (output, error) = (new StringWriter(), new StringWriter());
        var missing = temp.File("no-such-exchange-info.json");

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", temp.File("journal"), "--triangle-taker", "5", "--exchange-info", missing, Demo], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output.ToString() + error);
            Assert.That(error.ToString(), Does.Contain(missing));
        }
    }

    [TestCase("--obi-maker", "0", "threshold")]
    [TestCase("--obi-maker", "1.5", "threshold")]
    [TestCase("--obi-measure", "obi7", "obi7")]
    [TestCase("--maker-qty", "0.001", "add --obi-maker")]
    [TestCase("--max-open-orders", "0", "MaxOpenOrders")]
    [TestCase("--max-notional", "ten", "--max-notional")]
    [TestCase("--cooldown-ms", "-5", "CooldownMs")]
    public void ShouldExitWithUsageAndNameTheOption_WhenAStrategyValueIsInvalid(string option, string value, string named)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-strategy-cli");
        var journal = temp.File("journal");
        var (output, error) = (new StringWriter(), new StringWriter());
        string[] args = option is "--obi-measure" or "--max-open-orders" or "--max-notional" or "--cooldown-ms"
            ? ["run", "--market", "futures", "--journal", journal, "--obi-maker", "0.5", option, value, Demo]
            : ["run", "--market", "futures", "--journal", journal, option, value, Demo];

        // Act
        var exit = OptiFlowCommand.Run(args, output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output.ToString() + error);
            Assert.That(error.ToString(), Does.Contain(named));
            Assert.That(Directory.Exists(journal), Is.False, "nothing was created");
        }
    }
}
