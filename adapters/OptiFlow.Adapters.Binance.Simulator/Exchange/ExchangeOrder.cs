using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>The exchange's record of one order: what <c>order.status</c> answers and what user data events carry.</summary>
/// <remarks>Mutated only under the exchange lock. Allocates its fill list.</remarks>
internal sealed class ExchangeOrder
{
    public required long OrderId { get; init; }

    public required string ClientOrderId { get; init; }

    public required int SymbolId { get; init; }

    public required string Symbol { get; init; }

    public required OrderSide Side { get; init; }

    /// <summary>The type as the client sent it (<c>LIMIT</c>, <c>MARKET</c>, <c>LIMIT_MAKER</c>).</summary>
    public required string TypeText { get; init; }

    /// <summary>The time in force as sent (<c>GTC</c>, <c>IOC</c>, <c>FOK</c>, <c>GTX</c>), or <c>GTC</c> for types without one (as Binance reports them).</summary>
    public required string TimeInForceText { get; init; }

    public required long Price { get; init; }

    public required long Quantity { get; init; }

    public required long CreatedMs { get; init; }

    public OrderStatus Status { get; set; }

    public ExecutionReason Reason { get; set; }

    public long Executed { get; set; }

    /// <summary>Σ price × quantity of the fills, 10⁻⁸ quote units (floor per fill).</summary>
    public long CumulativeQuote { get; set; }

    public long UpdateMs { get; set; }

    /// <summary>When the order went on the book, ms; 0 when it never rested.</summary>
    public long WorkingMs { get; set; }

    public List<OrderFill> Fills { get; } = [];

    /// <summary>Whether the order is open (NEW or PARTIALLY_FILLED).</summary>
    public bool IsOpen => Status is OrderStatus.New or OrderStatus.PartiallyFilled;
}

/// <summary>One fill of an <see cref="ExchangeOrder"/>; prices and quantities 10⁻⁸ units.</summary>
internal readonly record struct OrderFill(long Price, long Quantity, long Commission, long TradeId, bool IsMaker);
