using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal.Outbound;
using OptiFlow.Journal.Tests.Support;

namespace OptiFlow.Journal.Tests;

/// <summary>
/// <see cref="OutboundStreamComparer.ComparePrefix"/>: what an incomplete session journaled is a prefix of what its
/// replay produces; journaled records whose causing events never reached the inbound journal are counted, not compared.
/// </summary>
public class OutboundStreamComparerTests : JournalTestBase
{
    private string Expected => Path.Combine(JournalDirectory, "expected");

    private string Actual => Path.Combine(JournalDirectory, "actual");

    [Test]
    public void ShouldAcceptAShorterJournaledStream_WhenItIsAPrefixOfTheReplay()
    {
        // Arrange: the dead run journaled 40 decisions; the replay of its inbound journal made 60.
        Write(Expected, 40);
        Write(Actual, 60);

        // Act
        var prefix = OutboundStreamComparer.ComparePrefix(Expected, Actual, lastEventSequence: 10_000, out var compared, out var notReproducible);
        var exact = OutboundStreamComparer.Compare(Expected, Actual, out _);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(prefix, Is.Null);
            Assert.That(compared, Is.EqualTo(40));
            Assert.That(notReproducible, Is.Zero);
            Assert.That(exact!.Field, Is.EqualTo("end of stream"), "a complete session's streams must be equal");
        }
    }

    [Test]
    public void ShouldCountButNotCompareJournaledDecisions_WhenTheirEventsWereNeverJournaled()
    {
        // Arrange: the outbound journal got ahead of the inbound one: events after 25 × 10 were never committed.
        Write(Expected, 40);
        Write(Actual, 26);

        // Act
        var divergence = OutboundStreamComparer.ComparePrefix(Expected, Actual, lastEventSequence: 250, out var compared, out var notReproducible);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(divergence, Is.Null);
            Assert.That(compared, Is.EqualTo(26));
            Assert.That(notReproducible, Is.EqualTo(14));
        }
    }

    [Test]
    public void ShouldReportTheFirstDifference_WhenThePrefixDiffers()
    {
        // Arrange
        Write(Expected, 40, changeAt: 17);
        Write(Actual, 60);

        // Act
        var divergence = OutboundStreamComparer.ComparePrefix(Expected, Actual, lastEventSequence: 10_000, out var compared, out _);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(divergence!.Index, Is.EqualTo(17));
            Assert.That(divergence.Field, Is.EqualTo(nameof(SignalEvent.Obi5)));
            Assert.That(compared, Is.EqualTo(17));
        }
    }

    [Test]
    public void ShouldReportEndOfStream_WhenTheReplayStopsBeforeAReproducibleRecord()
    {
        // Arrange: record 30's event was journaled (its sequence 300 is below 10,000), yet the replay stopped at 20.
        Write(Expected, 40);
        Write(Actual, 20);

        // Act
        var divergence = OutboundStreamComparer.ComparePrefix(Expected, Actual, lastEventSequence: 10_000, out var compared, out _);

        // Assert
        Assert.That((divergence!.Field, divergence.Index, compared), Is.EqualTo(("end of stream", 20L, 20L)));
    }

    /// <summary>Signals caused by events 0, 10, 20, …; every tenth a snapshot request instead.</summary>
    private static void Write(string directory, int count, int changeAt = -1)
    {
        using var writer = new JournalWriter(directory, Options());
        for (var i = 0; i < count; i++)
        {
            if (i % 10 == 9)
            {
                var request = new SnapshotRequest { CausingSequence = i * 10, SymbolId = 0, EventTimeMs = i };
                writer.AppendSnapshotRequest(in request, i);
                continue;
            }

            var signal = new SignalEvent { Sequence = i * 10, SymbolId = 0, Applied = i, EventTimeMs = i, Obi5 = i == changeAt ? 0.5 : 0.25 };
            writer.AppendSignal(in signal, i);
        }
    }
}
