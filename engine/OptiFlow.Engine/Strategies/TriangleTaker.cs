using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Evaluators.Triangles;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Engine.Strategies;

/// <summary>
/// The triangle taker: on each bookTicker, reads the <see cref="TriangleEvaluator"/>'s opportunities of that trigger
/// (<see cref="TriangleEvaluator.CurrentOpportunities"/>) and, for an executable plan with edge ≥
/// <see cref="TriangleTakerOptions.MinEdgeBps"/>, emits its three legs as IOC limit orders at the touched prices with the
/// plan's quantities — deterministic, on the core thread, within its limits.
/// </summary>
/// <remarks>
/// <para><b>Placement:</b> it must follow a <see cref="TriangleEvaluator"/> in the same <see cref="EvaluatorSet"/> (it reads
/// that evaluator's output for the same event); attaching without one throws.</para>
/// <para><b>Per opportunity</b> (in the evaluator's path order): edge below the threshold: skipped; plan not
/// <see cref="TrianglePlanStatus.Executable"/> (a leg below minQty or min notional, off tick, …): held back
/// (<see cref="StrategyBlock.BelowMinimum"/>); the triangle's cool-down (recorded receive time of the trigger since its
/// last cycle) not passed: <see cref="StrategyBlock.Cooldown"/>; IOC legs sent within the cool-down window plus three above
/// <see cref="StrategyLimits.MaxOpenOrders"/>: <see cref="StrategyBlock.MaxOpenOrders"/>; a leg's notional (price × quantity
/// in its quote asset) above <see cref="StrategyLimits.MaxNotional"/>: <see cref="StrategyBlock.MaxNotional"/>. At most five
/// cycles per trigger (16 client order ids per event, <see cref="ClientOrderIds"/>).</para>
/// <para><b>When a leg stops counting as open</b> depends on whether the session trades (<see cref="EvaluatorContext.Trading"/>,
/// <see cref="Orders.OrderLedgerOptions.Trading"/>). Trading: a leg is open from its New until the execution report that
/// closes it (FILLED, CANCELED, EXPIRED — an IOC's unfilled rest — or REJECTED); the open count is the core's ledger's
/// (<see cref="Orders.OrderLedger.OpenOrders"/>). Not trading (no gateway: nothing will ever close a leg): a leg counts as
/// in flight for the cool-down window after it was sent. <see cref="StrategyLimits.MaxNotional"/> caps each leg in either
/// mode (the legs' quote assets differ, so a sum would mix units). Leg outcomes are counted from the reports
/// (<see cref="LegsClosed"/>).</para>
/// <para><b>Time</b> comes from the events (<see cref="MarketEvent.LocalTimestampNs"/>: spot bookTickers carry no event
/// time). Allocation-free per event; core thread only.</para>
/// </remarks>
public sealed class TriangleTaker : Evaluator
{
    /// <summary>Orders per cycle: 3.</summary>
    public const int LegsPerCycle = 3;

    /// <summary>The factory key: <c>triangle-taker</c>.</summary>
    public const string Key = "triangle-taker";

    private const int MaxCyclesPerTrigger = ClientOrderIds.MaxLegs / LegsPerCycle;

    private readonly TriangleTakerOptions _options;
    private readonly long[] _blocked = new long[Enum.GetValues<StrategyBlock>().Length];
    private readonly long[] _sentAtNs;
    private readonly long[] _legsClosed = new long[Enum.GetValues<OrderStatus>().Length];
    private TriangleEvaluator? _triangles;
    private long[] _lastCycleNs = [];
    private long _seenTriggers;
    private int _sentNext;

    /// <summary>Creates the strategy.</summary>
    /// <param name="options">Its configuration (validated here).</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public TriangleTaker(TriangleTakerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _sentAtNs = new long[options.Limits.MaxOpenOrders];
        Array.Fill(_sentAtNs, long.MinValue);
    }

    /// <inheritdoc/>
    public override string Name => Key;

    /// <inheritdoc/>
    public override EvaluatorInputs Inputs => EvaluatorInputs.BookTicker | EvaluatorInputs.ExecutionReport;

    /// <summary>Legs closed by an execution report, by their closing status (FILLED, CANCELED, EXPIRED, REJECTED).</summary>
    /// <param name="status">The closing status.</param>
    /// <returns>The count.</returns>
    public long LegsClosed(OrderStatus status) => _legsClosed[(int)status];

    /// <summary>Fill reports of its legs (partial fills each count).</summary>
    public long LegFills { get; private set; }

    /// <summary>Cycles sent (three orders each).</summary>
    public long CyclesSent { get; private set; }

    /// <summary>Opportunities at or above the threshold not sent, by reason.</summary>
    /// <param name="reason">The reason.</param>
    /// <returns>The count.</returns>
    public long Blocked(StrategyBlock reason) => _blocked[(int)reason];

    /// <inheritdoc/>
    public override bool Wants(int symbolId) => _triangles is null || _triangles.Wants(symbolId);

    /// <inheritdoc/>
    public override void OnBookTicker(ref readonly MarketEvent e, long sequence)
    {
        var triangles = _triangles!;
        if (triangles.Triggers == _seenTriggers)
        {
            return; // the evaluator did not handle this event (quarantined): nothing of this trigger to read
        }

        _seenTriggers = triangles.Triggers;
        var now = e.LocalTimestampNs;
        var limits = _options.Limits;
        var cooldownNs = limits.CooldownMs * 1_000_000;
        var cycles = 0;
        foreach (ref readonly var opportunity in triangles.CurrentOpportunities)
        {
            if (!(opportunity.EdgeBps >= _options.MinEdgeBps))
            {
                continue;
            }

            if (opportunity.Status != TrianglePlanStatus.Executable)
            {
                _blocked[(int)StrategyBlock.BelowMinimum]++;
                continue;
            }

            var last = _lastCycleNs[opportunity.TriangleId];
            if (last != long.MinValue && now - last < cooldownNs)
            {
                _blocked[(int)StrategyBlock.Cooldown]++;
                continue;
            }

            var inFlight = Context!.Trading ? Context.Orders.OpenOrders(Context.EvaluatorId) : InFlight(now, cooldownNs);
            if (inFlight + LegsPerCycle > limits.MaxOpenOrders || cycles == MaxCyclesPerTrigger)
            {
                _blocked[(int)StrategyBlock.MaxOpenOrders]++;
                continue;
            }

            var legs = triangles.Universe.Triangles[opportunity.TriangleId].Legs(opportunity.Direction);
            if (!WithinNotional(triangles, legs, in opportunity, limits.MaxNotional))
            {
                _blocked[(int)StrategyBlock.MaxNotional]++;
                continue;
            }

            for (var i = 0; i < LegsPerCycle; i++)
            {
                var leg = legs[i];
                var command = OrderCommand.NewLimit(
                    triangles.SymbolIdOf(leg.InstrumentIndex),
                    leg.Side,
                    triangles.LimitPriceOf(leg),
                    opportunity.Quantity(i),
                    TimeInForce.ImmediateOrCancel,
                    ClientOrderIds.For(Context!.EvaluatorId, sequence, (cycles * LegsPerCycle) + i),
                    sequence,
                    e.EventTimeMs);
                Context.EmitOrder(in command);
                _sentAtNs[_sentNext] = now;
                _sentNext = (_sentNext + 1) % _sentAtNs.Length;
            }

            _lastCycleNs[opportunity.TriangleId] = now;
            cycles++;
            CyclesSent++;
        }
    }

    /// <inheritdoc/>
    /// <remarks>Counts its legs' fills and closing statuses; the open count itself is the ledger's (already applied).</remarks>
    public override void OnExecutionReport(in ExecutionReport report, ref readonly MarketEvent slot, long sequence)
    {
        if (report.IsFill)
        {
            LegFills++;
        }

        var isCancelReject = report.CommandClientOrderId != 0 && report.CommandClientOrderId != report.ClientOrderId;
        if (!isCancelReject && report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected)
        {
            _legsClosed[(int)report.Status]++;
        }
    }

    /// <inheritdoc/>
    /// <exception cref="InvalidOperationException">No <see cref="TriangleEvaluator"/> precedes this strategy in its set.</exception>
    protected override void OnAttach(EvaluatorContext context)
    {
        var evaluators = context.Core.Evaluators!.Evaluators;
        for (var i = context.EvaluatorId - 1; i >= 0 && _triangles is null; i--)
        {
            _triangles = evaluators[i] as TriangleEvaluator;
        }

        if (_triangles is null)
        {
            throw new InvalidOperationException("The triangle taker reads a triangle evaluator's opportunities: put a TriangleEvaluator before it in the evaluator list.");
        }

        _lastCycleNs = new long[_triangles.Universe.Count];
        Array.Fill(_lastCycleNs, long.MinValue);
    }

    private int InFlight(long now, long cooldownNs)
    {
        var count = 0;
        foreach (var sent in _sentAtNs)
        {
            if (sent != long.MinValue && now - sent < cooldownNs)
            {
                count++;
            }
        }

        return count;
    }

    private static bool WithinNotional(TriangleEvaluator triangles, IReadOnlyList<TriangleLeg> legs, ref readonly TriangleOpportunity opportunity, long maxNotional)
    {
        for (var i = 0; i < LegsPerCycle; i++)
        {
            var notional = (Int128)triangles.LimitPriceOf(legs[i]) * opportunity.Quantity(i) / FixedPoint.Scale;
            if (notional > maxNotional)
            {
                return false;
            }
        }

        return true;
    }
}
