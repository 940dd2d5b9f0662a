using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class BlockingWaitStrategyTests : ConsumerWaitStrategyFixture<BlockingWaitStrategy>
{
    [Test]
    public void ShouldReportBlocking_WhenAskedIfBlocking() => Assert.That(new BlockingWaitStrategy().IsBlocking, Is.True);
}
