using System.Reflection;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// README "Use as a library": the C# program in that section, exactly as written, compiles against the host library
/// and, run on real recordings, prints one line per symbol, <c>SYMBOL best_bid best_ask</c>, equal to the final book
/// <c>optiflow book</c> prints. The README cannot rot.
/// </summary>
[TestFixture]
[NonParallelizable]
public sealed partial class ReadmeExampleTests
{
    private static readonly Lazy<Assembly> Program = new(Compile);

    [Test]
    public void ShouldCompileTheExampleExactlyAsWritten_WhenReadFromTheReadme()
    {
        // Arrange / Act
        var program = Program.Value;

        // Assert
        Assert.That(program.EntryPoint, Is.Not.Null, "a program with top-level statements");
    }

    [Test]
    public void ShouldPrintTheFinalBestBidAndAsk_WhenRunOnTheShippedRecording()
    {
        // Arrange
        var recording = OptiFlowCommand.DemoRecording;

        // Act
        var lines = RunExample(recording);

        // Assert
        Assert.That(lines, Is.EqualTo(ExpectedLines("futures", recording)));
        Assert.That(lines, Has.Length.EqualTo(1));
        Assert.That(lines[0], Does.StartWith("BTCUSDT "));
    }

    [TestCase("hftbacktest/examples/spot/ethusdt_20240808", "spot")]
    [TestCase("hftbacktest/examples/cm/btcusd_perp_20240808.gz", "futures")]
    [TestCase("cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0", "futures")]
    [Category("Data")]
    public void ShouldPrintEveryBookOfTheRecording_WhenRunOnOtherRecordings(string relativePath, string market)
    {
        // Arrange: the example detects the market itself; the expectation uses the CLI told the market.
        var recording = RecordingData.Require(relativePath);

        // Act
        var lines = RunExample(recording);

        // Assert
        Assert.That(lines, Is.Not.Empty);
        Assert.That(lines, Is.EqualTo(ExpectedLines(market, recording)));
    }

    private static string[] RunExample(string recording)
    {
        var entry = Program.Value.EntryPoint!;
        var output = new StringWriter();
        var original = Console.Out;
        Console.SetOut(output);
        try
        {
            var result = entry.Invoke(null, entry.GetParameters().Length == 0 ? null : [new[] { recording }]);
            if (result is Task task)
            {
                task.GetAwaiter().GetResult();
            }
        }
        finally
        {
            Console.SetOut(original);
        }

        return output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
    }

    /// <summary>What the example must print: the first bid and ask of each final book <c>optiflow book</c> prints.</summary>
    private static string[] ExpectedLines(string market, string recording)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(["book", "--market", market, "--depth", "1", recording], output, error);
        Assert.That(exit, Is.AnyOf(OptiFlowCommand.Success, OptiFlowCommand.DataErrors), error.ToString());
        return output.ToString()
            .Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => FinalBook().Match(line))
            .Select(m => $"{m.Groups["symbol"].Value} {m.Groups["bid"].Value} {m.Groups["ask"].Value}")
            .ToArray();
    }

    private static Assembly Compile()
    {
        var source = ExampleSource();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!)
            .Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create(
            "ReadmeExample",
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            references,
            new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString()).ToList();
        Assert.That(emitted.Success, Is.True, "the README example does not compile:\n" + string.Join('\n', errors) + "\n" + source);
        image.Position = 0;
        return new AssemblyLoadContext("readme-example", isCollectible: false).LoadFromStream(image);
    }

    /// <summary>The first <c>csharp</c> code block under the README's "Use as a library" heading, verbatim.</summary>
    private static string ExampleSource()
    {
        var readme = File.ReadAllText(Path.Combine(RepositoryRoot(), "README.md"));
        var section = readme.IndexOf("## Use as a library", StringComparison.Ordinal);
        Assert.That(section, Is.GreaterThanOrEqualTo(0), "README.md has no 'Use as a library' section");
        var block = CodeBlock().Match(readme, section);
        Assert.That(block.Success, Is.True, "no csharp code block under 'Use as a library'");
        var next = readme.IndexOf("\n## ", section + 1, StringComparison.Ordinal);
        Assert.That(next < 0 || block.Index < next, Is.True, "the code block belongs to another section");
        return block.Groups["code"].Value;
    }

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OptiFlow.Engine.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("OptiFlow.Engine.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CodeBlock();

    [GeneratedRegex("^\\{\"symbol\":\"(?<symbol>[^\"]+)\".*\"bids\":\\[(?:\\[\"(?<bid>[^\"]*)\"[^\\]]*\\])?\\],\"asks\":\\[(?:\\[\"(?<ask>[^\"]*)\"[^\\]]*\\])?\\]\\}$")]
    private static partial Regex FinalBook();
}
