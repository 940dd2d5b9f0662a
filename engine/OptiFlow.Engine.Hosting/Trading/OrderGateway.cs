using System.Diagnostics;
using OptiFlow.Engine.Affinity;
using OptiFlow.Engine.Gateway;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Strategies;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>
/// The order gateway (thread <c>optiflow-gateway</c>): takes the core's <see cref="OrderCommand"/>s from the outbound ring,
/// checks each with <see cref="PreTradeRisk"/>, sends what passes to its <see cref="IOrderVenue"/>, and publishes every
/// outcome (risk rejections included) into the inbound ring as execution reports, where the core and the journal see them.
/// </summary>
/// <remarks>
/// <code>
///  [ inbound ring ] ─► core ─► [ outbound ring ] ─► gateway: risk ─► venue (paper | simulator | Binance)
///        ▲                                              │                         │
///        └──────── execution reports (journaled) ◄──────┴─────────────────────────┘
/// </code>
/// <para>The gateway is also a consumer of the inbound ring, behind the core (its barrier is the core's sequence): it keeps
/// the reference prices risk needs (futures mark price, else the bookTicker mid, else the last trade), follows its orders'
/// reports (open orders, pending quantity and position for risk), feeds the paper venue's matching engine, and hands a
/// command to the venue right after the event that caused it (all commands caused by events up to the core's sequence are
/// in the outbound ring before the core's sequence passes them), which makes paper fills a function of the recording.</para>
/// <para>Risk's clock: the causing event's time <c>E</c> for the paper venue (a recording replays faster than real time),
/// the wall clock otherwise. Every refusal is typed (<see cref="RiskReason"/>), counted and published as a REJECTED report.
/// The kill switch (<see cref="TripKillSwitch"/>, any thread) blocks new orders and cancels every open order, one cancel per
/// order (client order ids of evaluator id <see cref="ClientOrderIds.MaxEvaluatorId"/>, reserved for the gateway).</para>
/// <para>Thread-safety: construct, <see cref="Start"/>, <see cref="Halt"/> and <see cref="Join"/> on the controlling thread;
/// read <see cref="Statistics"/> and <see cref="Stages"/> after <see cref="Join"/>. 0 B allocated per command in steady
/// state (pre-sized tables).</para>
/// </remarks>
public sealed class OrderGateway : IDisposable
{
    /// <summary>The evaluator id of the gateway's own client order ids (kill-switch cancel-alls).</summary>
    public const int GatewayEvaluatorId = ClientOrderIds.MaxEvaluatorId;

    private const long PollIntervalNs = 1_000_000;
    private readonly RingBuffer<MarketEvent> _inbound;
    private readonly Sequence _coreSequence;
    private readonly RingBuffer<OutboundEvent> _outbound;
    private readonly Market _market;
    private readonly TradingOptions _options;
    private readonly IOrderVenue _venue;
    private readonly PreTradeRisk _risk;
    private readonly QuantRulesMonitor? _quantRules;
    private readonly InboundReportPublisher _reports;
    private readonly OrderCommand[] _pending;
    private readonly Dictionary<long, OrderState> _orders;
    private readonly long[] _mid;
    private readonly long[] _lastTrade;
    private readonly long[] _mark;
    private readonly SymbolAccount[] _accounts;
    private readonly long[] _commandsByAction = new long[4];
    private readonly long[] _reportsByStatus = new long[8];
    private readonly long[] _rejectsByReason = new long[32];
    private readonly bool _paper;
    private readonly long _steadyStateAfter;
    private long _steadyStateStart = -1;
    private long _steadyStateBytes = -1;
    private int _pendingHead;
    private int _pendingCount;
    private Thread? _thread;
    private volatile bool _running;
    private volatile int _killRequested;
    private bool _killed;
    private bool _lossLimitHit;
    private long _killSequence;
    private long _lastSequence = -1;
    private long _lastEventTimeMs;
    private Exception? _fault;

    /// <summary>Creates the gateway; nothing runs until <see cref="Start"/>.</summary>
    /// <param name="inbound">The inbound ring (multi-producer: the gateway publishes reports into it).</param>
    /// <param name="coreSequence">The core's sequence: the gateway reads inbound events only after the core.</param>
    /// <param name="outbound">The outbound ring (the core is its producer).</param>
    /// <param name="symbols">The session's frozen symbol table.</param>
    /// <param name="market">The session's market.</param>
    /// <param name="options">Trading options.</param>
    /// <param name="venue">The venue (owned: disposed with the gateway).</param>
    /// <exception cref="ArgumentException">The inbound ring is single-producer.</exception>
    /// <param name="steadyStateAfter">Inbound events after which the gateway thread's allocation window opens.</param>
    public OrderGateway(RingBuffer<MarketEvent> inbound, Sequence coreSequence, RingBuffer<OutboundEvent> outbound, SymbolTable symbols, Market market, TradingOptions options, IOrderVenue venue, long steadyStateAfter = 2000)
    {
        ArgumentNullException.ThrowIfNull(inbound);
        ArgumentNullException.ThrowIfNull(coreSequence);
        ArgumentNullException.ThrowIfNull(outbound);
        ArgumentNullException.ThrowIfNull(symbols);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(venue);
        if (inbound.ProducerType != ProducerType.Multi)
        {
            throw new ArgumentException("The gateway publishes execution reports into the inbound ring: it must be multi-producer.", nameof(inbound));
        }

        _inbound = inbound;
        _steadyStateAfter = steadyStateAfter;
        _coreSequence = coreSequence;
        _outbound = outbound;
        _market = market;
        _options = options;
        _venue = venue;
        _paper = venue is PaperVenue;
        var capacity = symbols.Capacity;
        var rules = new InstrumentRules?[capacity];
        for (var id = 0; id < symbols.Count; id++)
        {
            if (options.Instruments.TryGetValue(symbols.NameOf(id), out var r))
            {
                rules[id] = r;
            }
        }

        _risk = new PreTradeRisk(rules, options.Limits, new RateBudget(options.RateLimits.ToArray()));
        _quantRules = market == Market.Futures ? new QuantRulesMonitor(capacity, options.QuantRules ?? new QuantRulesThresholds()) : null;
        _reports = new InboundReportPublisher(inbound, market, options.ReportBacklog);
        _pending = new OrderCommand[options.PendingCommands];
        _orders = new Dictionary<long, OrderState>(options.Matching.MaxOpenOrders * 4);
        _mid = new long[capacity];
        _lastTrade = new long[capacity];
        _mark = new long[capacity];
        _accounts = new SymbolAccount[capacity];
    }

    /// <summary>The gateway's position in the inbound ring (a gating sequence of that ring).</summary>
    public Sequence InboundSequence { get; } = new();

    /// <summary>The gateway's position in the outbound ring (a gating sequence of that ring).</summary>
    public Sequence OutboundSequence { get; } = new();

    /// <summary>The venue.</summary>
    public IOrderVenue Venue => _venue;

    /// <summary>Pre-trade risk (read after <see cref="Join"/>).</summary>
    public PreTradeRisk Risk => _risk;

    /// <summary>The tick-to-order stages (read after <see cref="Join"/>).</summary>
    public TickToOrderStages Stages { get; } = new();

    /// <summary>Whether the gateway thread runs.</summary>
    public bool IsRunning => _running;

    /// <summary>The exception that stopped the gateway thread, or null (the venue's failure, or a bug: the thread ends, the session reports it).</summary>
    public Exception? Fault => Volatile.Read(ref _fault);

    /// <summary>Whether every command taken has been handled, every report published and the venue has nothing in flight (any thread; a hint for draining).</summary>
    internal bool IsIdle => Volatile.Read(ref _pendingCount) == 0 && _reports.Backlog == 0 && _venue.InFlight == 0;

    /// <summary>Asks the gateway to trip its kill switch (any thread): new orders are refused from then on and every open order is cancelled.</summary>
    public void TripKillSwitch() => _killRequested = 1;

    /// <summary>Starts the venue (connects and logs on, on the calling thread), then the gateway thread.</summary>
    /// <exception cref="VenueUnavailableException">The venue cannot be reached.</exception>
    /// <exception cref="CpuAffinityException">The gateway CPU cannot be used.</exception>
    public void Start()
    {
        _venue.Start(_reports);
        _running = true;
        using var started = new ManualResetEventSlim();
        Exception? startFailure = null;
        _thread = new Thread(() =>
        {
            try
            {
                if (_options.GatewayCpu is { } cpu)
                {
                    CpuAffinity.PinCurrentThread([cpu]);
                }
            }
            catch (CpuAffinityException e)
            {
                startFailure = e;
                _running = false;
                started.Set();
                return;
            }

            started.Set();
            Run();
        })
        {
            Name = "optiflow-gateway",
            IsBackground = true,
        };
        _thread.Start();
        started.Wait();
        if (startFailure is not null)
        {
            throw startFailure;
        }
    }

    /// <summary>Stops the loop: the thread stops the venue (bounded by <see cref="TradingOptions.VenueDrainTimeout"/>), publishes what it still holds, and ends.</summary>
    public void Halt() => _running = false;

    /// <summary>Waits for the gateway thread to end.</summary>
    /// <param name="timeout">The longest wait.</param>
    /// <returns>Whether it ended.</returns>
    public bool Join(TimeSpan timeout) => _thread is null || _thread.Join(timeout);

    /// <summary>What the gateway did (after <see cref="Join"/>).</summary>
    /// <param name="symbols">The session's symbol table, for names.</param>
    /// <returns>Counts, positions and PnL per symbol.</returns>
    public TradingResult Statistics(SymbolTable symbols)
    {
        var perSymbol = new List<SymbolTradingResult>();
        for (var id = 0; id < symbols.Count && id < _accounts.Length; id++)
        {
            var a = _accounts[id];
            if (a.Orders == 0 && a.Fills == 0)
            {
                continue;
            }

            var mark = ReferencePrice(id);
            var pnl = a.Cash + (mark > 0 ? (long)((Int128)a.Position * mark / FixedPoint.Scale) : 0) - a.Commission;
            perSymbol.Add(new SymbolTradingResult(symbols.NameOf(id), a.Orders, a.Fills, a.BoughtQuantity, a.SoldQuantity, a.Position, a.Cash, a.Commission, mark, pnl, _risk.OpenOrdersOf(id)));
        }

        var riskCounts = new Dictionary<RiskReason, long>();
        for (var r = 1; r < PreTradeRisk.ReasonCount; r++)
        {
            var n = _risk.DecisionCount((RiskReason)r);
            if (n > 0)
            {
                riskCounts[(RiskReason)r] = n;
            }
        }

        var rejects = new Dictionary<ExecutionReason, long>();
        for (var r = 0; r < _rejectsByReason.Length; r++)
        {
            if (_rejectsByReason[r] > 0)
            {
                rejects[(ExecutionReason)r] = _rejectsByReason[r];
            }
        }

        return new TradingResult
        {
            Venue = _options.Mode switch { TradingMode.Paper => "paper", TradingMode.Simulator => "sim", _ => "live" },
            Commands = _commandsByAction[1] + _commandsByAction[2] + _commandsByAction[3],
            NewOrders = _commandsByAction[(int)OrderAction.New],
            Cancels = _commandsByAction[(int)OrderAction.Cancel],
            CancelAlls = _commandsByAction[(int)OrderAction.CancelAll],
            Sent = _sent,
            NotSent = _notSent,
            RiskAccepted = _risk.DecisionCount(RiskReason.Accepted),
            RiskRejections = riskCounts,
            Acknowledged = _reportsByStatus[(int)OrderStatus.New],
            PartiallyFilled = _reportsByStatus[(int)OrderStatus.PartiallyFilled],
            Filled = _reportsByStatus[(int)OrderStatus.Filled],
            Canceled = _reportsByStatus[(int)OrderStatus.Canceled],
            Expired = _reportsByStatus[(int)OrderStatus.Expired],
            Rejected = _reportsByStatus[(int)OrderStatus.Rejected],
            RejectedByReason = rejects,
            Fills = _fills,
            ReportsPublished = _reports.Published,
            ReportsLost = _reports.Lost,
            LateCommands = _lateCommands,
            GatewaySent = _gatewaySent,
            KillSwitchTripped = _killed,
            LossLimitHit = _lossLimitHit,
            KillSwitchCancels = _killCancels,
            StopCancels = _stopCancels,
            OpenOrdersAtEnd = _risk.OpenOrders,
            QuantRuleWarnings = _quantWarnings,
            QuantRuleBreaches = _quantBreaches,
            Symbols = perSymbol,
            Stages = Stages,
            GatewaySteadyStateBytes = _steadyStateBytes,
            Fault = Fault,
        };
    }

    /// <summary>The gateway's counts so far, read from a control thread while it runs (<see cref="EngineSession.Progress"/>).</summary>
    /// <returns>A snapshot (allocates).</returns>
    /// <remarks>Any thread: one 64-bit read of each counter the gateway thread keeps (plain stores by its one writer),
    /// after a full fence; nothing is added to the gateway thread. <see cref="Statistics"/> has the final counts.</remarks>
    public Monitoring.TradingProgress Progress()
    {
        Interlocked.MemoryBarrier();
        long riskRejected = 0;
        for (var r = 1; r < PreTradeRisk.ReasonCount; r++)
        {
            riskRejected += _risk.DecisionCount((RiskReason)r);
        }

        return new Monitoring.TradingProgress
        {
            Commands = _commandsByAction[1] + _commandsByAction[2] + _commandsByAction[3],
            NewOrders = _commandsByAction[(int)OrderAction.New],
            Cancels = _commandsByAction[(int)OrderAction.Cancel] + _commandsByAction[(int)OrderAction.CancelAll],
            Sent = _sent,
            RiskRejected = riskRejected,
            Acknowledged = _reportsByStatus[(int)OrderStatus.New],
            Filled = _reportsByStatus[(int)OrderStatus.Filled],
            PartiallyFilled = _reportsByStatus[(int)OrderStatus.PartiallyFilled],
            Canceled = _reportsByStatus[(int)OrderStatus.Canceled],
            Rejected = _reportsByStatus[(int)OrderStatus.Rejected],
            Fills = _fills,
            OpenOrders = _risk.OpenOrders,
        };
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _running = false;
        _thread?.Join(TimeSpan.FromSeconds(5));
        _venue.Dispose();
    }

    private long _sent;
    private long _notSent;
    private long _fills;
    private long _lateCommands;
    private long _gatewaySent;
    private long _killCancels;
    private long _stopCancels;
    private long _quantWarnings;
    private long _quantBreaches;

    private void Run()
    {
        // First uses that allocate once (the dictionary's comparer) happen here, not inside the steady-state window.
        _orders[0] = default;
        _orders.Remove(0, out _);
        (_venue as PaperVenue)?.WarmUp();
        var nextIn = InboundSequence.Value + 1;
        var nextOut = OutboundSequence.Value + 1;
        var lastPoll = MonotonicClock.NowNs;
        var idle = 0;
        try
        {
            while (_running)
            {
                var worked = Step(ref nextIn, ref nextOut);
                var now = MonotonicClock.NowNs;
                if (now - lastPoll >= PollIntervalNs)
                {
                    _venue.Poll(now, _risk.Budget);
                    lastPoll = now;
                }

                idle = worked ? 0 : Idle(idle);
            }

            if (_steadyStateStart >= 0)
            {
                _steadyStateBytes = GC.GetAllocatedBytesForCurrentThread() - _steadyStateStart;
            }

            // Halted: cancel what is still open (the answers come back through the ring, where the core sees them), let
            // the venue answer what is in flight (bounded), then publish and follow everything still held.
            var until = Stopwatch.GetTimestamp() + (long)(Stopwatch.Frequency * Math.Max(1, _options.VenueDrainTimeout.TotalSeconds));
            if (_options.CancelOpenOrdersOnStop && _risk.OpenOrders > 0)
            {
                CancelAllOpen(ref _stopCancels);
                while ((_risk.OpenOrders > 0 || _venue.InFlight > 0) && Stopwatch.GetTimestamp() < until)
                {
                    if (!Step(ref nextIn, ref nextOut))
                    {
                        _venue.Poll(MonotonicClock.NowNs, _risk.Budget);
                        Thread.Sleep(1);
                    }
                }
            }

            _venue.Stop(_options.VenueDrainTimeout);
            while ((_reports.Backlog > 0 || Step(ref nextIn, ref nextOut)) && Stopwatch.GetTimestamp() < until)
            {
                _reports.FlushBacklog();
                Thread.Yield();
            }
        }
        catch (Exception e)
        {
            Volatile.Write(ref _fault, e);
        }
        finally
        {
            // Gone: no producer of either ring may wait for a consumer that no longer reads it.
            OutboundSequence.SetValue(long.MaxValue >> 1);
            InboundSequence.SetValue(long.MaxValue >> 1);
            _running = false;
        }
    }

    private bool Step(ref long nextIn, ref long nextOut)
    {
        var worked = _reports.FlushBacklog();

        // The core's sequence first: every command caused by an event up to it is then in the outbound ring.
        var available = _coreSequence.Value;
        var outCursor = _outbound.Cursor.Value;
        while (nextOut <= outCursor && _pendingCount < _pending.Length)
        {
            ref var e = ref _outbound[nextOut];
            if (e.Kind == OutboundEventKind.OrderCommand)
            {
                _pending[(_pendingHead + _pendingCount) % _pending.Length] = e.OrderCommand;
                Volatile.Write(ref _pendingCount, _pendingCount + 1);
            }

            nextOut++;
            worked = true;
        }

        OutboundSequence.SetValue(nextOut - 1);
        for (; nextIn <= available; nextIn++)
        {
            ref var e = ref _inbound[nextIn];
            if (nextIn == _steadyStateAfter)
            {
                _steadyStateStart = GC.GetAllocatedBytesForCurrentThread();
            }

            OnInbound(ref e);
            _lastSequence = nextIn;
            while (_pendingCount > 0 && _pending[_pendingHead].CausingSequence <= nextIn)
            {
                ref var command = ref _pending[_pendingHead];
                Handle(in command, command.CausingSequence == nextIn ? e.ReceiveTimestampNs : 0, fromCore: true);
                _pendingHead = (_pendingHead + 1) % _pending.Length;
                Volatile.Write(ref _pendingCount, _pendingCount - 1);
            }

            worked = true;
        }

        InboundSequence.SetValue(nextIn - 1);
        if (_reports.Overflowed)
        {
            _reports.Overflowed = false;
            _killRequested = 1;
        }

        if (_killRequested != 0 && !_killed)
        {
            TripKill();
        }

        return worked;
    }

    private void OnInbound(ref MarketEvent e)
    {
        var s = e.SymbolId;
        if ((uint)s >= (uint)_mid.Length)
        {
            return;
        }

        switch (e.Kind)
        {
            case MarketEventKind.BookTicker when e.BidPrice > 0 && e.AskPrice > 0:
                _mid[s] = (e.BidPrice + e.AskPrice) >> 1;
                break;
            case MarketEventKind.Trade or MarketEventKind.AggTrade when (e.Flags & MarketEventFlags.NonMarketTrade) == 0:
                _lastTrade[s] = e.Price;
                break;
            case MarketEventKind.MarkPrice when e.Price > 0:
                _mark[s] = e.Price;
                break;
            case MarketEventKind.ExecutionReport:
                ExecutionReportEvent.Read(in e, out var report);
                OnReport(in report);
                return;
        }

        if (e.EventTimeMs > _lastEventTimeMs)
        {
            _lastEventTimeMs = e.EventTimeMs;
        }

        if (_paper)
        {
            _venue.OnMarketEvent(in e);
        }
    }

    private long ReferencePrice(int s) =>
        _market == Market.Futures && _mark[s] > 0 ? _mark[s]
        : _mid[s] > 0 ? _mid[s]
        : _lastTrade[s];

    private long NowMs(in OrderCommand command) =>
        _paper ? Math.Max(command.EventTimeMs, _lastEventTimeMs) : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void Handle(in OrderCommand command, long receiveNs, bool fromCore)
    {
        var pickedNs = MonotonicClock.NowNs;
        var action = command.Action;
        if ((uint)action < (uint)_commandsByAction.Length)
        {
            _commandsByAction[(int)action]++;
        }

        var s = command.SymbolId;
        var reference = (uint)s < (uint)_mid.Length ? ReferencePrice(s) : 0;
        var nowMs = NowMs(command);
        if (action == OrderAction.New && _orders.ContainsKey(command.ClientOrderId))
        {
            // An open order has this id already: never sent twice (binance.md §8.2).
            Reject(command, ExecutionReason.DuplicateClientOrderId, RiskReason.Accepted, 0);
            return;
        }

        var reason = _risk.Check(command, reference, nowMs);
        var riskNs = MonotonicClock.NowNs;
        if (reason != RiskReason.Accepted)
        {
            Reject(command, ExecutionReason.RiskRejected, reason, 0);
            return;
        }

        if (action == OrderAction.New)
        {
            _orders[command.ClientOrderId] = new OrderState(s, command.Side, command.TimeInForce, command.Quantity, nowMs);
            if ((uint)s < (uint)_accounts.Length)
            {
                _accounts[s].Orders++;
            }

            if (_quantRules is not null)
            {
                _quantRules.OnPlaced(s, command.TimeInForce, command.Quantity, (long)((Int128)command.Quantity * (command.Price > 0 ? command.Price : reference) / FixedPoint.Scale), nowMs);
            }
        }

        var timing = default(OrderSendTiming);
        var status = _venue.Send(in command, ref timing);
        if (status == VenueSendStatus.Refused)
        {
            // The venue reported the refusal itself (Origin Gateway, which OnReport does not count): release risk here.
            _notSent++;
            if (action == OrderAction.New)
            {
                CloseOrder(command.ClientOrderId, command.Quantity);
            }

            return;
        }

        if (status != VenueSendStatus.Sent)
        {
            _notSent++;
            Reject(command, status == VenueSendStatus.NotConnected ? ExecutionReason.VenueUnavailable : ExecutionReason.InvalidCommand, RiskReason.Accepted, 0);
            if (action == OrderAction.New)
            {
                CloseOrder(command.ClientOrderId, 0);
            }

            return;
        }

        _sent++;
        Stages.Risk.Record(riskNs - pickedNs);
        Stages.EncodeSign.Record(timing.EncodedNs - riskNs);
        Stages.Send.Record(timing.SentNs - timing.EncodedNs);
        if (receiveNs > 0)
        {
            Stages.Decision.Record(pickedNs - receiveNs);
            Stages.TickToOrder.Record(timing.SentNs - receiveNs);
        }
        else if (fromCore)
        {
            _lateCommands++;
        }
        else
        {
            _gatewaySent++;
        }
    }

    private void Reject(in OrderCommand command, ExecutionReason reason, RiskReason riskReason, int venueErrorCode)
    {
        var report = new ExecutionReport
        {
            ClientOrderId = command.Action == OrderAction.Cancel ? command.OriginalClientOrderId : command.ClientOrderId,
            CommandClientOrderId = command.ClientOrderId,
            CausingSequence = command.CausingSequence,
            Price = command.Price,
            Quantity = command.Quantity,
            RemainingQuantity = command.Quantity,
            TradeId = -1,
            EventTimeMs = command.EventTimeMs,
            TransactionTimeMs = command.EventTimeMs,
            VenueErrorCode = venueErrorCode,
            SymbolId = command.SymbolId,
            Side = command.Side,
            Type = command.Type,
            TimeInForce = command.TimeInForce,
            Status = OrderStatus.Rejected,
            Reason = reason,
            RiskReason = riskReason,
            Origin = ExecutionReportOrigin.Gateway,
        };
        _reports.OnExecutionReport(report);
    }

    private void OnReport(in ExecutionReport report)
    {
        if ((uint)report.Status < (uint)_reportsByStatus.Length)
        {
            _reportsByStatus[(int)report.Status]++;
        }

        if (report.Status is OrderStatus.Rejected or OrderStatus.Expired && (uint)report.Reason < (uint)_rejectsByReason.Length)
        {
            _rejectsByReason[(int)report.Reason]++;
        }

        if (report.Origin == ExecutionReportOrigin.Gateway)
        {
            return; // the gateway's own refusal: risk never counted the command as open
        }

        var s = report.SymbolId;
        if (report.IsFill)
        {
            _fills++;
            _risk.OnFill(s, report.Side, report.LastQuantity, report.LastPrice);
            if ((uint)s < (uint)_accounts.Length)
            {
                ref var a = ref _accounts[s];
                var notional = (long)((Int128)report.LastQuantity * report.LastPrice / FixedPoint.Scale);
                a.Fills++;
                a.Commission += report.Commission;
                if (report.Side == OrderSide.Buy)
                {
                    a.BoughtQuantity += report.LastQuantity;
                    a.Position += report.LastQuantity;
                    a.Cash -= notional;
                }
                else
                {
                    a.SoldQuantity += report.LastQuantity;
                    a.Position -= report.LastQuantity;
                    a.Cash += notional;
                }
            }

            if (_quantRules is not null && _orders.TryGetValue(report.ClientOrderId, out var o))
            {
                _quantRules.OnFilled(s, report.LastQuantity, o.PlacedMs, NowMsForReport(report));
            }

            if (_options.MaxLoss > 0 && !_killed && AccountPnl() < -_options.MaxLoss)
            {
                _lossLimitHit = true;
                _killRequested = 1;
            }
        }

        // A rejected cancel says nothing about the order it named; a closing status of the order itself closes it.
        var aboutOrder = report.CommandClientOrderId == report.ClientOrderId || report.Status != OrderStatus.Rejected;
        if (aboutOrder && report.Status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected)
        {
            if (_quantRules is not null && _orders.TryGetValue(report.ClientOrderId, out var o))
            {
                var now = NowMsForReport(report);
                if (report.Status == OrderStatus.Canceled)
                {
                    _quantRules.OnCancelled(s, o.TimeInForce, o.PlacedMs, now);
                }
                else if (report.Status == OrderStatus.Expired)
                {
                    _quantRules.OnExpired(s, o.TimeInForce, o.PlacedMs, now);
                }

                CountQuantLevel(s, now);
            }

            CloseOrder(report.ClientOrderId, report.RemainingQuantity);
        }
    }

    /// <summary>Cash + position × reference price − commission over every symbol, 10⁻⁸ quote units.</summary>
    private long AccountPnl()
    {
        long pnl = 0;
        for (var s = 0; s < _accounts.Length; s++)
        {
            ref var a = ref _accounts[s];
            if (a.Fills == 0)
            {
                continue;
            }

            pnl += a.Cash - a.Commission + (long)((Int128)a.Position * ReferencePrice(s) / FixedPoint.Scale);
        }

        return pnl;
    }

    private long NowMsForReport(in ExecutionReport report) =>
        _paper ? Math.Max(report.EventTimeMs, _lastEventTimeMs) : DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    private void CountQuantLevel(int s, long nowMs)
    {
        switch (_quantRules!.WorstLevel(s, nowMs))
        {
            case QuantRuleLevel.Warning:
                _quantWarnings++;
                break;
            case QuantRuleLevel.Breach:
                _quantBreaches++;
                break;
        }
    }

    private void CloseOrder(long clientOrderId, long remaining)
    {
        if (_orders.Remove(clientOrderId, out var o))
        {
            _risk.OnOrderClosed(o.SymbolId, o.Side, remaining);
        }
    }

    private void TripKill()
    {
        _killed = true;
        _risk.TripKillSwitch();
        CancelAllOpen(ref _killCancels);
    }

    /// <summary>
    /// Cancels every order the gateway knows as open, one cancel per order by its client order id (every venue has
    /// <c>order.cancel</c>; USDⓈ-M's WebSocket API has no cancel-all, binance.md §5.4), with the gateway's own client
    /// order ids; counts them in <paramref name="counter"/>. Cold path (kill switch, stop): allocates the id list.
    /// </summary>
    private void CancelAllOpen(ref long counter)
    {
        foreach (var (clientOrderId, order) in _orders.ToArray())
        {
            var id = ClientOrderIds.For(GatewayEvaluatorId, ++_killSequence & ClientOrderIds.MaxSequence, 0);
            var cancel = OrderCommand.Cancel(order.SymbolId, clientOrderId, id, Math.Max(_lastSequence, 0), _lastEventTimeMs);
            counter++;
            Handle(in cancel, 0, fromCore: false);
        }
    }

    private int Idle(int idle)
    {
        switch (_options.GatewayWaitStrategy)
        {
            case WaitStrategyKind.BusySpin:
                Thread.SpinWait(1);
                return idle;
            case WaitStrategyKind.Yielding:
                if (idle < 100)
                {
                    Thread.SpinWait(1);
                }
                else
                {
                    Thread.Yield();
                }

                return idle + 1;
            default:
                if (idle < 100)
                {
                    Thread.SpinWait(1);
                }
                else if (idle < 200)
                {
                    Thread.Yield();
                }
                else
                {
                    Thread.Sleep(1);
                }

                return idle + 1;
        }
    }

    private readonly record struct OrderState(int SymbolId, OrderSide Side, TimeInForce TimeInForce, long Quantity, long PlacedMs);

    private struct SymbolAccount
    {
        public long Orders;
        public long Fills;
        public long BoughtQuantity;
        public long SoldQuantity;
        public long Position;
        public long Cash;
        public long Commission;
    }
}
