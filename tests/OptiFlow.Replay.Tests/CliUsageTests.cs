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

    [TestCase(new[] { "rn" }, "Unrecognized command or argument 'rn'.", "did you mean 'optiflow run'?", "Run 'optiflow --help' for usage.")]
    [TestCase(new[] { "journal", "exprt", "x" }, "Unrecognized command or argument 'exprt'.", "did you mean 'optiflow journal export'?", "Run 'optiflow journal --help' for usage.")]
    [TestCase(new[] { "report", "compar", "a", "b" }, "Unrecognized command or argument 'compar'.", "did you mean 'optiflow report compare'?", "Run 'optiflow report --help' for usage.")]
    [TestCase(new[] { "journal" }, "Required command was not provided.", "'optiflow journal' takes a command: verify, export, copy.", "Run 'optiflow journal --help' for usage.")]
    [TestCase(new[] { "journal", "verify", "--truncat", "dir" }, "unknown option '--truncat' for 'optiflow journal verify'", "did you mean '--truncate'?", "Run 'optiflow journal verify --help' for usage.")]
    [TestCase(new[] { "--confg", "x.toml" }, "unknown option '--confg' for 'optiflow'", "did you mean '--config'?", "Run 'optiflow --help' for usage.")]
    [TestCase(new[] { "run", "--confg", "x.toml" }, "unknown option '--confg' for 'optiflow run'", "did you mean '--config'?", "Run 'optiflow run --help' for usage.")]
    [TestCase(new[] { "journal", "export" }, "Required argument missing for command: 'export'.", "optiflow: Required", "Run 'optiflow journal export --help' for usage.")]
    [TestCase(new[] { "replay" }, "Required argument missing for command: 'replay'.", "optiflow: Required", "Run 'optiflow replay --help' for usage.")]
    [TestCase(new[] { "demo", "--core-cpu", "x" }, "Cannot parse argument 'x' for option '--core-cpu': expected an integer.", "optiflow: Cannot", "Run 'optiflow demo --help' for usage.")]
    [TestCase(new[] { "book", "--market", "fut", "x.gz" }, "--market must be 'futures' or 'spot', not 'fut'", "optiflow: --market", "Run 'optiflow book --help' for usage.")]
    public void ShouldPrintTheParsersErrorAHintAndWhereHelpIs_WhenTheCommandLineIsWrong(string[] args, string parseError, string hint, string usage)
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(args, output, error, new Dictionary<string, string>());

        // Assert: one error about what was typed (not the missing command or the later tokens a mistyped command
        // leaves unrecognized), the hint, the full command path in the usage line.
        var lines = error.ToString().Split(Environment.NewLine, StringSplitOptions.RemoveEmptyEntries);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Contain(parseError));
            Assert.That(error.ToString(), Does.Contain(hint));
            Assert.That(lines[^1], Is.EqualTo(usage));
            Assert.That(error.ToString(), Does.Not.Contain("System."), "types in words");
            Assert.That(lines.Count(l => l.StartsWith("optiflow: Unrecognized", StringComparison.Ordinal)), Is.LessThanOrEqualTo(1));
            Assert.That(output.ToString(), Is.Empty, "nothing ran");
        }

        if (args.Length > 1 && parseError.StartsWith("Unrecognized", StringComparison.Ordinal))
        {
            Assert.That(error.ToString(), Does.Not.Contain("Required command was not provided"), "a mistyped command is not a missing one");
        }
    }

    [Test]
    public void ShouldTakeTokensAfterTheSeparatorAsArguments_WhenTheyLookLikeOptions()
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act: "-weird.gz" after "--" is a FILE, which does not exist: that is the error, not an unknown option.
        var exit = OptiFlowCommand.Run(["book", "--market", "futures", "--", "-weird.gz"], output, error, new Dictionary<string, string>());

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage));
            Assert.That(error.ToString(), Does.Not.Contain("unknown option"));
            Assert.That(error.ToString(), Does.Contain("-weird.gz"));
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
