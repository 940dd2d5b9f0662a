using OptiFlow.Engine.WaitStrategies;

namespace OptiFlow.Engine.Tests;

/// <summary>Busy-spin: only the contract that cannot spin unbounded (tests never busy-spin without a bound).</summary>
public class BusySpinWaitStrategyTests : WaitStrategyFixture<BusySpinWaitStrategy>
{
    [Test]
    public void ShouldReportNonBlocking_WhenAskedIfBlocking() => Assert.That(new BusySpinWaitStrategy().IsBlocking, Is.False);
}
