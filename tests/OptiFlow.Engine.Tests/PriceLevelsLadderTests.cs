using FsCheck;
using FsCheck.Fluent;
using OptiFlow.Engine.Books;
using OptiFlow.Engine.Tests.Support;
using OptiFlow.Testing;

namespace OptiFlow.Engine.Tests;

/// <summary>
/// The tick ladder of <see cref="PriceLevels"/> against the sorted array it replaced (<see cref="SortedArrayPriceLevels"/>,
/// main's code copied verbatim): every observable result must be identical under any sequence of operations.
/// </summary>
public class PriceLevelsLadderTests
{
    private const long Center = 6_000_000_000_000; // 60,000.00000000 in 10⁻⁸ units
    private const long Tick = 10_000_000;          // 0.1

    private enum Kind
    {
        Set,
        Clear,
        Read,
    }

    [FsCheck.NUnit.Property(MaxTest = 500, EndSize = 200)]
    public Property ShouldMatchTheSortedArray_WhenApplyingRandomOperations()
    {
        // Prices: mostly on a 0.1 grid near a centre (dense book), some far away (outside any window: overflow and
        // re-centring), some on a finer grid (the inferred tick must shrink), a few anywhere in a wide range.
        var price = Gen.Frequency(
            (8, Gen.Choose(-300, 300).Select(k => Center + (k * Tick))),
            (2, Gen.Choose(-2_000_000, 2_000_000).Select(k => Center + (k * Tick))),
            (1, Gen.Choose(-3000, 3000).Select(k => Center + (k * (Tick / 10)))),
            (1, Gen.Choose(1, 1_000_000).Select(k => k * 977_000_003L)));
        var quantity = Gen.Frequency((3, Gen.Choose(1, 1_000_000).Select(q => (long)q)), (2, Gen.Constant(0L)), (1, Gen.Constant(long.MaxValue / 4)));
        var operation = Gen.Frequency(
            (40, from p in price from q in quantity select (Kind.Set, p, q)),
            (1, Gen.Constant((Kind.Clear, 0L, 0L))),
            (6, Gen.Choose(0, 40).Select(d => (Kind.Read, (long)d, 0L))));
        var gen =
            from isAsk in Gen.Elements(true, false)
            from spanLog2 in Gen.Elements(6, 7, 12, 16)
            from threshold in Gen.Elements(2, 3, 16, 64)
            from capacity in Gen.Elements(1, 4, 64)
            from ops in Gen.ListOf(operation)
            select (IsAsk: isAsk, Span: 1 << spanLog2, Threshold: threshold, Capacity: capacity, Ops: ops.ToArray());
        return Prop.ForAll(gen.ToArbitrary(), test =>
        {
            var side = new PriceLevels(test.IsAsk, test.Capacity, test.Span, test.Threshold);
            var model = new SortedArrayPriceLevels(test.IsAsk, test.Capacity);
            var step = 0;
            foreach (var (kind, a, b) in test.Ops)
            {
                step++;
                switch (kind)
                {
                    case Kind.Set:
                        side.Set(a, b);
                        model.Set(a, b);
                        break;
                    case Kind.Clear:
                        side.Clear();
                        model.Clear();
                        break;
                    default:
                        // Out-of-order reads exercise the depth cursor.
                        if (a < model.Count && (side.PriceAt((int)a) != model.PriceAt((int)a) || side.QuantityAt((int)a) != model.QuantityAt((int)a)))
                        {
                            return false.Label($"step {step}: depth {a} differs");
                        }

                        break;
                }

                if (Difference(side, model, a) is { } difference)
                {
                    return false.Label($"step {step} ({kind} {a} {b}): {difference}");
                }
            }

            return true.ToProperty();
        });
    }

    [Test]
    public void ShouldKeepEveryLevel_WhenPricesLieFarOutsideTheWindow()
    {
        // Arrange: a 64-slot window and levels 10⁶ ticks apart on both sides of it.
        var side = new PriceLevels(isAsk: false, 4, ladderSpan: 64, ladderThreshold: 2);
        var model = new SortedArrayPriceLevels(isAsk: false, 4);
        long[] prices = [Center, Center - Tick, Center - (1_000_000 * Tick), Center + (1_000_000 * Tick), Center - (2 * Tick), Center - (3_000_000 * Tick)];

        // Act
        foreach (var p in prices)
        {
            side.Set(p, p / Tick);
            model.Set(p, p / Tick);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(Difference(side, model, Center), Is.Null);
            Assert.That(side.Count, Is.EqualTo(prices.Length));
            Assert.That(side.PriceAt(0), Is.EqualTo(Center + (1_000_000 * Tick)), "the far-better level re-centred the window on itself");
            Assert.That(side.RecenterCount, Is.GreaterThan(0));
        });
    }

    [Test]
    public void ShouldInferTheTick_WhenLevelsArrive()
    {
        // Arrange
        var asks = new PriceLevels(isAsk: true, 8, ladderSpan: 64, ladderThreshold: 2);

        // Act
        asks.Set(Center, 1);
        asks.Set(Center + (4 * Tick), 1);
        var coarse = asks.InferredTick;
        asks.Set(Center + (7 * Tick), 1);

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(coarse, Is.EqualTo(4 * Tick), "the first difference");
            Assert.That(asks.InferredTick, Is.EqualTo(Tick), "GCD(4, 7) ticks");
            Assert.That(Enumerable.Range(0, 3).Select(asks.PriceAt), Is.EqualTo(new[] { Center, Center + (4 * Tick), Center + (7 * Tick) }));
        });
    }

    [Test]
    public void ShouldAllocateTheLadderOnce_WhenASideGrowsPastTheThreshold()
    {
        // Arrange
        var bids = new PriceLevels(isAsk: false, 2048);

        // Act: a 1,000-level book on a 0.1 grid, then 10,000 updates and re-inserts near the touch.
        for (var i = 0; i < 1000; i++)
        {
            bids.Set(Center - (i * 3 * Tick), 1 + i);
        }

        var grownAfterLoad = bids.GrowCount;
        for (var i = 0; i < 10_000; i++)
        {
            bids.Set(Center - (i % 50 * 3 * Tick), i % 3);
        }

        // Assert
        Assert.Multiple(() =>
        {
            Assert.That(grownAfterLoad, Is.EqualTo(1), "the ladder, once");
            Assert.That(bids.GrowCount, Is.EqualTo(grownAfterLoad), "no allocation in steady state");
            Assert.That(bids.RecenterCount, Is.EqualTo(1), "placed once, around the first levels");
        });
    }

    [Test]
    public void ShouldNotAllocate_WhenUpdatingReadingAndRecenteringInSteadyState()
    {
        // Arrange: a side on its ladder, then a workload that moves the touch far up and back (two re-centrings per
        // round), updates and removes levels inside and outside the window, reads the top and digests.
        var asks = new PriceLevels(isAsk: true, 256, ladderSpan: 1024, ladderThreshold: 16);
        for (var i = 0; i < 200; i++)
        {
            asks.Set(Center + (i * 7 * Tick), 1 + i);
        }

        var sink = 0L;
        var recentersBefore = asks.RecenterCount;

        // Act / Assert
        AllocationAssert.ShouldNotAllocate(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                asks.Set(Center + (i % 300 * Tick), i % 4);
                asks.Set(Center + (5000 * Tick) + (i % 20 * Tick), i % 3);
                sink += asks.PriceAt(i % 10 < asks.Count ? i % 10 : 0) + asks.QuantityAt(0) + (long)asks.SumQuantity(10);
            }

            asks.Set(Center - (100_000 * Tick), 5);
            sink += asks.PriceAt(1);
            asks.Set(Center - (100_000 * Tick), 0);
            sink += asks.Digest(0);
        });
        Assert.That(asks.RecenterCount, Is.GreaterThan(recentersBefore), $"the workload re-centred the window ({sink})");
    }

    [Test]
    public void ShouldThrow_WhenDepthIsOutOfRange()
    {
        // Arrange
        var bids = new PriceLevels(isAsk: false, 4);
        bids.Set(100, 1);

        // Act / Assert
        Assert.Multiple(() =>
        {
            Assert.That(() => bids.PriceAt(1), Throws.TypeOf<ArgumentOutOfRangeException>());
            Assert.That(() => bids.QuantityAt(-1), Throws.TypeOf<ArgumentOutOfRangeException>());
        });
    }

    private static string? Difference(PriceLevels side, SortedArrayPriceLevels model, long probe)
    {
        if (side.Count != model.Count)
        {
            return $"count {side.Count} ≠ {model.Count}";
        }

        for (var d = 0; d < model.Count; d++)
        {
            if (side.PriceAt(d) != model.PriceAt(d) || side.QuantityAt(d) != model.QuantityAt(d))
            {
                return $"depth {d}: {side.PriceAt(d)}×{side.QuantityAt(d)} ≠ {model.PriceAt(d)}×{model.QuantityAt(d)}";
            }
        }

        foreach (var levels in (int[])[0, 1, 5, 10, int.MaxValue])
        {
            if (side.SumQuantity(levels) != model.SumQuantity(levels))
            {
                return $"sum of {levels}";
            }
        }

        if (side.Digest(7) != model.Digest(7))
        {
            return "digest";
        }

        foreach (var p in (long[])[probe, model.Count > 0 ? model.PriceAt(0) : 0, model.Count > 0 ? model.PriceAt(model.Count - 1) : 0])
        {
            if (side.QuantityOf(p) != model.QuantityOf(p))
            {
                return $"quantity of {p}";
            }
        }

        return null;
    }
}
