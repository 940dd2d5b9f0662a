using System.Buffers.Text;
using OptiFlow.Engine.Gateway;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// Binance's WebSocket API as an <see cref="IOrderVenue"/>: spot <c>ws-api/v3</c> or USDⓈ-M <c>ws-fapi/v1</c>
/// (binance.md §5), with the user-data events that carry fills (§7).
/// </summary>
/// <remarks>
/// <para><b>Session.</b> <see cref="Start"/> connects, syncs the clock with <c>time</c> (the server-time offset is added
/// to every <c>timestamp</c>, §5.7; refreshed every <see cref="OrderVenueOptions.TimeSyncInterval"/> in <see cref="Poll"/>),
/// logs on with <c>session.logon</c> when the key is Ed25519 (§5.5; orders then go without <c>apiKey</c> and
/// <c>signature</c> unless <see cref="OrderVenueOptions.OmitSignatureAfterLogon"/> is false; HMAC and RSA keys cannot log on
/// and sign every request), and subscribes to user data: spot
/// <c>userDataStream.subscribe</c> (Ed25519, after logon) or <c>userDataStream.subscribe.signature</c> (HMAC/RSA) on the same
/// connection (§7.1); USDⓈ-M <c>userDataStream.start</c>, then a second connection to
/// <c>/private/ws?listenKey=…</c>, kept alive with <c>userDataStream.ping</c> (§7.2). A lost connection is re-opened with
/// bounded, jittered back-off and the whole handshake is redone; a <c>serverShutdown</c> event re-opens at once.</para>
/// <para><b>Sources of truth.</b> Responses are the source of acks and refusals: a 200 to <c>order.place</c> is the
/// NEW report (unless user data told it first); a 4xx is the REJECTED report (status 429/418: reason
/// <see cref="ExecutionReason.RateLimited"/>). User data is the source of every later state: fills (<c>TRADE</c>),
/// CANCELED, EXPIRED. The fills a spot <c>FULL</c> response lists are ignored. A reconciliation (<c>order.status</c>)
/// reports what the venue says with <see cref="ExecutionReportOrigin.Reconciliation"/>; should it show more filled
/// quantity than was reported, the difference is one fill report at the average price (trade id -1). Both sources are
/// de-duplicated by <see cref="VenueOrderTable"/>: a fill report must raise the order's cumulative quantity, NEW is
/// reported once, and nothing after a final status.</para>
/// <para><b>Unknown outcomes</b> (no response within <see cref="OrderVenueOptions.RequestTimeout"/>, a connection lost with
/// requests in flight, status 5xx, <c>-1006</c>/<c>-1007</c>, futures 503 "Unknown error…"; §8.2) are never re-sent:
/// the order is queried with <c>order.status</c> by client order id once a session is ready again; <c>-2013</c> becomes
/// REJECTED <see cref="ExecutionReason.NotFoundAfterUnknownOutcome"/>. After a reconnect every order still open is
/// reconciled too (events may have been lost with the connection). A New command whose client order id was already sent
/// in this session is refused without sending: REJECTED <see cref="ExecutionReason.DuplicateClientOrderId"/>,
/// <see cref="ExecutionReportOrigin.Gateway"/> (and <see cref="Send"/> returns <see cref="VenueSendStatus.Sent"/> with
/// zero timing stamps, since the report was already made).</para>
/// <para><b>Threads.</b> Gateway thread: <see cref="Start"/>, <see cref="Send"/>, <see cref="Poll"/>, <see cref="Stop"/>.
/// One receive thread per connection parses frames and calls the sink (reports) directly; rate-limit usage, 429/418 and
/// reconciliations are queued under a short lock and applied in <see cref="Poll"/>. The order table is guarded by a lock
/// taken briefly by <see cref="Send"/> (New and Cancel commands) and by the receive threads.</para>
/// <para><b>Allocation.</b> <see cref="Send"/> allocates nothing in steady state (encode and sign into reused buffers, copy
/// into the connection's buffer, a synchronous socket write); the set of sent client order ids grows (allocating) past
/// <see cref="OrderVenueOptions.ExpectedOrdersPerSession"/>. <see cref="Start"/>, reconnects and errors allocate.</para>
/// <para><b>Secrets.</b> Keys and signatures are never logged; logs name the key by <see cref="ApiCredentials.KeyId"/>.</para>
/// </remarks>
public sealed partial class BinanceOrderVenue : IOrderVenue
{
    /// <summary>Request ids at and above this are the connection threads' own handshake requests.</summary>
    internal const long ControlIdBase = 1L << 40;

    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly OrderVenueOptions _options;
    private readonly SymbolTable _symbols;
    private readonly Market _market;
    private readonly ApiKeyType _keyType;
    private readonly byte[] _prefix;
    private readonly byte[] _apiKey;
    private readonly IRequestSigner _orderSigner;
    private readonly IRequestSigner _controlSigner;
    private readonly WsApiRequestEncoder _orderEncoder;
    private readonly WsApiRequestEncoder _controlEncoder;
    private readonly PendingRequest[] _slots;
    private readonly int _slotMask;
    private readonly VenueOrderTable _orders;
    private readonly object _orderLock = new(); // a Monitor: its contended wait allocates nothing, a System.Threading.Lock's first one ~280 B
    private readonly object _noticeLock = new(); // a Monitor: its contended wait allocates nothing, a System.Threading.Lock's first one ~280 B
    private readonly HashSet<long> _sentClientOrderIds;
    private readonly List<ReconcileItem> _reconcileQueue = new(256);
    private readonly long _reconcileRetryNs;
    private readonly long _requestTimeoutNs;
    private readonly byte[] _gatewayFrame = new byte[512];
    private readonly byte[] _controlFrame = new byte[512];
    private readonly WsApiMessage _apiMessage = new();
    private readonly WsApiMessage _userDataMessage = new();
    private readonly RateBudget _noBudget = new([]);
    private List<VenueNotice> _notices = new(1024);
    private List<VenueNotice> _drained = new(1024);
    private IExecutionReportSink? _sink;
    private WsApiConnection? _api;
    private WsApiConnection? _userData;
    private RateBudget? _lastBudget;
    private long _nextRequestId;
    private long _nextControlId = ControlIdBase;
    private long _serverOffsetMs;
    private volatile bool _apiReady;
    private volatile bool _userDataReady;
    private volatile bool _loggedOn;
    private volatile int _generation;
    private volatile string? _listenKey;
    private volatile string _handshakeFailure = "";
    private long _timeRequestId = -1;
    private long _timeRequestWallMs;
    private long _logonRequestId = -1;
    private long _subscribeRequestId = -1;
    private long _listenKeyRequestId = -1;
    private long _lastTimeSyncNs;
    private long _lastListenKeyPingNs;
    private int _busySlots;
    private int _inFlight;
    private bool _stopped;
    private bool _disposed;

    /// <summary>Creates the venue (no connection yet; see <see cref="Start"/>).</summary>
    /// <param name="options">The settings; the symbol table must be frozen.</param>
    /// <exception cref="ArgumentException">An option is out of range (table sizes not powers of two, a bad prefix or recvWindow).</exception>
    /// <remarks>Allocates its tables, buffers and two signers (one for the gateway thread, one for the connection thread).</remarks>
    public BinanceOrderVenue(OrderVenueOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        SymbolTable.ThrowIfNotFrozen(options.Symbols);
        if (options.MaxInFlight <= 0 || (options.MaxInFlight & (options.MaxInFlight - 1)) != 0)
        {
            throw new ArgumentException("MaxInFlight must be a positive power of two.", nameof(options));
        }

        _options = options;
        _symbols = options.Symbols;
        _market = options.Market;
        _keyType = options.Credentials.KeyType;
        _prefix = System.Text.Encoding.ASCII.GetBytes(options.ClientOrderIdPrefix);
        _apiKey = options.Credentials.ApiKeyUtf8.ToArray();
        _orderSigner = options.Credentials.CreateSigner();
        _controlSigner = options.Credentials.CreateSigner();
        _orderEncoder = new WsApiRequestEncoder(_market, _apiKey, _orderSigner, options.ClientOrderIdPrefix, options.RecvWindowMs);
        _controlEncoder = new WsApiRequestEncoder(_market, _apiKey, _controlSigner, options.ClientOrderIdPrefix, options.RecvWindowMs);
        _slots = new PendingRequest[options.MaxInFlight];
        for (var i = 0; i < _slots.Length; i++)
        {
            _slots[i] = new PendingRequest();
        }

        _slotMask = _slots.Length - 1;
        _orders = new VenueOrderTable(options.OrderTableSize);
        _sentClientOrderIds = new HashSet<long>(options.ExpectedOrdersPerSession);
        _requestTimeoutNs = (long)options.RequestTimeout.TotalMilliseconds * 1_000_000;
        _reconcileRetryNs = (long)options.ReconcileRetryDelay.TotalMilliseconds * 1_000_000;
    }

    /// <inheritdoc/>
    public string Name => "live";

    /// <inheritdoc/>
    public bool WantsMarketEvents => false;

    /// <inheritdoc/>
    public int InFlight => Volatile.Read(ref _inFlight);

    /// <summary>Whether a session is logged on and subscribed to user data (orders may be sent).</summary>
    public bool IsReady => _apiReady && _userDataReady;

    /// <summary>The server-time offset added to local time for <c>timestamp</c>, ms.</summary>
    public long ServerTimeOffsetMs => Volatile.Read(ref _serverOffsetMs);

    /// <summary>How many times the API connection was opened.</summary>
    public long ApiConnects => _api?.Connects ?? 0;

    /// <summary>Order requests whose socket write had to wait (send buffer full or send lock held); each such wait
    /// allocates in the runtime, so the 0 B steady state holds while this stays 0.</summary>
    public long SendsThatWaited => _api?.SendsThatWaited ?? 0;

    /// <summary>USDⓈ-M: how many times the user-data connection was opened.</summary>
    public long UserDataConnects => _userData?.Connects ?? 0;

    /// <summary>The venue's own counters (read from any thread; each is a plain 64-bit count).</summary>
    public OrderVenueCounters Counters { get; } = new();

    /// <summary>Server time now by the synced offset, ms since the Unix epoch.</summary>
    internal long ServerNowMs => LocalNowMs + Volatile.Read(ref _serverOffsetMs);

    private static long LocalNowMs => (DateTime.UtcNow.Ticks - UnixEpochTicks) / TimeSpan.TicksPerMillisecond;

    /// <inheritdoc/>
    /// <remarks>Blocks until the session is ready or <see cref="OrderVenueOptions.StartTimeout"/> passes. Allocates.</remarks>
    public void Start(IExecutionReportSink reports)
    {
        ArgumentNullException.ThrowIfNull(reports);
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_api is not null)
        {
            throw new InvalidOperationException("The venue was started already.");
        }

        _sink = reports;
        var apiUri = _options.EffectiveApiUri;
        _api = new WsApiConnection($"ws-api {apiUri.Host}:{apiUri.Port}", () => apiUri, new ApiHandler(this), _options);
        _api.Start();
        var deadline = DateTime.UtcNow + _options.StartTimeout;
        while (!IsReady && DateTime.UtcNow < deadline)
        {
            Thread.Sleep(5);
        }

        if (!IsReady)
        {
            var cause = _handshakeFailure.Length > 0 ? _handshakeFailure : _userData?.LastCause is { Length: > 0 } u ? u : _api.LastCause;
            StopConnections(TimeSpan.FromSeconds(2));
            throw new VenueUnavailableException(
                $"Binance {_market} WebSocket API {apiUri} (key {_options.Credentials.KeyId}): no ready session within {_options.StartTimeout.TotalSeconds:0.#} s: {(cause.Length > 0 ? cause : "no answer")}");
        }

        _lastTimeSyncNs = MonotonicClock.NowNs;
        _lastListenKeyPingNs = _lastTimeSyncNs;
    }

    /// <inheritdoc/>
    /// <remarks>Gateway thread only. Allocation-free in steady state; takes the order-table lock briefly for a New or Cancel command.
    /// Returns <see cref="VenueSendStatus.NotConnected"/> without a ready session (or with the request table's slot
    /// still busy), <see cref="VenueSendStatus.Unsupported"/> for a command the venue cannot express (an unknown symbol,
    /// a malformed command, a USDⓈ-M cancel-all). Never throws for a command.</remarks>
    public VenueSendStatus Send(in OrderCommand command, ref OrderSendTiming timing)
    {
        var api = _api;
        if (api is null || !IsReady)
        {
            return VenueSendStatus.NotConnected;
        }

        if ((uint)command.SymbolId >= (uint)_symbols.Count || command.Validate() != OrderCommandFault.None
            || (command.Action == OrderAction.CancelAll && _market != Market.Spot))
        {
            return VenueSendStatus.Unsupported;
        }

        if (command.Action == OrderAction.New && _sentClientOrderIds.Contains(command.ClientOrderId))
        {
            Counters.DuplicatesRefused++;
            var report = ReportOf(command, OrderStatus.Rejected, ExecutionReason.DuplicateClientOrderId, 0, ExecutionReportOrigin.Gateway);
            _sink!.OnExecutionReport(report);
            timing.EncodedNs = 0;
            timing.SentNs = 0;
            return VenueSendStatus.Refused;
        }

        var requestId = ++_nextRequestId;
        var slot = _slots[requestId & _slotMask];
        if (Volatile.Read(ref slot.State) != PendingRequest.Free)
        {
            Counters.SlotsBusy++;
            return VenueSendStatus.NotConnected;
        }

        _orderEncoder.SessionAuthenticated = _loggedOn;
        try
        {
            _orderEncoder.Encode(command, _symbols.Utf8NameOf(command.SymbolId), requestId, ServerNowMs);
        }
        catch (Exception e) when (e is ArgumentException or NotSupportedException)
        {
            return VenueSendStatus.Unsupported;
        }

        timing.EncodedNs = MonotonicClock.NowNs;
        if (command.Action == OrderAction.New)
        {
            _sentClientOrderIds.Add(command.ClientOrderId);
            lock (_orderLock)
            {
                _orders.Register(command);
            }
        }
        else if (command.Action == OrderAction.Cancel)
        {
            lock (_orderLock)
            {
                _orders.RegisterCancel(command);
            }
        }

        slot.RequestId = requestId;
        slot.Kind = RequestKind.Order;
        slot.Command = command;
        slot.SentNs = timing.EncodedNs;
        slot.Generation = _generation;
        Interlocked.Increment(ref _busySlots);
        Interlocked.Increment(ref _inFlight);
        Volatile.Write(ref slot.State, PendingRequest.Pending);
        var sent = api.Send(_orderEncoder.Request);
        timing.SentNs = MonotonicClock.NowNs;
        if (sent != WsApiSendResult.NotOpen)
        {
            // Written, or failed part-way (outcome unknown: the connection is dropped and its requests reconciled).
            Counters.Sent++;
            return VenueSendStatus.Sent;
        }

        // Nothing left the process: take the slot back (unless a sweep already took it) and say so.
        if (Interlocked.CompareExchange(ref slot.State, PendingRequest.Owned, PendingRequest.Pending) == PendingRequest.Pending)
        {
            FreeSlot(slot);
            Interlocked.Decrement(ref _inFlight);
            if (command.Action == OrderAction.New)
            {
                // The id never left: the engine may not reuse it, but it is not "sent" either.
                _sentClientOrderIds.Remove(command.ClientOrderId);
            }

            return VenueSendStatus.NotConnected;
        }

        return VenueSendStatus.Sent;
    }

    /// <inheritdoc/>
    public void OnMarketEvent(in MarketEvent marketEvent)
    {
        // The live venue has its own market; it needs no market events.
    }

    /// <inheritdoc/>
    /// <remarks>Gateway thread only. Waits in 1 ms sleeps, bounded by <paramref name="timeout"/>, while requests are in
    /// flight (calling <see cref="Poll"/> with the last budget it was given), then closes the connections.</remarks>
    public void Stop(TimeSpan timeout)
    {
        if (_stopped)
        {
            return;
        }

        var deadline = DateTime.UtcNow + timeout;
        while (InFlight > 0 && IsReadyOrReconnecting() && DateTime.UtcNow < deadline)
        {
            Poll(MonotonicClock.NowNs, _lastBudget ?? _noBudget);
            Thread.Sleep(1);
        }

        _stopped = true;
        StopConnections(TimeSpan.FromSeconds(2));
    }

    /// <summary>Stops (without waiting for in-flight answers) and disposes the signers.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        Stop(TimeSpan.Zero);
        _disposed = true;
        (_orderSigner as IDisposable)?.Dispose();
        (_controlSigner as IDisposable)?.Dispose();
    }

    /// <summary>Test hook: drops the API connection as a network failure would (it reconnects with back-off).</summary>
    internal void DropApiConnection() => _api?.Abort();

    private bool IsReadyOrReconnecting() => _api is not null && !_disposed;

    private void StopConnections(TimeSpan wait)
    {
        _apiReady = false;
        _userDataReady = false;
        _api?.Stop(wait);
        _userData?.Stop(wait);
    }

    private static void FreeSlot(PendingRequest slot)
    {
        Volatile.Write(ref slot.State, PendingRequest.Free);
    }

    private ExecutionReport ReportOf(in OrderCommand command, OrderStatus status, ExecutionReason reason, int code, ExecutionReportOrigin origin)
    {
        var isCancel = command.Action == OrderAction.Cancel;
        var report = new ExecutionReport
        {
            ClientOrderId = isCancel ? command.OriginalClientOrderId : command.ClientOrderId,
            CommandClientOrderId = command.ClientOrderId,
            CausingSequence = command.CausingSequence,
            Price = command.Price,
            Quantity = command.Quantity,
            RemainingQuantity = status is OrderStatus.Rejected ? command.Quantity : 0,
            TradeId = -1,
            EventTimeMs = command.EventTimeMs,
            VenueErrorCode = code,
            SymbolId = command.SymbolId,
            Side = command.Side,
            Type = command.Type,
            TimeInForce = command.TimeInForce,
            Status = status,
            Reason = reason,
            Origin = origin,
        };
        return report;
    }

    /// <summary>Parses a client order id written with this session's prefix back to the engine's id.</summary>
    /// <returns>Whether <paramref name="text"/> is <c>prefix + positive decimal</c>.</returns>
    internal bool TryParseClientOrderId(ReadOnlySpan<byte> text, out long clientOrderId)
    {
        clientOrderId = 0;
        if (!text.StartsWith(_prefix))
        {
            return false;
        }

        var digits = text[_prefix.Length..];
        if (digits.IsEmpty || digits.Length > 19 || digits[0] is < (byte)'1' or > (byte)'9')
        {
            return false;
        }

        foreach (var b in digits)
        {
            if (b is < (byte)'0' or > (byte)'9')
            {
                return false;
            }
        }

        return Utf8Parser.TryParse(digits, out clientOrderId, out var consumed) && consumed == digits.Length && clientOrderId > 0;
    }

    private void Notify(in VenueNotice notice)
    {
        lock (_noticeLock)
        {
            _notices.Add(notice);
        }
    }
}
