namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>What the order gateway did so far, in a <see cref="SessionProgress"/> snapshot (a trading session only).</summary>
/// <remarks>Immutable: thread-safe. Each count is read on its own from the gateway thread's counters, so two counts may
/// be a few commands apart; <see cref="Trading.TradingResult"/> has the exact, final ones.</remarks>
public sealed record TradingProgress
{
    /// <summary>Order commands the gateway took from the outbound ring (new, cancel, cancel-all).</summary>
    public long Commands { get; init; }

    /// <summary>New-order commands.</summary>
    public long NewOrders { get; init; }

    /// <summary>Cancel and cancel-all commands.</summary>
    public long Cancels { get; init; }

    /// <summary>Commands handed to the venue.</summary>
    public long Sent { get; init; }

    /// <summary>Commands refused by pre-trade risk.</summary>
    public long RiskRejected { get; init; }

    /// <summary>Orders the venue acknowledged.</summary>
    public long Acknowledged { get; init; }

    /// <summary>Execution reports with status filled.</summary>
    public long Filled { get; init; }

    /// <summary>Execution reports with status partially filled.</summary>
    public long PartiallyFilled { get; init; }

    /// <summary>Execution reports with status canceled.</summary>
    public long Canceled { get; init; }

    /// <summary>Orders the venue rejected.</summary>
    public long Rejected { get; init; }

    /// <summary>Fills (trades) reported.</summary>
    public long Fills { get; init; }

    /// <summary>Orders open now (all symbols), as pre-trade risk counts them.</summary>
    public long OpenOrders { get; init; }
}
