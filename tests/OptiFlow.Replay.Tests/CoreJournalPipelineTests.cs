using NUnit.Framework;
using OptiFlow.Cli.Session;
using OptiFlow.Engine;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// The consumer side shared by file and live sessions: drain and stop are bounded and a stuck consumer is an error
/// with the sequences in its message, never a shorter journal; the session header comes first in the journal.
/// </summary>
[TestFixture]
public sealed class CoreJournalPipelineTests
{
    [Test]
    public void ShouldThrowTimeoutWithTheSequences_WhenAConsumerDoesNotDrain()
    {
        // Arrange: consumers never started, one event published.
        using var temp = new TempDirectory("optiflow-pipeline");
        var options = new SessionOptions { Market = Market.Futures, Files = [], JournalDirectory = temp.File("journal"), DrainTimeout = TimeSpan.FromMilliseconds(50) };
        using var pipeline = new CoreJournalPipeline(options, new SymbolTable(), ProducerType.Single);
        var sequence = pipeline.Ring.Next();
        pipeline.Ring.Publish(sequence);

        // Act
        var error = Assert.Throws<TimeoutException>(pipeline.DrainAndStop);

        // Assert
        Assert.That(error!.Message, Does.Contain("cursor 0").And.Contain("core -1").And.Contain("journal -1"));
    }

    [Test]
    public void ShouldJournalTheHeaderFirstAndTheSummaryLast_WhenARunCompletes()
    {
        // Arrange
        using var temp = new TempDirectory("optiflow-pipeline");
        var directory = temp.File("journal");
        var options = new SessionOptions { Market = Market.Futures, Files = [], JournalDirectory = directory };
        var symbols = new SymbolTable();

        // Act: one (empty) event through core and journal.
        using (var pipeline = new CoreJournalPipeline(options, symbols, ProducerType.Multi))
        {
            pipeline.Start();
            var sequence = pipeline.Ring.Next();
            pipeline.Ring.Publish(sequence);
            pipeline.DrainAndStop();
            pipeline.Complete();
            Assert.That(pipeline.CoreProcessor.Sequence.Value, Is.EqualTo(0));
            Assert.That(pipeline.JournalProcessor!.Sequence.Value, Is.EqualTo(0));
            Assert.That(pipeline.CoreProcessor.IsRunning, Is.False);
        }

        // Assert
        var types = new List<JournalRecordType>();
        using (var reader = new JournalReader(directory))
        {
            while (reader.TryRead(out var record))
            {
                types.Add(record.Type);
            }
        }

        Assert.That(types, Is.Not.Empty);
        Assert.That(types[0], Is.EqualTo(JournalRecordType.SessionHeader));
        Assert.That(types[^1], Is.EqualTo(JournalRecordType.RunSummary));
        Assert.That(types, Does.Contain(JournalRecordType.MarketEvent));
    }
}
