using System.Text;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests.HostileInput;

/// <summary>
/// A seeded, bounded fuzz of the whole <c>run</c> path (read → decode → ring → core ∥ journal → replay) over mutated
/// copies of a real recording: whatever the damage, the command ends with a defined exit code (0 clean, 1 data
/// errors) and no internal error, and the journal it wrote verifies intact.
/// </summary>
[TestFixture]
[Category("Data")]
public sealed class RunPathFuzzTests
{
    private const int Seed = 20261207;
    private const int Cases = 24;
    private const int LinesPerCase = 4_000;

    private static readonly Lazy<List<string>> Source = new(() => RecordingLines.Read(OptiFlowCommand.DemoRecording).Take(LinesPerCase).ToList());

    private static IEnumerable<int> CaseNumbers => Enumerable.Range(0, Cases);

    [TestCaseSource(nameof(CaseNumbers))]
    public void ShouldEndWithADefinedExitAndAnIntactJournal_WhenTheRecordingIsMutated(int caseNumber)
    {
        // Arrange: one seeded mutation mix per case (bytes flipped, lines cut, dropped, duplicated, swapped, garbage).
        var random = new Random(Seed + caseNumber);
        var lines = Mutate(Source.Value, random);
        using var temp = new TempDirectory("fuzz");
        var file = temp.File("mutated.txt");
        File.WriteAllText(file, string.Join('\n', lines), new UTF8Encoding(false));
        var journal = temp.File("journal");
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["run", "--market", "futures", "--journal", journal, file], output, error);

        // Assert
        var scan = JournalScanner.Scan(journal);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.AnyOf(OptiFlowCommand.Success, OptiFlowCommand.DataErrors), $"case {caseNumber}: {error}");
            Assert.That(error.ToString(), Does.Not.Contain("internal error"));
            Assert.That(output.ToString(), Does.Contain("replay verdict: IDENTICAL"), "the replay reproduces whatever the damage did");
            Assert.That(scan.IsIntact, Is.True, $"case {caseNumber}: the journal verifies");
        }
    }

    private static List<string> Mutate(List<string> source, Random random)
    {
        var lines = new List<string>(source);
        var mutations = random.Next(5, 40);
        for (var i = 0; i < mutations; i++)
        {
            var at = random.Next(lines.Count);
            switch (random.Next(8))
            {
                case 0:
                    lines[at] = FlipByte(lines[at], random);
                    break;
                case 1:
                    lines[at] = lines[at][..random.Next(lines[at].Length)];
                    break;
                case 2:
                    lines.RemoveAt(at);
                    break;
                case 3:
                    lines.Insert(at, lines[at]);
                    break;
                case 4:
                    var other = random.Next(lines.Count);
                    (lines[at], lines[other]) = (lines[other], lines[at]);
                    break;
                case 5:
                    lines.Insert(at, Garbage(random));
                    break;
                case 6:
                    lines[at] = lines[at].Replace("\":\"", "\":\"-", StringComparison.Ordinal);
                    break;
                default:
                    lines[at] = lines[at].Replace("0", new string('9', random.Next(1, 30)), StringComparison.Ordinal);
                    break;
            }
        }

        return lines;
    }

    private static string FlipByte(string line, Random random)
    {
        if (line.Length == 0)
        {
            return line;
        }

        var chars = line.ToCharArray();
        var at = random.Next(chars.Length);
        chars[at] = (char)(chars[at] ^ (1 << random.Next(7)));
        return new string(chars);
    }

    private static string Garbage(Random random)
    {
        var bytes = new char[random.Next(0, 200)];
        for (var i = 0; i < bytes.Length; i++)
        {
            bytes[i] = (char)random.Next(32, 127);
        }

        return new string(bytes);
    }
}
