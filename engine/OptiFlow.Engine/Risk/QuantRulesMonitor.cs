using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Risk;

/// <summary>
/// Tracks Binance's USDⓈ-M quantitative trading rules per symbol (binance.md §9, <c>[QR]</c>): UFR, ICR (or the older GCR),
/// IFER and DR over 10-minute cycles, from the order events the owner reports, and raises <see cref="QuantRuleLevel.Warning"/>
/// before the ban threshold.
/// </summary>
/// <remarks>
/// <para>
/// Cycles are fixed: <c>[k × CycleMs, (k + 1) × CycleMs)</c> in ms since the Unix epoch (binance.md §9 speaks of "10-minute
/// cycles"). An order belongs to the cycle it was placed in; its fill, cancel or expiry counts only when reported in that
/// same cycle (the indicators are over "orders placed in the past 10 min"). The first event of a new cycle clears the symbol.
/// </para>
/// <para>
/// Definitions (binance.md §9): UFR = <c>1 − executed qty / placed qty</c>; ICR = <c>cancels less than InvalidCancelMs after
/// placement / (GTC + GTX) orders</c> (GCR: GTC only, 2 s: <see cref="QuantRulesThresholds.IncludePostOnlyInCancelRatio"/>);
/// IFER = <c>expired IOC+FOK / IOC+FOK orders</c>; DR = <c>orders below DustNotional / orders</c>. Report only orders the
/// venue accepted ("rejected orders do not count"). A level is <see cref="QuantRuleLevel.Breach"/> at or past both the
/// recording count and the ban ratio (ratios compared exactly, in integers).
/// </para>
/// <para>Time is passed in; no clock is read. Not thread-safe (one owner). Allocation-free after construction; never throws after construction.</para>
/// </remarks>
public sealed class QuantRulesMonitor
{
    private const long Bps = 10_000;

    private readonly QuantRulesThresholds _t;
    private readonly Cycle[] _cycles;

    /// <summary>Creates a monitor for symbols <c>0 … symbolCount − 1</c>.</summary>
    /// <param name="symbolCount">Number of interned symbols.</param>
    /// <param name="thresholds">Thresholds and margins.</param>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="symbolCount"/> is negative or the cycle not positive.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="thresholds"/> is null.</exception>
    public QuantRulesMonitor(int symbolCount, QuantRulesThresholds thresholds)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(symbolCount);
        ArgumentNullException.ThrowIfNull(thresholds);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(thresholds.CycleMs);
        _t = thresholds;
        _cycles = new Cycle[symbolCount];
        for (var i = 0; i < _cycles.Length; i++)
        {
            _cycles[i].StartMs = long.MinValue;
        }
    }

    /// <summary>An order the venue accepted.</summary>
    /// <param name="symbolId">Interned symbol id; unknown ids are ignored.</param>
    /// <param name="timeInForce">Its time in force (<see cref="TimeInForce.None"/> for MARKET).</param>
    /// <param name="quantity">Base quantity, 10⁻⁸ units.</param>
    /// <param name="notional">Notional, 10⁻⁸ quote units (for DR).</param>
    /// <param name="nowMs">Placement time, ms since the Unix epoch.</param>
    public void OnPlaced(int symbolId, TimeInForce timeInForce, long quantity, long notional, long nowMs)
    {
        if (!Roll(symbolId, nowMs))
        {
            return;
        }

        ref var c = ref _cycles[symbolId];
        c.Orders++;
        c.PlacedQty += Math.Max(0, quantity);
        if (IsCancelCounted(timeInForce))
        {
            c.CancelBase++;
        }

        if (timeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill)
        {
            c.IocFok++;
        }

        if (notional < _t.DustNotional)
        {
            c.Dust++;
        }
    }

    /// <summary>A fill of an order placed at <paramref name="placedMs"/>.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="quantity">Executed base quantity, 10⁻⁸ units.</param>
    /// <param name="placedMs">When the order was placed, ms since the Unix epoch.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    public void OnFilled(int symbolId, long quantity, long placedMs, long nowMs)
    {
        if (SameCycle(symbolId, placedMs, nowMs))
        {
            ref var c = ref _cycles[symbolId];
            c.ExecutedQty = Math.Min(c.PlacedQty, c.ExecutedQty + Math.Max(0, quantity));
        }
    }

    /// <summary>A cancel of an order placed at <paramref name="placedMs"/>; invalid when sooner than <see cref="QuantRulesThresholds.InvalidCancelMs"/>.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="timeInForce">The cancelled order's time in force.</param>
    /// <param name="placedMs">When the order was placed, ms since the Unix epoch.</param>
    /// <param name="nowMs">When it was cancelled, ms since the Unix epoch.</param>
    public void OnCancelled(int symbolId, TimeInForce timeInForce, long placedMs, long nowMs)
    {
        if (SameCycle(symbolId, placedMs, nowMs) && IsCancelCounted(timeInForce) && nowMs - placedMs < _t.InvalidCancelMs)
        {
            _cycles[symbolId].InvalidCancels++;
        }
    }

    /// <summary>An IOC or FOK order placed at <paramref name="placedMs"/> expired (other times in force are ignored).</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="timeInForce">The order's time in force.</param>
    /// <param name="placedMs">When the order was placed, ms since the Unix epoch.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    public void OnExpired(int symbolId, TimeInForce timeInForce, long placedMs, long nowMs)
    {
        if (timeInForce is TimeInForce.ImmediateOrCancel or TimeInForce.FillOrKill && SameCycle(symbolId, placedMs, nowMs))
        {
            _cycles[symbolId].Expired++;
        }
    }

    /// <summary>An indicator's value in the current cycle, basis points rounded down; 0 when its denominator is 0.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="indicator">The indicator.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns>The ratio × 10,000.</returns>
    public long RatioBps(int symbolId, QuantIndicator indicator, long nowMs)
    {
        if (!Roll(symbolId, nowMs))
        {
            return 0;
        }

        var (num, den, _) = Terms(in _cycles[symbolId], indicator);
        return den == 0 ? 0 : (long)((Int128)num * Bps / den);
    }

    /// <summary>The orders counted towards an indicator's recording threshold in the current cycle.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="indicator">The indicator.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns>All orders (UFR, DR), GTC(+GTX) orders (ICR), or IOC+FOK orders (IFER).</returns>
    public long OrderCount(int symbolId, QuantIndicator indicator, long nowMs) =>
        Roll(symbolId, nowMs) ? Terms(in _cycles[symbolId], indicator).Count : 0;

    /// <summary>Where the symbol stands against one indicator now.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="indicator">The indicator.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns>Normal, Warning or Breach.</returns>
    public QuantRuleLevel Level(int symbolId, QuantIndicator indicator, long nowMs)
    {
        if (!Roll(symbolId, nowMs))
        {
            return QuantRuleLevel.Normal;
        }

        var (num, den, count) = Terms(in _cycles[symbolId], indicator);
        if (den == 0)
        {
            return QuantRuleLevel.Normal;
        }

        var (recording, banBps) = indicator switch
        {
            QuantIndicator.UnfilledRatio => (_t.UnfilledRecordingOrders, _t.UnfilledBanBps),
            QuantIndicator.InvalidCancellationRatio => (_t.CancelRecordingOrders, _t.CancelBanBps),
            QuantIndicator.IocFokExpireRatio => (_t.ExpireRecordingOrders, _t.ExpireBanBps),
            _ => (_t.DustRecordingOrders, _t.DustBanBps),
        };
        var scaledNum = (Int128)num * Bps;
        if (count >= recording && scaledNum >= (Int128)banBps * den)
        {
            return QuantRuleLevel.Breach;
        }

        var warnCount = (Int128)count * Bps >= (Int128)recording * (Bps - _t.WarningCountMarginBps);
        var warnRatio = scaledNum >= (Int128)(banBps - _t.WarningMarginBps) * den;
        return warnCount && warnRatio ? QuantRuleLevel.Warning : QuantRuleLevel.Normal;
    }

    /// <summary>The worst level over every indicator of the symbol now.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns>The highest <see cref="QuantRuleLevel"/>.</returns>
    public QuantRuleLevel WorstLevel(int symbolId, long nowMs)
    {
        var worst = QuantRuleLevel.Normal;
        for (var i = QuantIndicator.UnfilledRatio; i <= QuantIndicator.DustRatio; i++)
        {
            var l = Level(symbolId, i, nowMs);
            worst = l > worst ? l : worst;
        }

        return worst;
    }

    private static (long Num, long Den, long Count) Terms(in Cycle c, QuantIndicator indicator) => indicator switch
    {
        QuantIndicator.UnfilledRatio => (c.PlacedQty - c.ExecutedQty, c.PlacedQty, c.Orders),
        QuantIndicator.InvalidCancellationRatio => (c.InvalidCancels, c.CancelBase, c.CancelBase),
        QuantIndicator.IocFokExpireRatio => (c.Expired, c.IocFok, c.IocFok),
        _ => (c.Dust, c.Orders, c.Orders),
    };

    private bool IsCancelCounted(TimeInForce tif) =>
        tif == TimeInForce.GoodTillCancelled || (_t.IncludePostOnlyInCancelRatio && tif == TimeInForce.GoodTillCrossing);

    private long CycleStart(long ms) => ms - (((ms % _t.CycleMs) + _t.CycleMs) % _t.CycleMs);

    private bool SameCycle(int symbolId, long placedMs, long nowMs) =>
        Roll(symbolId, nowMs) && CycleStart(placedMs) == _cycles[symbolId].StartMs;

    private bool Roll(int symbolId, long nowMs)
    {
        if ((uint)symbolId >= (uint)_cycles.Length)
        {
            return false;
        }

        ref var c = ref _cycles[symbolId];
        var start = CycleStart(nowMs);
        if (start > c.StartMs)
        {
            c = default;
            c.StartMs = start;
        }

        return true;
    }

    private struct Cycle
    {
        public long StartMs;
        public long Orders;
        public long PlacedQty;
        public long ExecutedQty;
        public long CancelBase;
        public long InvalidCancels;
        public long IocFok;
        public long Expired;
        public long Dust;
    }
}
