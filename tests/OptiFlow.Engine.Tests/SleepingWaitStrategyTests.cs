using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

public class SleepingWaitStrategyTests : ConsumerWaitStrategyFixture<SleepingWaitStrategy>
{
    [Test]
    public void ShouldReportNonBlocking_WhenAskedIfBlocking() => Assert.That(new SleepingWaitStrategy().IsBlocking, Is.False);
}
