using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>What a session's order gateway did (<see cref="SessionResult.Trading"/>): commands, risk decisions, venue
/// outcomes, fills, positions and PnL per symbol, and the tick-to-order stages.</summary>
/// <remarks>Counts are of execution reports the gateway saw come back through the inbound ring (the ones the core saw).
/// Quantities and money are 10⁻⁸ units (money in the quote asset).</remarks>
public sealed record TradingResult
{
    /// <summary>The venue's name: paper, sim or live.</summary>
    public required string Venue { get; init; }

    /// <summary>Order commands the gateway took from the outbound ring (plus its own kill-switch cancel-alls).</summary>
    public long Commands { get; init; }

    /// <summary>New-order commands.</summary>
    public long NewOrders { get; init; }

    /// <summary>Cancel commands.</summary>
    public long Cancels { get; init; }

    /// <summary>Cancel-all commands.</summary>
    public long CancelAlls { get; init; }

    /// <summary>Commands risk accepted.</summary>
    public long RiskAccepted { get; init; }

    /// <summary>Risk refusals by rule.</summary>
    public IReadOnlyDictionary<RiskReason, long> RiskRejections { get; init; } = new Dictionary<RiskReason, long>();

    /// <summary>Requests the venue took.</summary>
    public long Sent { get; init; }

    /// <summary>Commands that passed risk but could not be sent (no session): reported REJECTED.</summary>
    public long NotSent { get; init; }

    /// <summary>NEW reports (acknowledged orders).</summary>
    public long Acknowledged { get; init; }

    /// <summary>PARTIALLY_FILLED reports.</summary>
    public long PartiallyFilled { get; init; }

    /// <summary>FILLED reports.</summary>
    public long Filled { get; init; }

    /// <summary>CANCELED reports.</summary>
    public long Canceled { get; init; }

    /// <summary>EXPIRED reports.</summary>
    public long Expired { get; init; }

    /// <summary>REJECTED reports (risk, venue, cancels of unknown orders).</summary>
    public long Rejected { get; init; }

    /// <summary>REJECTED and EXPIRED reports by reason.</summary>
    public IReadOnlyDictionary<ExecutionReason, long> RejectedByReason { get; init; } = new Dictionary<ExecutionReason, long>();

    /// <summary>Fills (reports with a last quantity).</summary>
    public long Fills { get; init; }

    /// <summary>Execution reports the gateway and its venue published into the inbound ring.</summary>
    public long ReportsPublished { get; init; }

    /// <summary>Reports lost to a full backlog (each trips the kill switch); 0 in a healthy run.</summary>
    public long ReportsLost { get; init; }

    /// <summary>Commands handled after their causing event had passed (no tick-to-order sample); 0 in a healthy run.</summary>
    public long LateCommands { get; init; }

    /// <summary>Commands the gateway itself decided and sent (kill-switch and stop cancels): they have no causing tick, so no tick-to-order sample.</summary>
    public long GatewaySent { get; init; }

    /// <summary>Whether the kill switch tripped.</summary>
    public bool KillSwitchTripped { get; init; }

    /// <summary>Whether <see cref="TradingOptions.MaxLoss"/> tripped the kill switch.</summary>
    public bool LossLimitHit { get; init; }

    /// <summary>Cancels the kill switch sent (one per open order).</summary>
    public long KillSwitchCancels { get; init; }

    /// <summary>Cancels sent when the session stopped, one per open order (<see cref="TradingOptions.CancelOpenOrdersOnStop"/>).</summary>
    public long StopCancels { get; init; }

    /// <summary>Orders still open when the session stopped (after the stop's cancels were answered).</summary>
    public int OpenOrdersAtEnd { get; init; }

    /// <summary>USDⓈ-M quantitative-rules checks at Warning level (binance.md §9), counted when an order closed.</summary>
    public long QuantRuleWarnings { get; init; }

    /// <summary>USDⓈ-M quantitative-rules checks at Breach level.</summary>
    public long QuantRuleBreaches { get; init; }

    /// <summary>Per symbol with orders or fills.</summary>
    public IReadOnlyList<SymbolTradingResult> Symbols { get; init; } = [];

    /// <summary>Tick-to-order and its stages.</summary>
    public required TickToOrderStages Stages { get; init; }

    /// <summary>Bytes the gateway thread allocated in steady state (after its first <see cref="EngineOptions.SteadyStateAfter"/> inbound events, to the end of its loop, the venue's stop excluded); -1 when the window never opened.</summary>
    public long GatewaySteadyStateBytes { get; init; } = -1;

    /// <summary>The exception that stopped the gateway thread, or null.</summary>
    public Exception? Fault { get; init; }
}

/// <summary>One symbol's trading: orders, fills, position, cash and PnL at the last reference price.</summary>
/// <param name="Symbol">Symbol name.</param>
/// <param name="Orders">New orders sent.</param>
/// <param name="Fills">Fills.</param>
/// <param name="BoughtQuantity">Bought, 10⁻⁸ base units.</param>
/// <param name="SoldQuantity">Sold, 10⁻⁸ base units.</param>
/// <param name="Position">Net position (bought − sold), 10⁻⁸ base units; equals the sum of fills.</param>
/// <param name="Cash">Sold notional − bought notional, 10⁻⁸ quote units.</param>
/// <param name="Commission">Commissions paid, 10⁻⁸ quote units.</param>
/// <param name="MarkPrice">The reference price at the end (futures mark price, else mid, else last trade), 10⁻⁸ units; 0 when none.</param>
/// <param name="Pnl">Cash + position × mark − commission, 10⁻⁸ quote units.</param>
/// <param name="OpenOrders">Orders still open at the end.</param>
public sealed record SymbolTradingResult(string Symbol, long Orders, long Fills, long BoughtQuantity, long SoldQuantity, long Position, long Cash, long Commission, long MarkPrice, long Pnl, int OpenOrders);
