using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class YieldingWaitStrategyTests : ConsumerWaitStrategyFixture<YieldingWaitStrategy>
{
    [Test]
    public void ShouldReportNonBlocking_WhenAskedIfBlocking() => Assert.That(new YieldingWaitStrategy().IsBlocking, Is.False);
}
