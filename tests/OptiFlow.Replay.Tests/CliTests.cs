using OptiFlow.Testing;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Cli;

namespace OptiFlow.Replay.Tests;

/// <summary>The <c>optiflow</c> verbs as a user runs them: output formats, exit codes, error messages.</summary>
[TestFixture]
public sealed partial class CliTests
{
    private static string Demo => OptiFlowCommand.DemoRecording;

    [GeneratedRegex("^-?[0-9]+(\\.[0-9]*[1-9])?$")]
    private static partial Regex CanonicalDecimal();

    [Test]
    public void ShouldPrintOneFinalBookLine_WhenEveryIsZero()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["book", "--market", "futures", Demo], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var lines = NonEmptyLines(output);
        Assert.That(lines, Has.Length.EqualTo(1));
        using var json = JsonDocument.Parse(lines[0]);
        var root = json.RootElement;
        Assert.That(root.GetProperty("symbol").GetString(), Is.EqualTo("BTCUSDT"));
        Assert.That(root.GetProperty("applied").GetInt64(), Is.EqualTo(4322), "every diff of the demo applies");
        Assert.That(root.GetProperty("u").GetInt64(), Is.EqualTo(2710249412032));
        Assert.That(root.GetProperty("E").GetInt64(), Is.EqualTo(1680652799982));
        var bids = Levels(root.GetProperty("bids"));
        var asks = Levels(root.GetProperty("asks"));
        Assert.That(bids, Has.Count.EqualTo(20), "default depth");
        Assert.That(asks, Has.Count.EqualTo(20));
        Assert.That(bids.Select(l => l.Price), Is.Ordered.Descending, "bids best first");
        Assert.That(asks.Select(l => l.Price), Is.Ordered.Ascending, "asks best first");
        Assert.That(bids[0].Price, Is.LessThan(asks[0].Price), "not crossed");
        Assert.That(bids[0].Text, Is.EqualTo("28155.1"));
        Assert.That(asks[0].Text, Is.EqualTo("28155.2"));
    }

    [Test]
    public void ShouldWriteCanonicalDecimalStrings_WhenPrintingLevels()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["book", "--market", "futures", "--depth", "50", "--every", "1000", Demo], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var lines = NonEmptyLines(output);
        var applied = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("applied").GetInt64()).ToList();
        Assert.That(applied, Is.EqualTo(new long[] { 1000, 2000, 3000, 4000, 4322 }), "every 1000th, then the end");
        foreach (var line in lines)
        {
            using var json = JsonDocument.Parse(line);
            foreach (var side in new[] { "bids", "asks" })
            {
                foreach (var level in json.RootElement.GetProperty(side).EnumerateArray())
                {
                    var price = level[0].GetString()!;
                    var quantity = level[1].GetString()!;
                    Assert.That(price, Does.Match(CanonicalDecimal()), "no trailing zeros, no exponent");
                    Assert.That(quantity, Does.Match(CanonicalDecimal()));
                    Assert.That(quantity, Is.Not.EqualTo("0"), "empty levels are removed");
                }
            }
        }
    }

    [Test]
    public void ShouldWriteOneCsvRowPerAppliedDiff_WhenPrintingSignals()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["signals", "--market", "futures", Demo], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var lines = NonEmptyLines(output);
        Assert.That(lines[0], Is.EqualTo("symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid,wobi10"));
        var rows = lines.Skip(1).Select(l => l.Split(',')).ToList();
        Assert.That(rows, Has.Count.EqualTo(4322));
        long previousU = 0;
        for (var i = 0; i < rows.Count; i++)
        {
            var row = rows[i];
            Assert.That(row, Has.Length.EqualTo(12), lines[i + 1]);
            Assert.That(row[0], Is.EqualTo("BTCUSDT"));
            Assert.That(long.Parse(row[1], CultureInfo.InvariantCulture), Is.EqualTo(i + 1));
            var u = long.Parse(row[2], CultureInfo.InvariantCulture);
            Assert.That(u, Is.GreaterThan(previousU));
            previousU = u;
            var bid = decimal.Parse(row[4], CultureInfo.InvariantCulture);
            var ask = decimal.Parse(row[5], CultureInfo.InvariantCulture);
            Assert.That(decimal.Parse(row[6], CultureInfo.InvariantCulture), Is.EqualTo((bid + ask) / 2), "mid is exact");
            foreach (var obi in row[7..10].Select(v => double.Parse(v, CultureInfo.InvariantCulture)))
            {
                Assert.That(obi, Is.InRange(-1.0, 1.0));
            }

            var wmid = double.Parse(row[10], CultureInfo.InvariantCulture);
            Assert.That(wmid, Is.InRange((double)bid, (double)ask), "the microprice lies between bid and ask");
            Assert.That(double.Parse(row[11], CultureInfo.InvariantCulture), Is.InRange(-1.0, 1.0), "wobi10");
        }
    }

    [Test]
    public void ShouldRunJournalAndReplayIdentically_WhenRunThenReplay()
    {
        // Arrange
        using var temp = new TempDirectory("cli");
        var journal = temp.File("journal");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var runExit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", journal, Demo], output, error);
        var replayOutput = new StringWriter();
        var replayExit = OptiFlowCommand.Run(["replay", journal], replayOutput, error);

        // Assert
        Assert.That(runExit, Is.EqualTo(OptiFlowCommand.Success), output + error.ToString());
        Assert.That(output.ToString(), Does.Contain("replay verdict: IDENTICAL"));
        Assert.That(output.ToString(), Does.Contain("p99.9"), "the latency table");
        Assert.That(output.ToString(), Does.Contain($"journal: {journal}"));
        Assert.That(replayExit, Is.EqualTo(OptiFlowCommand.Success), replayOutput.ToString());
        Assert.That(replayOutput.ToString(), Does.Contain("replay verdict: IDENTICAL"));
        Assert.That(replayOutput.ToString(), Does.Contain("BTCUSDT"));
    }

    [Test]
    public void ShouldExitOneAndNameFileAndLine_WhenTheDataHasErrors()
    {
        // Arrange
        using var temp = new TempDirectory("cli-bad");
        var lines = RecordingLines.Read(Demo);
        var broken = temp.File("broken.txt");
        var brokenLine = RecordingLines.IndexesOf(lines, "@trade")[5];
        lines[brokenLine] = lines[brokenLine].Replace("\"p\":\"", "\"p\":\"x", StringComparison.Ordinal);
        RecordingLines.Write(broken, lines);
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", temp.File("journal"), broken], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.DataErrors));
        Assert.That(output.ToString(), Does.Contain($"{broken}:{brokenLine + 1}: InvalidNumber"));
        Assert.That(output.ToString(), Does.Contain("replay verdict: IDENTICAL"), "the replay reproduces the error count");
    }

    [TestCase(new[] { "run", "--market", "futures" }, "optiflow run --help")]
    [TestCase(new[] { "run", "/nonexistent/recording.gz" }, "--market")]
    [TestCase(new[] { "run", "--market", "options", "x" }, "--market")]
    [TestCase(new[] { "run", "--market", "futures", "/nonexistent/recording.gz" }, "/nonexistent/recording.gz")]
    [TestCase(new[] { "run", "--market", "futures", "--wait-strategy", "fast", "DEMO" }, "--wait-strategy")]
    [TestCase(new[] { "demo", "--wait-strategy", "batching" }, "--wait-strategy batching cannot be used with --trade")]
    [TestCase(new[] { "book", "--market", "spot", "--depth", "0", "DEMO" }, "--depth")]
    [TestCase(new[] { "replay", "/nonexistent/journal" }, "/nonexistent/journal")]
    [TestCase(new[] { "frobnicate" }, "frobnicate")]
    public void ShouldExitTwoWithAClearMessage_WhenUsageIsWrong(string[] args, string mentioned)
    {
        // Arrange
        var resolved = args.Select(a => a == "DEMO" ? Demo : a).ToArray();
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(resolved, output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), output + error.ToString());
        Assert.That(error.ToString(), Does.Contain(mentioned));
    }

    [TestCase(new string[0], "wait strategy Batching")]
    [TestCase(new[] { "--wait-strategy", "yielding" }, "wait strategy Yielding")]
    public void ShouldBatchUnlessToldOtherwise_WhenAFileRunDoesNotTrade(string[] extra, string expected)
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());
        using var temp = new TempDirectory("cli-batching");

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", .. extra, "--journal", temp.File("journal"), Demo], output, error);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output + error.ToString());
            Assert.That(output.ToString(), Does.Contain(expected));
            Assert.That(output.ToString(), Does.Contain("replay verdict: IDENTICAL"), "the replay matches the run");
        });
    }

    [Test]
    public void ShouldExitTwoNamingTheAllowedCpus_WhenTheCoreCpuIsOutsideTheMask()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());
        using var temp = new TempDirectory("cli-cpu");

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--core-cpu", "1023", "--journal", temp.File("journal"), Demo], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
        Assert.That(error.ToString(), Does.Contain("Cannot pin to CPU 1023"));
        Assert.That(error.ToString(), Does.Contain("may only run on CPUs"));
    }

    private static string[] NonEmptyLines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private static List<(decimal Price, string Text)> Levels(JsonElement side) =>
        [.. side.EnumerateArray().Select(level => (decimal.Parse(level[0].GetString()!, CultureInfo.InvariantCulture), level[0].GetString()!))];
}
