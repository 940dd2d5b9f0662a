using System.Runtime.InteropServices;

namespace OptiFlow.Engine.Orders;

/// <summary>
/// One outbound order command from the core to the order gateway: New, Cancel or CancelAll (ARCHITECTURE "Events").
/// Fixed size, 64 bytes (<see cref="OrderCommandDescriptor"/>); prices and quantities are 10⁻⁸ units.
/// </summary>
/// <remarks>
/// Create commands with <see cref="NewLimit"/>, <see cref="NewMarket"/>, <see cref="NewLimitMaker"/>,
/// <see cref="Cancel"/> and <see cref="CancelAll"/>: they set every field, reserved bytes included, and never
/// allocate or throw, so the core can build them on the hot path. <see cref="Validate"/> checks the shape (which
/// fields each action needs); the venue's rules (tick size, step size, min notional: binance.md "Filters") are the
/// gateway's risk checks. A plain data struct: not thread-safe by itself; the ring's publish/consume protocol orders
/// access.
/// </remarks>
[StructLayout(LayoutKind.Explicit, Size = OrderCommandDescriptor.Size)]
public struct OrderCommand
{
    /// <summary>Inbound ring sequence of the market event that caused this command (for tick-to-trade tracing).</summary>
    [FieldOffset(OrderCommandDescriptor.CausingSequenceOffset)]
    public long CausingSequence;

    /// <summary>This command's own client order id, positive; the gateway sends it as <c>newClientOrderId</c>.</summary>
    [FieldOffset(OrderCommandDescriptor.ClientOrderIdOffset)]
    public long ClientOrderId;

    /// <summary>For <see cref="OrderAction.Cancel"/>: the client order id of the order to cancel (<c>origClientOrderId</c>); otherwise 0.</summary>
    [FieldOffset(OrderCommandDescriptor.OriginalClientOrderIdOffset)]
    public long OriginalClientOrderId;

    /// <summary>Limit price, 10⁻⁸ units; 0 for market orders and cancels.</summary>
    [FieldOffset(OrderCommandDescriptor.PriceOffset)]
    public long Price;

    /// <summary>Quantity in base-asset 10⁻⁸ units; 0 for cancels.</summary>
    [FieldOffset(OrderCommandDescriptor.QuantityOffset)]
    public long Quantity;

    /// <summary>Binance event time <c>E</c> of the causing event, ms since the Unix epoch; 0 when it had none.</summary>
    [FieldOffset(OrderCommandDescriptor.EventTimeMsOffset)]
    public long EventTimeMs;

    /// <summary>Interned symbol id (<see cref="Model.SymbolTable"/>).</summary>
    [FieldOffset(OrderCommandDescriptor.SymbolIdOffset)]
    public int SymbolId;

    /// <summary>What the command asks for.</summary>
    [FieldOffset(OrderCommandDescriptor.ActionOffset)]
    public OrderAction Action;

    /// <summary>Buy or sell; <see cref="OrderSide.None"/> for cancel-all; a cancel may carry the cancelled order's side or none.</summary>
    [FieldOffset(OrderCommandDescriptor.SideOffset)]
    public OrderSide Side;

    /// <summary>Order type of a new order; <see cref="OrderType.None"/> for cancels.</summary>
    [FieldOffset(OrderCommandDescriptor.TypeOffset)]
    public OrderType Type;

    /// <summary>Time in force of a limit order; <see cref="TimeInForce.None"/> otherwise.</summary>
    [FieldOffset(OrderCommandDescriptor.TimeInForceOffset)]
    public TimeInForce TimeInForce;

    /// <summary>Reserved, zero.</summary>
    [FieldOffset(OrderCommandDescriptor.ReservedOffset)]
    public long Reserved;

    /// <summary>A new <c>LIMIT</c> order.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="price">Limit price, 10⁻⁸ units.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <param name="timeInForce">GTC, IOC, FOK, or GTX (futures post-only).</param>
    /// <param name="clientOrderId">This order's client order id, positive.</param>
    /// <param name="causingSequence">Inbound sequence of the causing market event.</param>
    /// <param name="eventTimeMs">Binance event time of the causing event, ms since the Unix epoch.</param>
    /// <returns>The command; not validated (see <see cref="Validate"/>).</returns>
    public static OrderCommand NewLimit(int symbolId, OrderSide side, long price, long quantity, TimeInForce timeInForce, long clientOrderId, long causingSequence, long eventTimeMs) =>
        Create(OrderAction.New, symbolId, side, OrderType.Limit, timeInForce, price, quantity, clientOrderId, 0, causingSequence, eventTimeMs);

    /// <summary>A new <c>MARKET</c> order.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <param name="clientOrderId">This order's client order id, positive.</param>
    /// <param name="causingSequence">Inbound sequence of the causing market event.</param>
    /// <param name="eventTimeMs">Binance event time of the causing event, ms since the Unix epoch.</param>
    /// <returns>The command; not validated.</returns>
    public static OrderCommand NewMarket(int symbolId, OrderSide side, long quantity, long clientOrderId, long causingSequence, long eventTimeMs) =>
        Create(OrderAction.New, symbolId, side, OrderType.Market, TimeInForce.None, 0, quantity, clientOrderId, 0, causingSequence, eventTimeMs);

    /// <summary>A new <c>LIMIT_MAKER</c> (post-only) order.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="side">Buy or sell.</param>
    /// <param name="price">Limit price, 10⁻⁸ units.</param>
    /// <param name="quantity">Quantity, 10⁻⁸ units.</param>
    /// <param name="clientOrderId">This order's client order id, positive.</param>
    /// <param name="causingSequence">Inbound sequence of the causing market event.</param>
    /// <param name="eventTimeMs">Binance event time of the causing event, ms since the Unix epoch.</param>
    /// <returns>The command; not validated.</returns>
    public static OrderCommand NewLimitMaker(int symbolId, OrderSide side, long price, long quantity, long clientOrderId, long causingSequence, long eventTimeMs) =>
        Create(OrderAction.New, symbolId, side, OrderType.LimitMaker, TimeInForce.None, price, quantity, clientOrderId, 0, causingSequence, eventTimeMs);

    /// <summary>Cancels one order by its client order id.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="originalClientOrderId">Client order id of the order to cancel, positive.</param>
    /// <param name="clientOrderId">This cancel's own client order id, positive.</param>
    /// <param name="causingSequence">Inbound sequence of the causing market event.</param>
    /// <param name="eventTimeMs">Binance event time of the causing event, ms since the Unix epoch.</param>
    /// <returns>The command; not validated.</returns>
    public static OrderCommand Cancel(int symbolId, long originalClientOrderId, long clientOrderId, long causingSequence, long eventTimeMs) =>
        Create(OrderAction.Cancel, symbolId, OrderSide.None, OrderType.None, TimeInForce.None, 0, 0, clientOrderId, originalClientOrderId, causingSequence, eventTimeMs);

    /// <summary>Cancels every open order of a symbol.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="clientOrderId">This command's client order id, positive.</param>
    /// <param name="causingSequence">Inbound sequence of the causing market event.</param>
    /// <param name="eventTimeMs">Binance event time of the causing event, ms since the Unix epoch.</param>
    /// <returns>The command; not validated.</returns>
    public static OrderCommand CancelAll(int symbolId, long clientOrderId, long causingSequence, long eventTimeMs) =>
        Create(OrderAction.CancelAll, symbolId, OrderSide.None, OrderType.None, TimeInForce.None, 0, 0, clientOrderId, 0, causingSequence, eventTimeMs);

    /// <summary>Checks the command's shape: which fields its action and type need and forbid.</summary>
    /// <returns><see cref="OrderCommandFault.None"/> when well formed, otherwise the first fault found.</returns>
    /// <remarks>Allocation-free, never throws. It does not check the venue's filters.</remarks>
    public readonly OrderCommandFault Validate()
    {
        if (Reserved != 0)
        {
            return OrderCommandFault.ReservedNotZero;
        }

        if (SymbolId < 0)
        {
            return OrderCommandFault.InvalidSymbol;
        }

        if (ClientOrderId <= 0)
        {
            return OrderCommandFault.InvalidClientOrderId;
        }

        switch (Action)
        {
            case OrderAction.New:
                return ValidateNew();
            case OrderAction.Cancel:
                if (OriginalClientOrderId <= 0)
                {
                    return OrderCommandFault.InvalidClientOrderId;
                }

                return ValidateCancel(sideAllowed: true);
            case OrderAction.CancelAll:
                if (OriginalClientOrderId != 0)
                {
                    return OrderCommandFault.InvalidClientOrderId;
                }

                return ValidateCancel(sideAllowed: false);
            default:
                return OrderCommandFault.UnknownAction;
        }
    }

    private readonly OrderCommandFault ValidateNew()
    {
        if (OriginalClientOrderId != 0)
        {
            return OrderCommandFault.InvalidClientOrderId;
        }

        if (Side is not (OrderSide.Buy or OrderSide.Sell))
        {
            return OrderCommandFault.InvalidSide;
        }

        if (Quantity <= 0)
        {
            return OrderCommandFault.InvalidQuantity;
        }

        switch (Type)
        {
            case OrderType.Limit:
                if (TimeInForce is not (TimeInForce.GoodTillCancelled or TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill or TimeInForce.GoodTillCrossing))
                {
                    return OrderCommandFault.InvalidTimeInForce;
                }

                return Price > 0 ? OrderCommandFault.None : OrderCommandFault.InvalidPrice;
            case OrderType.LimitMaker:
                if (TimeInForce != TimeInForce.None)
                {
                    return OrderCommandFault.InvalidTimeInForce;
                }

                return Price > 0 ? OrderCommandFault.None : OrderCommandFault.InvalidPrice;
            case OrderType.Market:
                if (TimeInForce != TimeInForce.None)
                {
                    return OrderCommandFault.InvalidTimeInForce;
                }

                return Price == 0 ? OrderCommandFault.None : OrderCommandFault.InvalidPrice;
            default:
                return OrderCommandFault.InvalidType;
        }
    }

    private readonly OrderCommandFault ValidateCancel(bool sideAllowed)
    {
        if (Side != OrderSide.None && !(sideAllowed && Side is OrderSide.Buy or OrderSide.Sell))
        {
            return OrderCommandFault.InvalidSide;
        }

        if (Type != OrderType.None)
        {
            return OrderCommandFault.InvalidType;
        }

        if (TimeInForce != TimeInForce.None)
        {
            return OrderCommandFault.InvalidTimeInForce;
        }

        if (Price != 0)
        {
            return OrderCommandFault.InvalidPrice;
        }

        return Quantity == 0 ? OrderCommandFault.None : OrderCommandFault.InvalidQuantity;
    }

    private static OrderCommand Create(
        OrderAction action, int symbolId, OrderSide side, OrderType type, TimeInForce timeInForce, long price, long quantity, long clientOrderId, long originalClientOrderId, long causingSequence, long eventTimeMs) =>
        new()
        {
            CausingSequence = causingSequence,
            ClientOrderId = clientOrderId,
            OriginalClientOrderId = originalClientOrderId,
            Price = price,
            Quantity = quantity,
            EventTimeMs = eventTimeMs,
            SymbolId = symbolId,
            Action = action,
            Side = side,
            Type = type,
            TimeInForce = timeInForce,
            Reserved = 0,
        };
}
