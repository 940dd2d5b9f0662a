using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Tests.Risk;

/// <summary>
/// Rate budgets on a fake clock (ms passed in): fixed calendar windows (binance.md §6.1 "Accounting"), response counts
/// (§6.3), 429 back-off and 418 ban (§6.1).
/// </summary>
[TestFixture]
public sealed class RateBudgetTests
{
    // 2026-12-07T00:00:00Z, a UTC midnight and a multiple of every window.
    private const long Midnight = 1_796_601_600_000;

    private static RateBudget SpotBudget() => new(
    [
        new RateLimitRule(RateLimitKind.Orders, 10 * RateLimitRule.SecondMs, 50),
        new RateLimitRule(RateLimitKind.Orders, RateLimitRule.DayMs, 160_000),
        new RateLimitRule(RateLimitKind.RequestWeight, RateLimitRule.MinuteMs, 6_000),
    ]);

    [Test]
    public void ShouldAllowExactlyTheLimit_AndRefuseOneMore_WithinAWindow()
    {
        // Arrange
        var budget = SpotBudget();
        var now = Midnight + 3_000;

        // Act
        for (var i = 0; i < 50; i++)
        {
            Assert.That(budget.TryConsume(1, 0, now + i), Is.EqualTo(RiskReason.Accepted), $"order {i + 1}");
        }

        var fiftyFirst = budget.TryConsume(1, 0, now + 100);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(fiftyFirst, Is.EqualTo(RiskReason.OrderRateLimit));
            Assert.That(budget.Count(0, now + 100), Is.EqualTo(50));
            Assert.That(budget.Count(1, now + 100), Is.EqualTo(50), "a refused request is not charged");
        });
    }

    [Test]
    public void ShouldResetAtTheCalendarBoundary_NotSlidingFromTheFirstOrder()
    {
        // Arrange: fill the 10 s window late in it, at :09.999.
        var budget = SpotBudget();
        for (var i = 0; i < 50; i++)
        {
            budget.TryConsume(1, 0, Midnight + 9_999);
        }

        // Act: a sliding window would still refuse at :10.000; Binance's fixed window has reset (binance.md §6.1).
        var before = budget.TryConsume(1, 0, Midnight + 9_999);
        var after = budget.TryConsume(1, 0, Midnight + 10_000);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(before, Is.EqualTo(RiskReason.OrderRateLimit));
            Assert.That(after, Is.EqualTo(RiskReason.Accepted));
            Assert.That(budget.Count(1, Midnight + 10_000), Is.EqualTo(51), "the DAY window keeps counting");
        });
    }

    [Test]
    public void ShouldResetTheDayWindow_AtUtcMidnight()
    {
        // Arrange
        var budget = new RateBudget([new RateLimitRule(RateLimitKind.Orders, RateLimitRule.DayMs, 2)]);
        budget.TryConsume(1, 0, Midnight - 5_000);
        budget.TryConsume(1, 0, Midnight - 4_000);

        // Act
        var late = budget.TryConsume(1, 0, Midnight - 1);
        var nextDay = budget.TryConsume(1, 0, Midnight);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(late, Is.EqualTo(RiskReason.OrderRateLimit));
            Assert.That(nextDay, Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldRefuseOnWeight_WhenTheMinuteWeightIsSpent()
    {
        // Arrange
        var budget = SpotBudget();

        // Act
        var atLimit = budget.TryConsume(0, 6_000, Midnight + 1);
        var over = budget.TryConsume(0, 1, Midnight + 59_999);
        var nextMinute = budget.TryConsume(0, 1, Midnight + 60_000);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(atLimit, Is.EqualTo(RiskReason.Accepted));
            Assert.That(over, Is.EqualTo(RiskReason.RequestWeightLimit));
            Assert.That(nextMinute, Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldTakeTheResponsesCount_WhenObserved()
    {
        // Arrange: locally 1 order; Binance reports 49 used in this 10 s window (other sessions on the account, §6.1).
        var budget = SpotBudget();
        budget.TryConsume(1, 0, Midnight + 1_000);

        // Act
        var matched = budget.Observe(RateLimitKind.Orders, 10_000, 49, Midnight + 1_500);
        var fiftieth = budget.TryConsume(1, 0, Midnight + 2_000);
        var fiftyFirst = budget.TryConsume(1, 0, Midnight + 2_001);
        var lowered = budget.Observe(RateLimitKind.Orders, 10_000, 10, Midnight + 2_002);
        var afterLowered = budget.TryConsume(1, 0, Midnight + 2_003);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(matched, Is.True);
            Assert.That(fiftieth, Is.EqualTo(RiskReason.Accepted));
            Assert.That(fiftyFirst, Is.EqualTo(RiskReason.OrderRateLimit));
            Assert.That(lowered, Is.True);
            Assert.That(afterLowered, Is.EqualTo(RiskReason.Accepted), "Binance's count replaces ours (spot fills decrement it, §6.1)");
            Assert.That(budget.Count(0, Midnight + 2_003), Is.EqualTo(11));
            Assert.That(budget.Observe(RateLimitKind.Orders, 60_000, 5, Midnight), Is.False, "no 1-minute ORDERS rule configured");
        });
    }

    [Test]
    public void ShouldBackOffUntilRetryAfter_When429()
    {
        // Arrange
        var budget = SpotBudget();

        // Act: 429 with Retry-After 7 s received at +1 s.
        budget.OnTooManyRequests(Midnight + 1_000 + 7_000);
        var during = budget.TryConsume(1, 0, Midnight + 7_999);
        var at = budget.TryConsume(1, 0, Midnight + 8_000);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(during, Is.EqualTo(RiskReason.TooManyRequestsBackOff));
            Assert.That(budget.Blocked(Midnight + 7_999), Is.EqualTo(RiskReason.TooManyRequestsBackOff));
            Assert.That(at, Is.EqualTo(RiskReason.Accepted));
        });
    }

    [Test]
    public void ShouldRefuseEverythingUntilTheBanLifts_When418()
    {
        // Arrange: banned for 2 minutes (the shortest ban, §6.1), while a shorter 429 back-off is also pending.
        var budget = SpotBudget();
        budget.OnTooManyRequests(Midnight + 10_000);
        budget.OnBanned(Midnight + 120_000);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(budget.TryConsume(1, 0, Midnight + 5_000), Is.EqualTo(RiskReason.IpBanned));
            Assert.That(budget.TryConsume(0, 1, Midnight + 119_999), Is.EqualTo(RiskReason.IpBanned));
            Assert.That(budget.TryConsume(1, 0, Midnight + 120_000), Is.EqualTo(RiskReason.Accepted));
            Assert.That(budget.BannedUntilMs, Is.EqualTo(Midnight + 120_000));
        });
    }

    [Test]
    public void ShouldRejectBadRules_WhenConstructed()
    {
        // Arrange / Act / Assert
        Assert.Throws<ArgumentException>(() => _ = new RateBudget([new RateLimitRule(RateLimitKind.Orders, 0, 1)]));
    }
}
