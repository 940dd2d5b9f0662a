using System.Text.Json;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Generation;
using OptiFlow.Cli;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary><c>optiflow triangles</c> on recordings of <c>optiflow generate spot</c> (branch gen): every mispricing the
/// generator injected and listed in its sidecar is found at its frame, with the sidecar's edge, and nothing else is.</summary>
[TestFixture]
public sealed class TrianglesGeneratedRecordingTests
{
    [TestCase(3UL)]
    [TestCase(11UL)]
    public void ShouldFindEveryInjectedMispricing_AndNothingOutsideTheirWindows_WhenRunOnAGeneratedRecording(ulong seed)
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-triangles-generated");
        var recording = temp.File("spot.gz");
        var summary = GeneratedSpotData.Generate(recording, new SpotUniverseGeneratorOptions { Seed = seed, FrameCount = 30_000, MispricingCount = 12 });
        var exchangeInfo = RecordingData.Require(GeneratedSpotData.ExchangeInfoPath);
        var (output, error) = (new StringWriter(), new StringWriter());

        // Act
        var exit = OptiFlowCommand.Run(["triangles", "--exchange-info", exchangeInfo, "--min-edge-bps", "0", recording], output, error);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), error.ToString());
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l =>
        {
            var root = JsonDocument.Parse(l).RootElement;
            return (N: root.GetProperty("n").GetInt64(), Symbol: root.GetProperty("symbol").GetString()!, Path: root.GetProperty("path").GetString()!, Edge: root.GetProperty("edge_bps").GetDouble());
        }).ToList();
        Assert.That(summary.Mispricings, Is.Not.Empty, "the generator injected mispricings");
        Assert.That(summary.MaxBackgroundEdgeBps, Is.LessThan(0), "no background cycle gains after fees");
        using (Assert.EnterMultipleScope())
        {
            var found = 0;
            foreach (var m in summary.Mispricings)
            {
                var expected = m.Triangles.Where(t => t.EdgeBps > 1e-6).ToDictionary(t => Path(t.Assets), t => t.EdgeBps);
                var atInjection = lines.Where(l => l.N == m.Frame && l.Symbol == m.Symbol && l.Edge > 1e-6).ToDictionary(l => l.Path, l => l.Edge);
                Assert.That(atInjection.Keys, Is.EquivalentTo(expected.Keys), $"frame {m.Frame} {m.Symbol}: the cycles that gain");
                foreach (var (path, edge) in expected)
                {
                    Assert.That(atInjection.GetValueOrDefault(path, double.NaN), Is.EqualTo(edge).Within(1e-6), $"frame {m.Frame} {path}");
                    found++;
                }
            }

            Assert.That(found, Is.GreaterThan(0), "at least one injected mispricing opens a gaining cycle");
            var outside = lines.Where(l => !summary.Mispricings.Any(m => l.N >= m.Frame && l.N < m.EndFrame)).ToList();
            Assert.That(outside, Is.Empty, "every line falls inside an injected mispricing's window");
        }
    }

    // The sidecar's gaining cycle as this evaluator names it: rotated to start at the triangle's start asset.
    private static string Path(IReadOnlyList<string> assets)
    {
        var start = TriangleUniverse.PreferredStartAssets.FirstOrDefault(assets.Contains) ?? assets.Order(StringComparer.Ordinal).First();
        var at = assets.ToList().IndexOf(start);
        var cycle = Enumerable.Range(0, 3).Select(i => assets[(at + i) % 3]).Append(start);
        return string.Join('>', cycle);
    }
}
