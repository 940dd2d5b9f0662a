using System.Runtime.CompilerServices;
using OptiFlow.Engine.Matching;

namespace OptiFlow.Engine.Orders;

/// <summary>The ledger's two open-addressing tables: orders by client order id, positions by (strategy, symbol).</summary>
public sealed partial class OrderLedger
{
    private const ulong Fibonacci = 0x9E3779B97F4A7C15;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int HomeOf(long clientOrderId) => (int)(((ulong)clientOrderId * Fibonacci) >> _orderShift);

    /// <summary>The slot of a tracked order, or -1.</summary>
    private int Find(long clientOrderId)
    {
        if (clientOrderId <= 0 || _tracked == 0)
        {
            return -1;
        }

        var mask = _orders.Length - 1;
        for (var i = HomeOf(clientOrderId); ; i = (i + 1) & mask)
        {
            var id = _orders[i].ClientOrderId;
            if (id == clientOrderId)
            {
                return i;
            }

            if (id == 0)
            {
                return -1;
            }
        }
    }

    private void Track(in OrderCommand command, int strategyId)
    {
        if (command.ClientOrderId <= 0 || Find(command.ClientOrderId) >= 0)
        {
            _anomalies[(byte)LedgerAnomaly.DuplicateClientOrderId]++;
            return;
        }

        if (_tracked == _orderCapacity && !EvictOldestClosed())
        {
            _anomalies[(byte)LedgerAnomaly.LedgerFull]++;
            return;
        }

        var mask = _orders.Length - 1;
        var i = HomeOf(command.ClientOrderId);
        while (_orders[i].ClientOrderId != 0)
        {
            i = (i + 1) & mask;
        }

        var bucket = Bucket(strategyId);
        ref var entry = ref _orders[i];
        entry = new OrderEntry
        {
            ClientOrderId = command.ClientOrderId,
            CausingSequence = command.CausingSequence,
            Price = command.Price,
            Quantity = command.Quantity,
            LastReportSequence = -1,
            OpenNotional = NotionalCeiling(command.Price, command.Quantity),
            SymbolId = command.SymbolId,
            Bucket = bucket,
            Side = command.Side,
            Type = command.Type,
            TimeInForce = command.TimeInForce,
            State = LedgerOrderState.PendingNew,
        };
        _tracked++;
        _openOrders[bucket]++;
        _pendingNew[bucket]++;
        _openNotional[bucket] += entry.OpenNotional;
    }

    /// <summary>Closes an open order: its counters leave the strategy's open totals; its id joins the eviction queue.</summary>
    private void Close(ref OrderEntry entry, LedgerOrderState state)
    {
        var bucket = entry.Bucket;
        if (entry.State == LedgerOrderState.PendingNew)
        {
            _pendingNew[bucket]--;
        }

        _openOrders[bucket]--;
        _openNotional[bucket] -= entry.OpenNotional;
        entry.OpenNotional = 0;
        entry.State = state;
        entry.CancelPending = false;

        // At most _orderCapacity orders are tracked, so the queue of closed ones never overflows.
        _closedIds[(_closedHead + _closedCount) % _closedIds.Length] = entry.ClientOrderId;
        _closedCount++;
    }

    private bool EvictOldestClosed()
    {
        if (_closedCount == 0)
        {
            return false;
        }

        var id = _closedIds[_closedHead];
        _closedHead = (_closedHead + 1) % _closedIds.Length;
        _closedCount--;
        var index = Find(id);
        if (index >= 0)
        {
            Remove(index);
        }

        return true;
    }

    /// <summary>Backward-shift deletion (linear probing): no tombstones, so lookups never slow down.</summary>
    private void Remove(int index)
    {
        var mask = _orders.Length - 1;
        var hole = index;
        var j = index;
        while (true)
        {
            j = (j + 1) & mask;
            var id = _orders[j].ClientOrderId;
            if (id == 0)
            {
                break;
            }

            var home = HomeOf(id);

            // The entry at j may move into the hole unless its home lies cyclically in (hole, j].
            var stays = hole <= j ? hole < home && home <= j : hole < home || home <= j;
            if (!stays)
            {
                _orders[hole] = _orders[j];
                hole = j;
            }
        }

        _orders[hole] = default;
        _tracked--;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static long PositionKey(int bucket, int symbolId) => ((long)(bucket + 1) << 32) | (uint)symbolId;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int PositionHome(long key) => (int)(((ulong)key * Fibonacci) >> _positionShift);

    private int FindPosition(long key)
    {
        var mask = _strategyPositions.Length - 1;
        for (var i = PositionHome(key); ; i = (i + 1) & mask)
        {
            var k = _strategyPositions[i].Key;
            if (k == key)
            {
                return i;
            }

            if (k == 0)
            {
                return -1;
            }
        }
    }

    /// <summary>The slot of a (strategy, symbol) position, added if new; -1 when the table is full.</summary>
    private int FindOrAddPosition(long key)
    {
        var mask = _strategyPositions.Length - 1;
        for (var i = PositionHome(key); ; i = (i + 1) & mask)
        {
            var k = _strategyPositions[i].Key;
            if (k == key)
            {
                return i;
            }

            if (k == 0)
            {
                if (_positionPairs == _positionCapacity)
                {
                    return -1;
                }

                _positionPairs++;
                _strategyPositions[i].Key = key;
                return i;
            }
        }
    }

    private struct OrderEntry
    {
        public long ClientOrderId; // 0: empty slot
        public long CausingSequence;
        public long Price;
        public long Quantity;
        public long CumulativeQuantity;
        public long LastReportSequence;
        public long OpenNotional; // this order's share of _openNotional[Bucket]
        public int SymbolId;
        public int Bucket;
        public OrderSide Side;
        public OrderType Type;
        public TimeInForce TimeInForce;
        public LedgerOrderState State;
        public bool CancelPending;

        public readonly bool IsOpen => State is LedgerOrderState.PendingNew or LedgerOrderState.New or LedgerOrderState.PartiallyFilled;

        public readonly LedgerOrder ToLedgerOrder() => new(
            ClientOrderId, SymbolId, Bucket, Side, Type, TimeInForce, Price, Quantity, CumulativeQuantity, State, CancelPending, CausingSequence, LastReportSequence);
    }

    private struct PositionEntry
    {
        public long Key; // 0: empty slot; else (bucket + 1) << 32 | symbol id
        public PositionAccumulator Position;
    }

    private struct PositionAccumulator
    {
        public long NetQuantity;
        public long BoughtQuantity;
        public long SoldQuantity;
        public long BuyNotional;
        public long SellNotional;
        public long Commission;
        public long Fills;

        public void Apply(OrderSide side, long price, long quantity, long commission)
        {
            if (side == OrderSide.Buy)
            {
                NetQuantity += quantity;
                BoughtQuantity += quantity;
                BuyNotional += (long)MatchingMath.CeilingDivide((Int128)price * quantity, Model.FixedPoint.Scale);
            }
            else
            {
                NetQuantity -= quantity;
                SoldQuantity += quantity;
                SellNotional += (long)MatchingMath.FloorDivide((Int128)price * quantity, Model.FixedPoint.Scale);
            }

            Commission += commission;
            Fills++;
        }

        public readonly LedgerPosition ToPosition(int symbolId, int strategyId, long markPrice) =>
            new(symbolId, strategyId, NetQuantity, BoughtQuantity, SoldQuantity, BuyNotional, SellNotional, Commission, Fills, markPrice);
    }
}
