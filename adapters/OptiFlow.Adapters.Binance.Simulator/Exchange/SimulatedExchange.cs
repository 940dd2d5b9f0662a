using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// The simulator's exchange: one account trading against the replayed books through the engine's
/// <see cref="MatchingEngine"/>, with Binance's order records, duplicate-id rule and user data events.
/// </summary>
/// <remarks>
/// <para>The feed thread moves the engine's books with the frames the simulator serves, in serve order (the venue's
/// timeline); WebSocket API sessions place and cancel orders from Kestrel threads. Everything goes through one lock
/// (<see cref="Sync"/>), so a request sees the book as of the last frame applied and reports come out in one order.
/// Execution reports of the engine become order-state changes and user data events, delivered to every subscriber
/// under the lock.</para>
/// <para>Times in responses and events are the simulator's wall clock (ms since the Unix epoch), like the venue's;
/// the engine's own time is the recording's event time. Allocates (not a hot path).</para>
/// </remarks>
internal sealed partial class SimulatedExchange : IExecutionReportSink
{
    private readonly Market _market;
    private readonly SymbolTable _symbols;
    private readonly MatchingEngine _engine;
    private readonly ExchangeStatistics _statistics;
    private readonly long _walletBalance;
    private readonly Dictionary<long, ExchangeOrder> _byOrderId = [];
    private readonly Dictionary<string, ExchangeOrder> _byClientOrderId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ExchangeOrder> _openByClientOrderId = new(StringComparer.Ordinal);
    private readonly HashSet<string> _receivedClientOrderIds = new(StringComparer.Ordinal);
    private readonly List<IUserDataSubscriber> _subscribers = [];
    private readonly Dictionary<string, long> _listenKeys = new(StringComparer.Ordinal);
    private MarketEvent _event;
    private long _nextId = 1;
    private long _executionId = 1;
    private string? _cancelClientOrderId;
    private ExecutionReason _lastReject;

    public SimulatedExchange(Market market, SymbolTable symbols, ExchangeStatistics statistics, MatchingOptions matching, long walletBalance)
    {
        _market = market;
        _symbols = symbols;
        _statistics = statistics;
        _walletBalance = walletBalance;
        _engine = new MatchingEngine(Math.Max(1, symbols.Count), this, matching);
    }

    /// <summary>The lock every state change takes.</summary>
    public object Sync { get; } = new();

    public Market Market => _market;

    /// <summary>The matching engine (tests inspect its books; take <see cref="Sync"/>).</summary>
    public MatchingEngine Engine => _engine;

    public static long NowMs() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

    /// <summary>The symbol id of a name (any case), or -1.</summary>
    public int SymbolIdOf(string symbol)
    {
        lock (Sync)
        {
            return _symbols.TryGet(Encoding.ASCII.GetBytes(symbol.ToUpperInvariant()), out var id) && id < _engine.SymbolCount ? id : -1;
        }
    }

    public string SymbolName(int symbolId) => _symbols.NameOf(symbolId);

    // ---- market data (feed thread) ------------------------------------------------------------------------------

    /// <summary>Replaces a symbol's book with the venue book's levels (a snapshot load, possibly with buffered diffs replayed).</summary>
    public void OnBookReset(int symbolId, VenueBook book, long eventTimeMs)
    {
        lock (Sync)
        {
            if ((uint)symbolId >= (uint)_engine.SymbolCount)
            {
                return;
            }

            var index = 0;
            _event = default;
            _event.Kind = MarketEventKind.SnapshotLevel;
            _event.SymbolId = symbolId;
            _event.EventTimeMs = eventTimeMs;
            foreach (var side in (ReadOnlySpan<VenueBookSide>)[book.Bids, book.Asks])
            {
                foreach (var level in side.BestFirst)
                {
                    _event.Side = side.Side;
                    _event.Price = level.Key;
                    _event.Quantity = level.Value;
                    _event.LevelIndex = index++;
                    _engine.OnMarketEvent(_event);
                }
            }

            if (index == 0)
            {
                _event.Side = BookSide.None;
                _engine.OnMarketEvent(_event);
            }
        }
    }

    /// <summary>Applies one depth diff the venue book applied.</summary>
    public void OnDiff(in MarketEvent header, DepthLevelBuffer levels)
    {
        lock (Sync)
        {
            if ((uint)header.SymbolId >= (uint)_engine.SymbolCount)
            {
                return;
            }

            _event = header;
            _event.Kind = MarketEventKind.DepthLevel;
            var sides = levels.Sides;
            var prices = levels.Prices;
            var quantities = levels.Quantities;
            for (var i = 0; i < levels.Count; i++)
            {
                _event.Side = sides[i];
                _event.Price = prices[i];
                _event.Quantity = quantities[i];
                _event.LevelIndex = i;
                _engine.OnMarketEvent(_event);
            }

            _engine.AdvanceTo(header.EventTimeMs);
        }
    }

    /// <summary>Applies a single-slot event (trade, aggTrade: fills resting orders; others: time only).</summary>
    public void OnEvent(in MarketEvent marketEvent)
    {
        lock (Sync)
        {
            _engine.OnMarketEvent(marketEvent);
        }
    }

    // ---- orders (Kestrel threads) --------------------------------------------------------------------------------

    /// <summary>Whether an order.place with this client order id was received before (counted as a duplicate); remembers it.</summary>
    public bool NoteClientOrderId(string clientOrderId)
    {
        lock (Sync)
        {
            if (_receivedClientOrderIds.Add(clientOrderId))
            {
                return false;
            }
        }

        Interlocked.Increment(ref _statistics.DuplicateClientOrderIdCount);
        return true;
    }

    /// <summary>A fresh client order id for orders sent without one.</summary>
    public string GenerateClientOrderId()
    {
        lock (Sync)
        {
            return string.Create(CultureInfo.InvariantCulture, $"sim{_nextId++:D10}");
        }
    }

    /// <summary>Places one order; null error on success. The order (also returned) holds its state after immediate matching.</summary>
    public ExchangeOrder? Place(OrderRequest request, out ExchangeError? error)
    {
        lock (Sync)
        {
            if (_openByClientOrderId.ContainsKey(request.ClientOrderId))
            {
                Interlocked.Increment(ref _statistics.DuplicateOpenRejectCount);
                error = _market == Market.Spot ? new ExchangeError(400, -2010, "Duplicate order sent.") : new ExchangeError(400, -4116, "ClientOrderId is duplicated.");
                return null;
            }

            var now = NowMs();
            var order = new ExchangeOrder
            {
                OrderId = _nextId++,
                ClientOrderId = request.ClientOrderId,
                SymbolId = request.SymbolId,
                Symbol = _symbols.NameOf(request.SymbolId),
                Side = request.Side,
                TypeText = request.TypeText,
                TimeInForceText = request.TimeInForceText,
                Price = request.Price,
                Quantity = request.Quantity,
                CreatedMs = now,
                UpdateMs = now,
            };
            _byOrderId[order.OrderId] = order;
            _lastReject = ExecutionReason.None;
            var time = _engine.TimeMs;
            var command = request.Type switch
            {
                OrderType.Market => OrderCommand.NewMarket(request.SymbolId, request.Side, request.Quantity, order.OrderId, 0, time),
                OrderType.LimitMaker => OrderCommand.NewLimitMaker(request.SymbolId, request.Side, request.Price, request.Quantity, order.OrderId, 0, time),
                _ => OrderCommand.NewLimit(request.SymbolId, request.Side, request.Price, request.Quantity, request.TimeInForce, order.OrderId, 0, time),
            };
            Interlocked.Increment(ref _statistics.OrdersPlacedCount);
            _engine.Submit(command);
            if (order.Status is OrderStatus.Rejected or OrderStatus.None)
            {
                _byOrderId.Remove(order.OrderId);
                error = RejectError(_lastReject);
                return null;
            }

            Interlocked.Increment(ref _statistics.OrdersAcceptedCount);
            _byClientOrderId[order.ClientOrderId] = order;
            if (order.IsOpen)
            {
                _openByClientOrderId[order.ClientOrderId] = order;
            }

            error = null;
            return order;
        }
    }

    /// <summary>Cancels one open order by client order id; null and an error (<c>-2011</c>) when it is not open.</summary>
    public ExchangeOrder? Cancel(int symbolId, string originalClientOrderId, string cancelClientOrderId, out ExchangeError? error)
    {
        lock (Sync)
        {
            if (!_openByClientOrderId.TryGetValue(originalClientOrderId, out var order) || order.SymbolId != symbolId)
            {
                error = new ExchangeError(400, -2011, "Unknown order sent.");
                return null;
            }

            _cancelClientOrderId = cancelClientOrderId;
            _engine.Submit(OrderCommand.Cancel(symbolId, order.OrderId, _nextId++, 0, _engine.TimeMs));
            _cancelClientOrderId = null;
            error = order.Status == OrderStatus.Canceled ? null : new ExchangeError(400, -2011, "Unknown order sent.");
            return error is null ? order : null;
        }
    }

    /// <summary>Cancels every open order of a symbol; an error (<c>-2011</c>) when there is none.</summary>
    public List<ExchangeOrder>? CancelAll(int symbolId, out ExchangeError? error)
    {
        lock (Sync)
        {
            var open = _openByClientOrderId.Values.Where(o => o.SymbolId == symbolId).OrderBy(o => o.OrderId).ToList();
            if (open.Count == 0)
            {
                error = new ExchangeError(400, -2011, "Unknown order sent.");
                return null;
            }

            _engine.Submit(OrderCommand.CancelAll(symbolId, _nextId++, 0, _engine.TimeMs));
            error = null;
            return open;
        }
    }

    /// <summary>The latest order with this client order id on the symbol, or null (<c>-2013</c>).</summary>
    public ExchangeOrder? Find(int symbolId, string clientOrderId)
    {
        lock (Sync)
        {
            return _byClientOrderId.TryGetValue(clientOrderId, out var order) && order.SymbolId == symbolId ? order : null;
        }
    }

    /// <summary>The order with this order id on the symbol, or null.</summary>
    public ExchangeOrder? Find(int symbolId, long orderId)
    {
        lock (Sync)
        {
            return _byOrderId.TryGetValue(orderId, out var order) && order.SymbolId == symbolId ? order : null;
        }
    }

    // ---- user data ---------------------------------------------------------------------------------------------

    public void Subscribe(IUserDataSubscriber subscriber)
    {
        lock (Sync)
        {
            _subscribers.Add(subscriber);
        }
    }

    public void Unsubscribe(IUserDataSubscriber subscriber)
    {
        lock (Sync)
        {
            _subscribers.Remove(subscriber);
        }
    }

    /// <summary>USDⓈ-M <c>userDataStream.start</c>: the account's listenKey (the same one while it is active), valid 60 min.</summary>
    public string StartListenKey()
    {
        lock (Sync)
        {
            var now = NowMs();
            foreach (var (key, expiry) in _listenKeys)
            {
                if (expiry > now)
                {
                    _listenKeys[key] = now + 3_600_000;
                    return key;
                }
            }

            var created = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32));
            _listenKeys[created] = now + 3_600_000;
            return created;
        }
    }

    /// <summary>The account's active listenKey, or null.</summary>
    public string? ActiveListenKey()
    {
        lock (Sync)
        {
            var now = NowMs();
            foreach (var (key, expiry) in _listenKeys)
            {
                if (expiry > now)
                {
                    return key;
                }
            }

            return null;
        }
    }

    /// <summary>Extends an active listenKey by 60 min; false when it does not exist (<c>-1125</c>).</summary>
    public bool PingListenKey(string key)
    {
        lock (Sync)
        {
            if (!_listenKeys.TryGetValue(key, out var expiry) || expiry <= NowMs())
            {
                return false;
            }

            _listenKeys[key] = NowMs() + 3_600_000;
            return true;
        }
    }

    /// <summary>Closes a listenKey; false when it does not exist.</summary>
    public bool StopListenKey(string key)
    {
        lock (Sync)
        {
            return _listenKeys.Remove(key);
        }
    }

    /// <summary>Whether a listenKey is active.</summary>
    public bool IsListenKeyActive(string key)
    {
        lock (Sync)
        {
            return _listenKeys.TryGetValue(key, out var expiry) && expiry > NowMs();
        }
    }

    private void Deliver(byte[] eventJson)
    {
        foreach (var subscriber in _subscribers)
        {
            if (subscriber.TryDeliver(eventJson))
            {
                Interlocked.Increment(ref _statistics.UserDataEventCount);
            }
            else
            {
                Interlocked.Increment(ref _statistics.UserDataDroppedCount);
            }
        }
    }

    private ExchangeError RejectError(ExecutionReason reason) => reason switch
    {
        ExecutionReason.WouldMatchImmediately => new ExchangeError(400, -2010, "Order would immediately match and take."),
        ExecutionReason.UnknownSymbol => new ExchangeError(400, -1121, "Invalid symbol."),
        ExecutionReason.TooManyOpenOrders => _market == Market.Spot
            ? new ExchangeError(400, -2010, "Account has too many open orders.")
            : new ExchangeError(400, -2025, "Reach max open order limit."),
        ExecutionReason.UnknownOrder => new ExchangeError(400, -2011, "Unknown order sent."),
        _ => new ExchangeError(400, -1013, "Invalid order."),
    };
}

/// <summary>A Binance error answer: HTTP-style status, code and message (binance.md §5.2, §8.1).</summary>
internal sealed record ExchangeError(int Status, int Code, string Message, long RetryAfterMs = 0);

/// <summary>A validated <c>order.place</c>: prices and quantities 10⁻⁸ units.</summary>
internal sealed record OrderRequest(int SymbolId, OrderSide Side, OrderType Type, TimeInForce TimeInForce, string TypeText, string TimeInForceText, long Price, long Quantity, string ClientOrderId);
