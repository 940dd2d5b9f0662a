using OptiFlow.Testing;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Tests.Support;

namespace OptiFlow.Engine.Tests.Risk;

/// <summary>
/// USDⓈ-M quantitative rules (binance.md §9) at their exact thresholds, with the <c>[QR-OLD]</c> defaults: UFR 0.99 at 10,000
/// orders, ICR/GCR 0.99 at 5,000, IFER 0.99 at 5,000, DR 0.9 at 10,000; warning margin 500 bps of ratio and 10 % of count.
/// </summary>
[TestFixture]
public sealed class QuantRulesMonitorTests
{
    private const int Symbol = 0;
    private const long CycleStart = 1_796_601_600_000; // a multiple of 10 minutes
    private const long Big = 10_000_000_000;           // 100 quote: not dust

    private static QuantRulesMonitor Create(QuantRulesThresholds? t = null) => new(1, t ?? new QuantRulesThresholds());

    [TestCase(100L, QuantRuleLevel.Breach)]  // executed 1 % → UFR = 0.99 exactly
    [TestCase(101L, QuantRuleLevel.Warning)] // UFR 0.9899 < 0.99 but ≥ 0.94
    public void ShouldBreachAtExactlyTheUfrBanRatio_WhenAtTheRecordingCount(long executedUnits, QuantRuleLevel expected)
    {
        // Arrange: 10,000 orders of 1 unit × 100 → placed 1,000,000... executed executedUnits × 100.
        var m = Create();
        for (var i = 0; i < 10_000; i++)
        {
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart + 1);
        }

        // Act
        m.OnFilled(Symbol, executedUnits * 100, CycleStart + 1, CycleStart + 2);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(m.Level(Symbol, QuantIndicator.UnfilledRatio, CycleStart + 3), Is.EqualTo(expected));
            Assert.That(m.OrderCount(Symbol, QuantIndicator.UnfilledRatio, CycleStart + 3), Is.EqualTo(10_000));
        });
    }

    [Test]
    public void ShouldOnlyWarn_WhenOneOrderShortOfTheRecordingCount()
    {
        // Arrange: 9,999 orders, nothing filled (UFR 1.0).
        var m = Create();
        for (var i = 0; i < 9_999; i++)
        {
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart);
        }

        // Act / Assert
        Assert.That(m.Level(Symbol, QuantIndicator.UnfilledRatio, CycleStart), Is.EqualTo(QuantRuleLevel.Warning));
        m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart);
        Assert.That(m.Level(Symbol, QuantIndicator.UnfilledRatio, CycleStart), Is.EqualTo(QuantRuleLevel.Breach));
    }

    [TestCase(8_999, QuantRuleLevel.Normal)]  // count below recording × 0.9
    [TestCase(9_000, QuantRuleLevel.Warning)] // exactly recording × 0.9
    public void ShouldWarnFromTheCountMargin(int orders, QuantRuleLevel expected)
    {
        // Arrange
        var m = Create();
        for (var i = 0; i < orders; i++)
        {
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart);
        }

        // Act / Assert
        Assert.That(m.Level(Symbol, QuantIndicator.UnfilledRatio, CycleStart), Is.EqualTo(expected));
    }

    [TestCase(4_950, QuantRuleLevel.Breach)]  // 0.99 exactly
    [TestCase(4_949, QuantRuleLevel.Warning)] // 0.9898
    [TestCase(4_700, QuantRuleLevel.Warning)] // 0.94 = ban − margin exactly
    [TestCase(4_699, QuantRuleLevel.Normal)]
    public void ShouldApplyIcrAtExactlyItsThresholds(int invalidCancels, QuantRuleLevel expected)
    {
        // Arrange: 5,000 GTC orders; invalid cancels at +4,999 ms (less than 5 s), the rest cancelled at exactly +5,000 ms (valid).
        var m = Create();
        for (var i = 0; i < 5_000; i++)
        {
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart);
        }

        // Act
        for (var i = 0; i < 5_000; i++)
        {
            m.OnCancelled(Symbol, TimeInForce.GoodTillCancelled, CycleStart, CycleStart + (i < invalidCancels ? 4_999 : 5_000));
        }

        // Assert
        Assert.That(m.Level(Symbol, QuantIndicator.InvalidCancellationRatio, CycleStart + 6_000), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldCountGtxForIcr_ButOnlyGtcWithTwoSecondsForGcr()
    {
        // Arrange
        var icr = Create();
        var gcr = Create(new QuantRulesThresholds { InvalidCancelMs = 2_000, IncludePostOnlyInCancelRatio = false });

        // Act: one GTX cancelled at 3 s, one GTC cancelled at 3 s.
        foreach (var m in new[] { icr, gcr })
        {
            m.OnPlaced(Symbol, TimeInForce.GoodTillCrossing, 100, Big, CycleStart);
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart);
            m.OnCancelled(Symbol, TimeInForce.GoodTillCrossing, CycleStart, CycleStart + 3_000);
            m.OnCancelled(Symbol, TimeInForce.GoodTillCancelled, CycleStart, CycleStart + 3_000);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(icr.OrderCount(Symbol, QuantIndicator.InvalidCancellationRatio, CycleStart), Is.EqualTo(2));
            Assert.That(icr.RatioBps(Symbol, QuantIndicator.InvalidCancellationRatio, CycleStart), Is.EqualTo(10_000));
            Assert.That(gcr.OrderCount(Symbol, QuantIndicator.InvalidCancellationRatio, CycleStart), Is.EqualTo(1));
            Assert.That(gcr.RatioBps(Symbol, QuantIndicator.InvalidCancellationRatio, CycleStart), Is.Zero);
        });
    }

    [TestCase(4_950, QuantRuleLevel.Breach)]
    [TestCase(4_949, QuantRuleLevel.Warning)]
    public void ShouldApplyIferAtExactlyItsThreshold(int expired, QuantRuleLevel expected)
    {
        // Arrange: 2,500 IOC + 2,500 FOK; GTC orders and their expiries do not count.
        var m = Create();
        for (var i = 0; i < 5_000; i++)
        {
            m.OnPlaced(Symbol, i % 2 == 0 ? TimeInForce.ImmediateOrCancel : TimeInForce.FillOrKill, 100, Big, CycleStart);
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, Big, CycleStart);
        }

        // Act
        for (var i = 0; i < expired; i++)
        {
            m.OnExpired(Symbol, TimeInForce.ImmediateOrCancel, CycleStart, CycleStart + 1);
        }

        m.OnExpired(Symbol, TimeInForce.GoodTillCancelled, CycleStart, CycleStart + 1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(m.OrderCount(Symbol, QuantIndicator.IocFokExpireRatio, CycleStart + 1), Is.EqualTo(5_000));
            Assert.That(m.Level(Symbol, QuantIndicator.IocFokExpireRatio, CycleStart + 1), Is.EqualTo(expected));
        });
    }

    [TestCase(9_000, QuantRuleLevel.Breach)]
    [TestCase(8_999, QuantRuleLevel.Warning)]
    public void ShouldApplyDustRatioAtExactlyItsThreshold(int dust, QuantRuleLevel expected)
    {
        // Arrange: dust is below $50; exactly $50 is not dust.
        var m = Create();
        for (var i = 0; i < 10_000; i++)
        {
            m.OnPlaced(Symbol, TimeInForce.GoodTillCancelled, 100, i < dust ? 4_999_999_999 : 5_000_000_000, CycleStart);
        }

        // Act / Assert
        Assert.That(m.Level(Symbol, QuantIndicator.DustRatio, CycleStart), Is.EqualTo(expected));
    }

    [Test]
    public void ShouldStartAfreshEachTenMinuteCycle_AndIgnoreEventsOfOrdersFromTheLastOne()
    {
        // Arrange: 10,000 unfilled orders in cycle 0 → breach.
        var m = Create();
        for (var i = 0; i < 10_000; i++)
        {
            m.OnPlaced(Symbol, TimeInForce.ImmediateOrCancel, 100, Big, CycleStart + 599_999);
        }

        Assert.That(m.WorstLevel(Symbol, CycleStart + 599_999), Is.EqualTo(QuantRuleLevel.Breach));

        // Act: the next cycle starts at +600,000; a fill and expiry of a last-cycle order arrive in it.
        m.OnPlaced(Symbol, TimeInForce.ImmediateOrCancel, 100, Big, CycleStart + 600_000);
        m.OnFilled(Symbol, 100, CycleStart + 599_999, CycleStart + 600_001);
        m.OnExpired(Symbol, TimeInForce.ImmediateOrCancel, CycleStart + 599_999, CycleStart + 600_001);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(m.WorstLevel(Symbol, CycleStart + 600_001), Is.EqualTo(QuantRuleLevel.Normal));
            Assert.That(m.OrderCount(Symbol, QuantIndicator.UnfilledRatio, CycleStart + 600_001), Is.EqualTo(1));
            Assert.That(m.RatioBps(Symbol, QuantIndicator.UnfilledRatio, CycleStart + 600_001), Is.EqualTo(10_000));
            Assert.That(m.RatioBps(Symbol, QuantIndicator.IocFokExpireRatio, CycleStart + 600_001), Is.Zero);
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenReportingAndReading()
    {
        // Arrange
        var m = Create();
        var now = CycleStart;

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            now += 1_000;
            m.OnPlaced(Symbol, TimeInForce.ImmediateOrCancel, 100, Big, now);
            m.OnFilled(Symbol, 50, now, now);
            m.OnExpired(Symbol, TimeInForce.ImmediateOrCancel, now, now);
            m.OnCancelled(Symbol, TimeInForce.GoodTillCancelled, now, now);
            _ = m.WorstLevel(Symbol, now);
            _ = m.RatioBps(Symbol, QuantIndicator.UnfilledRatio, now);
        });
    }
}
