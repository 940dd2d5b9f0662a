using NUnit.Framework;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Replay.Tests;

/// <summary>The command-line names of the wait strategies and the batch a session's batching consumer waits for.</summary>
[TestFixture]
public sealed class WaitStrategyKindTests
{
    [TestCase("batching")]
    [TestCase("Batching")]
    public void ShouldParseBatching_WhenNamedOnTheCommandLine(string name)
    {
        // Act
        var known = WaitStrategyKindExtensions.TryParse(name, out var kind);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(known, Is.True);
            Assert.That(kind, Is.EqualTo(WaitStrategyKind.Batching));
            Assert.That(kind.Create(), Is.TypeOf<BatchingWaitStrategy>());
        });
    }

    [TestCase(1 << 16, WaitStrategyKindExtensions.SessionBatchSize)]
    [TestCase(1024, 256)]
    [TestCase(8, 2)]
    [TestCase(2, 1)]
    public void ShouldWaitForAQuarterOfTheRingAtMost_WhenABatchingStrategyIsCreatedForARing(int ringSize, int batch)
    {
        // Act
        var strategy = (BatchingWaitStrategy)WaitStrategyKind.Batching.Create(ringSize);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(strategy.BatchSize, Is.EqualTo(batch));
            Assert.That(strategy.MaxWait, Is.EqualTo(BatchingWaitStrategy.DefaultMaxWait));
        });
    }

    [Test]
    public void ShouldCreateTheKindAsUsual_WhenItIsNotBatching() =>
        Assert.That(WaitStrategyKind.Blocking.Create(1 << 16), Is.TypeOf<BlockingWaitStrategy>());
}
