using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Tests;

public class OrderCommandTests
{
    private static readonly (string Field, int Offset)[] Layout =
    [
        (nameof(OrderCommand.CausingSequence), OrderCommandDescriptor.CausingSequenceOffset),
        (nameof(OrderCommand.ClientOrderId), OrderCommandDescriptor.ClientOrderIdOffset),
        (nameof(OrderCommand.OriginalClientOrderId), OrderCommandDescriptor.OriginalClientOrderIdOffset),
        (nameof(OrderCommand.Price), OrderCommandDescriptor.PriceOffset),
        (nameof(OrderCommand.Quantity), OrderCommandDescriptor.QuantityOffset),
        (nameof(OrderCommand.EventTimeMs), OrderCommandDescriptor.EventTimeMsOffset),
        (nameof(OrderCommand.SymbolId), OrderCommandDescriptor.SymbolIdOffset),
        (nameof(OrderCommand.Action), OrderCommandDescriptor.ActionOffset),
        (nameof(OrderCommand.Side), OrderCommandDescriptor.SideOffset),
        (nameof(OrderCommand.Type), OrderCommandDescriptor.TypeOffset),
        (nameof(OrderCommand.TimeInForce), OrderCommandDescriptor.TimeInForceOffset),
        (nameof(OrderCommand.Reserved), OrderCommandDescriptor.ReservedOffset),
    ];

    [Test]
    public void ShouldBeOneCacheLine_WhenMeasuringSize()
    {
        // Act
        var size = Unsafe.SizeOf<OrderCommand>();

        // Assert
        Assert.That(size, Is.EqualTo(64).And.EqualTo(OrderCommandDescriptor.Size));
    }

    [Test]
    public void ShouldPlaceEveryFieldAtItsDescriptorOffset_WhenUsingMarshalOffsetOf()
    {
        // Act
        var misplaced = Layout.Where(f => (int)Marshal.OffsetOf<OrderCommand>(f.Field) != f.Offset).Select(f => f.Field).ToArray();

        // Assert
        Assert.That(misplaced, Is.Empty);
    }

    [Test]
    public void ShouldCoverEveryPublicFieldWithoutGaps_WhenListingTheLayout()
    {
        // Arrange
        var publicFields = typeof(OrderCommand).GetFields().Select(f => f.Name).Order().ToArray();
        var ordered = Layout.OrderBy(f => f.Offset).ToArray();

        // Act: each field ends where the next starts, and the last ends at Size.
        var gaps = ordered.Zip(ordered.Skip(1).Select(f => f.Offset).Append(OrderCommandDescriptor.Size))
            .Where(p => p.First.Offset + Marshal.SizeOf(typeof(OrderCommand).GetField(p.First.Field)!.FieldType.IsEnum
                ? Enum.GetUnderlyingType(typeof(OrderCommand).GetField(p.First.Field)!.FieldType)
                : typeof(OrderCommand).GetField(p.First.Field)!.FieldType) != p.Second)
            .Select(p => p.First.Field)
            .ToArray();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(publicFields, Is.EqualTo(Layout.Select(f => f.Field).Order().ToArray()));
            Assert.That(gaps, Is.Empty);
        }
    }

    [Test]
    public void ShouldBeWellFormed_WhenCreatedByEveryFactory()
    {
        // Arrange
        OrderCommand[] commands =
        [
            OrderCommand.NewLimit(1, OrderSide.Buy, 2_814_510_000_000, 1_000_000, TimeInForce.GoodTillCancelled, 10, 100, 1_700_000_000_000),
            OrderCommand.NewLimit(1, OrderSide.Sell, 2_814_510_000_000, 1_000_000, TimeInForce.ImmediateOrCancel, 11, 100, 1_700_000_000_000),
            OrderCommand.NewLimit(1, OrderSide.Sell, 2_814_510_000_000, 1_000_000, TimeInForce.FillOrKill, 12, 100, 1_700_000_000_000),
            OrderCommand.NewMarket(1, OrderSide.Buy, 1_000_000, 13, 101, 1_700_000_000_001),
            OrderCommand.NewLimitMaker(1, OrderSide.Sell, 2_814_520_000_000, 1_000_000, 14, 102, 1_700_000_000_002),
            OrderCommand.Cancel(1, 10, 15, 103, 1_700_000_000_003),
            OrderCommand.CancelAll(1, 16, 104, 1_700_000_000_004),
        ];

        // Act
        var faults = commands.Select(c => c.Validate()).ToArray();

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(faults, Is.All.EqualTo(OrderCommandFault.None));
            Assert.That(commands.Select(c => c.Reserved), Is.All.Zero);
            Assert.That(commands.Select(c => c.Action), Is.EqualTo(new[] { OrderAction.New, OrderAction.New, OrderAction.New, OrderAction.New, OrderAction.New, OrderAction.Cancel, OrderAction.CancelAll }));
            Assert.That(commands[5].OriginalClientOrderId, Is.EqualTo(10));
            Assert.That(commands[3].Price, Is.Zero, "a market order has no price");
        }
    }

    private static IEnumerable<TestCaseData> Malformed()
    {
        var limit = OrderCommand.NewLimit(1, OrderSide.Buy, 100, 5, TimeInForce.GoodTillCancelled, 10, 1, 1);
        yield return Case(limit with { Action = OrderAction.None }, OrderCommandFault.UnknownAction, "no action");
        yield return Case(limit with { Action = (OrderAction)9 }, OrderCommandFault.UnknownAction, "undefined action");
        yield return Case(limit with { SymbolId = -1 }, OrderCommandFault.InvalidSymbol, "negative symbol");
        yield return Case(limit with { ClientOrderId = 0 }, OrderCommandFault.InvalidClientOrderId, "no client order id");
        yield return Case(limit with { OriginalClientOrderId = 3 }, OrderCommandFault.InvalidClientOrderId, "new order naming an original id");
        yield return Case(limit with { Side = OrderSide.None }, OrderCommandFault.InvalidSide, "new order without side");
        yield return Case(limit with { Quantity = 0 }, OrderCommandFault.InvalidQuantity, "zero quantity");
        yield return Case(limit with { Quantity = -5 }, OrderCommandFault.InvalidQuantity, "negative quantity");
        yield return Case(limit with { Price = 0 }, OrderCommandFault.InvalidPrice, "limit without price");
        yield return Case(limit with { TimeInForce = TimeInForce.None }, OrderCommandFault.InvalidTimeInForce, "limit without time in force");
        yield return Case(limit with { Type = OrderType.None }, OrderCommandFault.InvalidType, "new order without type");
        yield return Case(limit with { Reserved = 1 }, OrderCommandFault.ReservedNotZero, "reserved bytes set");
        var market = OrderCommand.NewMarket(1, OrderSide.Sell, 5, 10, 1, 1);
        yield return Case(market with { Price = 100 }, OrderCommandFault.InvalidPrice, "market with a price");
        yield return Case(market with { TimeInForce = TimeInForce.ImmediateOrCancel }, OrderCommandFault.InvalidTimeInForce, "market with time in force");
        var maker = OrderCommand.NewLimitMaker(1, OrderSide.Sell, 100, 5, 10, 1, 1);
        yield return Case(maker with { TimeInForce = TimeInForce.GoodTillCancelled }, OrderCommandFault.InvalidTimeInForce, "limit maker with time in force");
        var cancel = OrderCommand.Cancel(1, 7, 10, 1, 1);
        yield return Case(cancel with { OriginalClientOrderId = 0 }, OrderCommandFault.InvalidClientOrderId, "cancel naming no order");
        yield return Case(cancel with { Quantity = 1 }, OrderCommandFault.InvalidQuantity, "cancel with quantity");
        yield return Case(cancel with { Price = 1 }, OrderCommandFault.InvalidPrice, "cancel with price");
        yield return Case(cancel with { Type = OrderType.Limit }, OrderCommandFault.InvalidType, "cancel with type");
        var cancelAll = OrderCommand.CancelAll(1, 10, 1, 1);
        yield return Case(cancelAll with { Side = OrderSide.Buy }, OrderCommandFault.InvalidSide, "cancel-all with side");
        yield return Case(cancelAll with { OriginalClientOrderId = 4 }, OrderCommandFault.InvalidClientOrderId, "cancel-all naming an order");

        static TestCaseData Case(OrderCommand command, OrderCommandFault fault, string name) => new TestCaseData(command).Returns(fault).SetName($"Validate: {name}");
    }

    [TestCaseSource(nameof(Malformed))]
    public OrderCommandFault ShouldReportTheFault_WhenACommandIsMalformed(OrderCommand command) => command.Validate();

    [Test]
    public void ShouldAcceptACancelThatCarriesTheCancelledOrdersSide_WhenValidating()
    {
        // Arrange
        var cancel = OrderCommand.Cancel(1, 7, 10, 1, 1) with { Side = OrderSide.Sell };

        // Act
        var fault = cancel.Validate();

        // Assert
        Assert.That(fault, Is.EqualTo(OrderCommandFault.None));
    }

    [Test]
    public void ShouldNotAllocate_WhenCreatingAndValidatingCommands()
    {
        // Arrange
        var sum = 0L;
        for (var i = 1; i < 1_000; i++)
        {
            sum += (long)OrderCommand.NewLimit(1, OrderSide.Buy, i, i, TimeInForce.GoodTillCancelled, i, i, i).Validate();
        }

        // Act
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 1; i < 100_000; i++)
        {
            sum += (long)OrderCommand.NewLimit(1, OrderSide.Buy, i, i, TimeInForce.GoodTillCancelled, i, i, i).Validate();
            sum += (long)OrderCommand.Cancel(1, i, i + 1, i, i).Validate();
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(allocated, Is.Zero);
            Assert.That(sum, Is.Zero, "every command was well formed");
        }
    }
}
