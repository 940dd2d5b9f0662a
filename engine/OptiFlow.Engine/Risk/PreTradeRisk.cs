using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Risk;

/// <summary>
/// Pre-trade risk for the order gateway: every <see cref="OrderCommand"/> passes <see cref="Check"/> before it is sent. It
/// applies, in order: the command's shape; the 418 ban and 429 back-off (binance.md §6.1); the kill switch (New only); the
/// symbol's exchangeInfo filters (<see cref="FilterRules"/>, binance.md §4.3) and <c>MAX_NUM_ORDERS</c>; the engine's own
/// <see cref="RiskLimits"/> (open orders, position and notional per symbol and in total); and last the rate budgets
/// (<see cref="RateBudget"/>, binance.md §4.4, §6), which are only charged when everything else passed.
/// </summary>
/// <remarks>
/// <para>
/// Units: prices and quantities 10⁻⁸ units, notionals 10⁻⁸ quote units, times ms since the Unix epoch, passed in (no clock is
/// read, so a replay decides the same). Each refusal is a <see cref="RiskReason"/>, counted per reason.
/// </para>
/// <para>
/// State is what the owner reports: an accepted New counts as an open order (its quantity as pending on its side) until
/// <see cref="OnOrderClosed"/>; <see cref="OnFill"/> moves filled quantity from pending into the position. The position limit
/// uses the worst case <c>max(|pos + openBuy|, |pos − openSell|)</c>, like spot <c>MAX_POSITION</c> (binance.md §4.3), and
/// never refuses an order that does not grow it.
/// </para>
/// <para>
/// Not thread-safe: one owner, the gateway thread. <see cref="Check"/>, <see cref="OnFill"/> and <see cref="OnOrderClosed"/>
/// are allocation-free and never throw; the constructor allocates per-symbol arrays once.
/// </para>
/// </remarks>
/// <example><code>
/// var risk = new PreTradeRisk(rulesBySymbolId, limits, new RateBudget(rules));
/// var reason = risk.Check(in command, referencePrice, nowMs);
/// if (reason == RiskReason.Accepted) { Send(command); } // later: OnFill / OnOrderClosed from execution reports
/// </code></example>
public sealed class PreTradeRisk
{
    /// <summary>Number of <see cref="RiskReason"/> values (the size of the per-reason counters).</summary>
    public const int ReasonCount = (int)RiskReason.IpBanned + 1;

    private readonly InstrumentRules?[] _rules;
    private readonly RiskLimits _limits;
    private readonly RateBudget _budget;
    private readonly int[] _openOrders;
    private readonly long[] _openBuyQty;
    private readonly long[] _openSellQty;
    private readonly long[] _position;
    private readonly long[] _lastPrice;
    private readonly long[] _exposure;
    private readonly long[] _reasonCounts = new long[ReasonCount];
    private int _openOrdersTotal;
    private long _totalExposure;
    private bool _killSwitch;

    /// <summary>Creates the checks for symbols <c>0 … rulesBySymbolId.Count − 1</c>.</summary>
    /// <param name="rulesBySymbolId">Rules indexed by interned symbol id (<see cref="SymbolTable"/>); null: symbol not tradable.</param>
    /// <param name="limits">The engine's own limits.</param>
    /// <param name="budget">The rate budgets; owned by this instance from now on.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public PreTradeRisk(IReadOnlyList<InstrumentRules?> rulesBySymbolId, RiskLimits limits, RateBudget budget)
    {
        ArgumentNullException.ThrowIfNull(rulesBySymbolId);
        ArgumentNullException.ThrowIfNull(limits);
        ArgumentNullException.ThrowIfNull(budget);
        _rules = [.. rulesBySymbolId];
        _limits = limits;
        _budget = budget;
        var n = _rules.Length;
        _openOrders = new int[n];
        _openBuyQty = new long[n];
        _openSellQty = new long[n];
        _position = new long[n];
        _lastPrice = new long[n];
        _exposure = new long[n];
    }

    /// <summary>The rate budgets, for feeding response counts, 429 and 418 (<see cref="RateBudget.Observe"/>, …).</summary>
    public RateBudget Budget => _budget;

    /// <summary>Whether the kill switch is tripped: every New is refused with <see cref="RiskReason.KillSwitch"/>.</summary>
    public bool IsKillSwitchTripped => _killSwitch;

    /// <summary>
    /// Open orders (all symbols) the owner must cancel now that the kill switch is tripped; 0 when it is not tripped. Cancel
    /// and CancelAll still pass <see cref="Check"/>.
    /// </summary>
    public int OpenOrdersToCancel => _killSwitch ? _openOrdersTotal : 0;

    /// <summary>Open orders, all symbols.</summary>
    public int OpenOrders => _openOrdersTotal;

    /// <summary>Sum of every symbol's worst-case notional, 10⁻⁸ quote units.</summary>
    public long TotalNotional => _totalExposure;

    /// <summary>Trips the kill switch: from now on every New is refused until <see cref="ResetKillSwitch"/>.</summary>
    public void TripKillSwitch() => _killSwitch = true;

    /// <summary>Re-arms after a trip (an operator's decision).</summary>
    public void ResetKillSwitch() => _killSwitch = false;

    /// <summary>How many commands <see cref="Check"/> answered with <paramref name="reason"/>: refusals per reason, and <see cref="RiskReason.Accepted"/>.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count since construction.</returns>
    public long DecisionCount(RiskReason reason) => (uint)reason < ReasonCount ? _reasonCounts[(int)reason] : 0;

    /// <summary>Open orders on a symbol.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <returns>The count; 0 for an unknown symbol.</returns>
    public int OpenOrdersOf(int symbolId) => (uint)symbolId < (uint)_rules.Length ? _openOrders[symbolId] : 0;

    /// <summary>Position on a symbol from the fills reported, 10⁻⁸ base units, negative when short.</summary>
    /// <param name="symbolId">Interned symbol id.</param>
    /// <returns>The position; 0 for an unknown symbol.</returns>
    public long PositionOf(int symbolId) => (uint)symbolId < (uint)_rules.Length ? _position[symbolId] : 0;

    /// <summary>
    /// Decides whether <paramref name="command"/> may be sent and, when it may, charges the rate budgets and (for New) counts it
    /// as open.
    /// </summary>
    /// <param name="command">The command.</param>
    /// <param name="referencePrice">The price Binance checks against, 10⁻⁸ units: spot reference price (else the
    /// <c>avgPriceMins</c> average), futures mark price (binance.md §4.3). Prices MARKET orders for notional, position and
    /// notional limits; ≤ 0 when unknown (a MARKET order, or a limit order on a symbol with <c>PERCENT_PRICE*</c>, is then
    /// refused with <see cref="RiskReason.NoReferencePrice"/>).</param>
    /// <param name="nowMs">Now, ms since the Unix epoch.</param>
    /// <returns><see cref="RiskReason.Accepted"/> or why not.</returns>
    public RiskReason Check(in OrderCommand command, long referencePrice, long nowMs)
    {
        var reason = Decide(in command, referencePrice, nowMs);
        _reasonCounts[(int)reason]++;
        return reason;
    }

    /// <summary>
    /// A fill of <paramref name="quantity"/> at <paramref name="price"/>: moves it from the side's pending quantity into the
    /// position. Does not close the order (call <see cref="OnOrderClosed"/> when it is fully filled).
    /// </summary>
    /// <param name="symbolId">Interned symbol id; unknown ids are ignored.</param>
    /// <param name="side">The order's side.</param>
    /// <param name="quantity">Filled quantity, 10⁻⁸ base units, positive.</param>
    /// <param name="price">Fill price, 10⁻⁸ units.</param>
    public void OnFill(int symbolId, OrderSide side, long quantity, long price)
    {
        if ((uint)symbolId >= (uint)_rules.Length || quantity <= 0 || side is not (OrderSide.Buy or OrderSide.Sell))
        {
            return;
        }

        if (side == OrderSide.Buy)
        {
            _position[symbolId] += quantity;
            _openBuyQty[symbolId] = Math.Max(0, _openBuyQty[symbolId] - quantity);
        }
        else
        {
            _position[symbolId] -= quantity;
            _openSellQty[symbolId] = Math.Max(0, _openSellQty[symbolId] - quantity);
        }

        if (price > 0)
        {
            _lastPrice[symbolId] = price;
        }

        UpdateExposure(symbolId);
    }

    /// <summary>
    /// An open order is gone (fully filled, cancelled, expired or rejected by the venue): one fewer open order, and its unfilled
    /// <paramref name="remainingQuantity"/> no longer pending.
    /// </summary>
    /// <param name="symbolId">Interned symbol id; unknown ids are ignored.</param>
    /// <param name="side">The order's side.</param>
    /// <param name="remainingQuantity">Unfilled quantity, 10⁻⁸ base units (0 when fully filled).</param>
    public void OnOrderClosed(int symbolId, OrderSide side, long remainingQuantity)
    {
        if ((uint)symbolId >= (uint)_rules.Length || _openOrders[symbolId] == 0)
        {
            return;
        }

        _openOrders[symbolId]--;
        _openOrdersTotal--;
        if (remainingQuantity > 0)
        {
            if (side == OrderSide.Buy)
            {
                _openBuyQty[symbolId] = Math.Max(0, _openBuyQty[symbolId] - remainingQuantity);
            }
            else if (side == OrderSide.Sell)
            {
                _openSellQty[symbolId] = Math.Max(0, _openSellQty[symbolId] - remainingQuantity);
            }
        }

        UpdateExposure(symbolId);
    }

    private RiskReason Decide(in OrderCommand command, long referencePrice, long nowMs)
    {
        if (command.Validate() != OrderCommandFault.None)
        {
            return RiskReason.Malformed;
        }

        var s = command.SymbolId;
        if ((uint)s >= (uint)_rules.Length || _rules[s] is not { } rules)
        {
            return RiskReason.UnknownSymbol;
        }

        var blocked = _budget.Blocked(nowMs);
        if (blocked != RiskReason.Accepted)
        {
            return blocked;
        }

        if (command.Action != OrderAction.New)
        {
            return _budget.TryConsume(0, _limits.CancelWeight, nowMs);
        }

        if (_killSwitch)
        {
            return RiskReason.KillSwitch;
        }

        var isMarket = command.Type == OrderType.Market;
        if (referencePrice <= 0 && (isMarket || rules.HasPercentPrice))
        {
            return RiskReason.NoReferencePrice;
        }

        var r = FilterRules.CheckOrder(rules, command.Side, isMarket, command.Price, command.Quantity, referencePrice);
        if (r != RiskReason.Accepted)
        {
            return r;
        }

        if (!FilterRules.CanOpenOrder(_openOrders[s], rules.MaxNumOrders))
        {
            return RiskReason.MaxNumOrders;
        }

        if (_limits.MaxOpenOrders > 0 && _openOrdersTotal >= _limits.MaxOpenOrders)
        {
            return RiskReason.MaxOpenOrders;
        }

        var price = isMarket ? referencePrice : command.Price;
        var buy = command.Side == OrderSide.Buy;
        var q = command.Quantity;
        var current = WorstPosition(_position[s], _openBuyQty[s], _openSellQty[s]);
        var next = buy ? WorstPosition(_position[s], _openBuyQty[s] + q, _openSellQty[s]) : WorstPosition(_position[s], _openBuyQty[s], _openSellQty[s] + q);
        if (_limits.MaxPositionPerSymbol > 0 && next > _limits.MaxPositionPerSymbol && next > current)
        {
            return RiskReason.MaxPositionPerSymbol;
        }

        var nextExposure = Notional(next, price);
        var grows = nextExposure > _exposure[s];
        if (_limits.MaxNotionalPerSymbol > 0 && nextExposure > _limits.MaxNotionalPerSymbol && grows)
        {
            return RiskReason.MaxNotionalPerSymbol;
        }

        if (_limits.MaxTotalNotional > 0 && _totalExposure - _exposure[s] + nextExposure > _limits.MaxTotalNotional && grows)
        {
            return RiskReason.MaxTotalNotional;
        }

        r = _budget.TryConsume(1, _limits.NewOrderWeight, nowMs);
        if (r != RiskReason.Accepted)
        {
            return r;
        }

        _openOrders[s]++;
        _openOrdersTotal++;
        if (buy)
        {
            _openBuyQty[s] += q;
        }
        else
        {
            _openSellQty[s] += q;
        }

        _lastPrice[s] = price;
        UpdateExposure(s);
        return RiskReason.Accepted;
    }

    private static long WorstPosition(long position, long openBuy, long openSell) =>
        Math.Max(Math.Abs(position + openBuy), Math.Abs(position - openSell));

    private static long Notional(long quantity, long price)
    {
        var n = (Int128)quantity * price / FixedPoint.Scale;
        return n > long.MaxValue ? long.MaxValue : (long)n;
    }

    private void UpdateExposure(int s)
    {
        var e = Notional(WorstPosition(_position[s], _openBuyQty[s], _openSellQty[s]), _lastPrice[s]);
        _totalExposure += e - _exposure[s];
        _exposure[s] = e;
    }
}
