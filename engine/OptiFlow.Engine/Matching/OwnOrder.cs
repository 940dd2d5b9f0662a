using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Matching;

/// <summary>One open order of the participant, kept in the engine's pre-allocated pool.</summary>
internal struct OwnOrder
{
    public long ClientOrderId;
    public long CausingSequence;
    public long Price;
    public long Quantity;
    public long Filled;

    /// <summary>Market volume ahead of the order at its price, 10⁻⁸ units (risk-averse queue model).</summary>
    public long QueueAhead;

    public int SymbolId;
    public int Next;
    public int Previous;
    public OrderSide Side;
    public OrderType Type;
    public TimeInForce TimeInForce;

    public readonly long Remaining => Quantity - Filled;
}
