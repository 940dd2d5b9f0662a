using NUnit.Framework;
using OptiFlow.Cli;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// The command line's own usage errors: an unknown option is reported as an option (not as the missing option or file
/// the parser would otherwise complain about), with the nearest known option; an unknown command names the nearest
/// command; a negative number is a value, not an option. Each exits 2 and runs nothing.
/// </summary>
[TestFixture]
public sealed class CliUsageTests
{
    [TestCase(new[] { "run", "--marke", "futures", "x.gz" }, "unknown option '--marke' for 'optiflow run'; did you mean '--market'?")]
    [TestCase(new[] { "demo", "--kep" }, "unknown option '--kep' for 'optiflow demo'; did you mean '--keep'?")]
    [TestCase(new[] { "replay", "--comapre", "dir" }, "unknown option '--comapre' for 'optiflow replay'; did you mean '--compare'?")]
    [TestCase(new[] { "journal", "export", "dir", "--evaluator" }, "did you mean '--evaluators'?")]
    [TestCase(new[] { "run", "--market", "futures", "--zzzzzz", "x.gz" }, "unknown option '--zzzzzz' for 'optiflow run'.")]
    [TestCase(new[] { "rnu" }, "did you mean 'optiflow run'?")]
    [TestCase(new[] { "journal", "exprt", "dir" }, "did you mean 'optiflow journal export'?")]
    public void ShouldNameTheUnknownTokenAndTheNearestKnownOne_WhenMistyped(string[] args, string expected)
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(args, output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Contain(expected));
            Assert.That(error.ToString(), Does.Not.Contain("is required with FILE"), "not a complaint about what the typo hid");
            Assert.That(output.ToString(), Is.Empty, "nothing ran");
        }
    }

    [Test]
    public void ShouldTakeANegativeNumberAsAValue_WhenAnOptionExpectsOne()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act: --min-edge-bps -5 is a value; the missing exchangeInfo file is the error.
        var exit = OptiFlowCommand.Run(["triangles", "--exchange-info", "/nonexistent/exchangeInfo.json", "--min-edge-bps", "-5", OptiFlowCommand.DemoRecording], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Not.Contain("unknown option"));
            Assert.That(error.ToString(), Does.Contain("/nonexistent/exchangeInfo.json"));
        }
    }
}
