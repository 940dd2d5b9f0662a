using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Matching;

/// <content>Market data: book levels, trades and the <see cref="MarketEvent"/> dispatcher.</content>
public sealed partial class MatchingEngine
{
    /// <summary>Applies one market event: depth and snapshot levels set the book, trades fill resting orders; every event advances time.</summary>
    /// <param name="marketEvent">The event; its <see cref="MarketEvent.EventTimeMs"/> is the engine's time (0 leaves time unchanged).</param>
    /// <remarks>
    /// A snapshot level with <see cref="MarketEvent.LevelIndex"/> 0 first clears the symbol's book (a snapshot replaces
    /// the book); queue positions keep their values. Trades flagged <see cref="MarketEventFlags.NonMarketTrade"/>,
    /// book tickers, mark prices, decode errors and events of symbols outside the engine only advance time.
    /// Allocation-free.
    /// </remarks>
    public void OnMarketEvent(in MarketEvent marketEvent)
    {
        var symbolId = marketEvent.SymbolId;
        if ((uint)symbolId >= (uint)_books.Length)
        {
            AdvanceTo(marketEvent.EventTimeMs);
            return;
        }

        switch (marketEvent.Kind)
        {
            case MarketEventKind.SnapshotLevel:
                AdvanceTo(marketEvent.EventTimeMs);
                if (marketEvent.LevelIndex == 0)
                {
                    _books[symbolId].Clear();
                }

                if (marketEvent.Side is BookSide.Bid or BookSide.Ask)
                {
                    ApplyLevel(symbolId, marketEvent.Side, marketEvent.Price, marketEvent.Quantity, marketEvent.EventTimeMs);
                }

                break;
            case MarketEventKind.DepthLevel when marketEvent.Side is BookSide.Bid or BookSide.Ask:
                ApplyLevel(symbolId, marketEvent.Side, marketEvent.Price, marketEvent.Quantity, marketEvent.EventTimeMs);
                break;
            case MarketEventKind.Trade or MarketEventKind.AggTrade when (marketEvent.Flags & MarketEventFlags.NonMarketTrade) == 0:
                var aggressor = (marketEvent.Flags & MarketEventFlags.BuyerIsMaker) != 0 ? OrderSide.Sell : OrderSide.Buy;
                ApplyTrade(symbolId, aggressor, marketEvent.Price, marketEvent.Quantity, marketEvent.EventTimeMs);
                break;
            default:
                AdvanceTo(marketEvent.EventTimeMs);
                break;
        }
    }

    /// <summary>Sets one level of a symbol's book to an absolute quantity (0 removes it), as a diff-depth update does.</summary>
    /// <param name="symbolId">Symbol id.</param>
    /// <param name="side">Bid or ask.</param>
    /// <param name="price">Price, 10⁻⁸ units.</param>
    /// <param name="quantity">Absolute quantity, 10⁻⁸ units; 0 removes the level.</param>
    /// <param name="eventTimeMs">Event time, ms since the Unix epoch; due commands are processed first.</param>
    /// <remarks>
    /// A decrease does not advance the queue of the participant's orders at that price; it only caps their volume ahead
    /// at the new quantity (hftbacktest <c>RiskAverseQueueModel.depth</c>: <c>q = min(q, new_qty)</c>). Allocation-free.
    /// </remarks>
    /// <exception cref="IndexOutOfRangeException">When the symbol id is out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException">When <paramref name="side"/> is neither bid nor ask.</exception>
    public void ApplyLevel(int symbolId, BookSide side, long price, long quantity, long eventTimeMs)
    {
        var book = _books[symbolId];
        AdvanceTo(eventTimeMs);
        book.Set(side, price, quantity);
        var ownSide = side == BookSide.Bid ? OrderSide.Buy : OrderSide.Sell;
        for (var slot = _restingHead[symbolId]; slot != NoOrder; slot = _orders[slot].Next)
        {
            ref var order = ref _orders[slot];
            if (order.Side == ownSide && order.Price == price && order.QueueAhead > quantity)
            {
                order.QueueAhead = quantity;
            }
        }
    }

    /// <summary>Applies one market trade to the participant's resting orders of the symbol.</summary>
    /// <param name="symbolId">Symbol id.</param>
    /// <param name="aggressorSide">The taker's side: <see cref="OrderSide.Sell"/> when the buyer is the maker (Binance <c>m</c> true).</param>
    /// <param name="price">Trade price, 10⁻⁸ units.</param>
    /// <param name="quantity">Trade quantity, 10⁻⁸ units.</param>
    /// <param name="eventTimeMs">Event time, ms since the Unix epoch; due commands are processed first, and fills carry it.</param>
    /// <remarks>
    /// Only orders on the side the aggressor hits are affected (a sell trade fills bids). At the order's price the trade
    /// first consumes the volume ahead; the excess fills the order. A trade through the price (a sell below a resting
    /// bid) fills the order up to the trade's quantity. Fills are maker fills at the order's price. The book is not
    /// changed: the depth stream reports the trade's effect. Allocation-free.
    /// </remarks>
    /// <exception cref="IndexOutOfRangeException">When the symbol id is out of range.</exception>
    public void ApplyTrade(int symbolId, OrderSide aggressorSide, long price, long quantity, long eventTimeMs)
    {
        _ = _books[symbolId];
        AdvanceTo(eventTimeMs);
        var hitSide = aggressorSide == OrderSide.Sell ? OrderSide.Buy : OrderSide.Sell;
        var slot = _restingHead[symbolId];
        while (slot != NoOrder)
        {
            ref var order = ref _orders[slot];
            var next = order.Next;
            if (order.Side == hitSide)
            {
                long fill = 0;
                if (order.Price == price)
                {
                    order.QueueAhead -= quantity;
                    if (order.QueueAhead < 0)
                    {
                        fill = Math.Min(order.Remaining, -order.QueueAhead);
                        order.QueueAhead = 0;
                    }
                }
                else if (hitSide == OrderSide.Buy ? price < order.Price : price > order.Price)
                {
                    fill = Math.Min(order.Remaining, quantity);
                }

                if (fill > 0)
                {
                    Fill(ref order, order.Price, fill, isMaker: true, eventTimeMs);
                    if (order.Remaining == 0)
                    {
                        Remove(slot);
                    }
                }
            }

            slot = next;
        }
    }
}
