using System.Buffers.Text;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>The receive threads' side: handshake, responses, user-data events.</summary>
public sealed partial class BinanceOrderVenue
{
    // ───────────────────────────── API connection (its own thread) ─────────────────────────────

    private void OnApiOpened(WsApiConnection connection)
    {
        _apiReady = false;
        _loggedOn = false;
        if (_market == Market.Spot)
        {
            _userDataReady = false;
        }

        _generation++;
        _timeRequestId = Interlocked.Increment(ref _nextControlId);
        _timeRequestWallMs = LocalNowMs;
        SendControl(connection, WriteNoParams(_controlFrame, _timeRequestId, "time"u8));
    }

    private void OnApiClosed(WsApiConnection connection, string cause)
    {
        _apiReady = false;
        _loggedOn = false;
        if (_market == Market.Spot)
        {
            _userDataReady = false;
        }

        Notify(new VenueNotice { Kind = VenueNoticeKind.ConnectionLost, Value = _generation });
    }

    private string? OnApiFrame(WsApiConnection connection, ReadOnlySpan<byte> frame)
    {
        var message = _apiMessage;
        message.Parse(frame);
        if (message.Malformed)
        {
            Counters.MalformedFrames++;
            return null;
        }

        if (message.RateLimitCount > 0)
        {
            QueueRateLimits(message);
        }

        if (message.IsEvent && !message.HasId && message.Status == 0)
        {
            if (message.EventType.SequenceEqual("serverShutdown"u8))
            {
                Counters.ServerShutdowns++;
                return WsApiConnection.ServerShutdownCause;
            }

            if (message.EventType.SequenceEqual("eventStreamTerminated"u8))
            {
                return "the user-data subscription ended (eventStreamTerminated)";
            }

            OnUserDataEvent(message);
            return null;
        }

        if (!message.HasId)
        {
            // {"id":null,"status":401,…}: the session's key was revoked (binance.md §5.2).
            return message.Status >= 400 ? FailHandshake("session", message) : null;
        }

        if (message.Id >= ControlIdBase)
        {
            return OnControlResponse(connection, message);
        }

        OnOrderResponse(message);
        return null;
    }

    private string? OnControlResponse(WsApiConnection connection, WsApiMessage message)
    {
        if (message.Id == _timeRequestId)
        {
            if (message.Status == 200 && message.ServerTimeMs > 0)
            {
                Volatile.Write(ref _serverOffsetMs, message.ServerTimeMs - ((_timeRequestWallMs + LocalNowMs) / 2));
            }

            if (_keyType == ApiKeyType.Ed25519)
            {
                _logonRequestId = Interlocked.Increment(ref _nextControlId);
                SendControl(connection, _controlEncoder.EncodeSessionLogon(_logonRequestId, ServerNowMs));
                return null;
            }

            return Authenticated(connection);
        }

        if (message.Id == _logonRequestId)
        {
            if (message.Status != 200)
            {
                return FailHandshake("session.logon", message);
            }

            _loggedOn = _options.OmitSignatureAfterLogon;
            return Authenticated(connection);
        }

        if (message.Id == _subscribeRequestId)
        {
            if (message.Status != 200)
            {
                return FailHandshake("userDataStream.subscribe", message);
            }

            _userDataReady = true;
            _apiReady = true;
            Ready("user data subscribed");
            return null;
        }

        if (message.Id == Volatile.Read(ref _listenKeyRequestId))
        {
            if (message.Status != 200 || message.ListenKey.IsEmpty)
            {
                return FailHandshake("userDataStream.start", message);
            }

            var key = System.Text.Encoding.ASCII.GetString(message.ListenKey);
            var changed = _listenKey != key;
            _listenKey = key;
            if (_userData is null)
            {
                var baseUri = _options.EffectiveFuturesUserDataUri;
                _userData = new WsApiConnection($"user-data {baseUri.Host}:{baseUri.Port}", UserDataUri, new UserDataHandler(this), _options);
                _userData.Start();
            }
            else if (changed)
            {
                _userData.Abort();
            }

            _apiReady = true;
            Ready("listenKey");
            return null;
        }

        return null;
    }

    private Uri? UserDataUri()
    {
        var key = _listenKey;
        if (key is null)
        {
            return null;
        }

        var builder = new UriBuilder(_options.EffectiveFuturesUserDataUri) { Query = "listenKey=" + Uri.EscapeDataString(key) };
        return builder.Uri;
    }

    private string? Authenticated(WsApiConnection connection)
    {
        if (_market == Market.Spot)
        {
            _subscribeRequestId = Interlocked.Increment(ref _nextControlId);
            SendControl(connection, _keyType == ApiKeyType.Ed25519
                ? WriteNoParams(_controlFrame, _subscribeRequestId, "userDataStream.subscribe"u8)
                : _controlEncoder.EncodeUserDataSubscribeSignature(_subscribeRequestId, ServerNowMs));
        }
        else
        {
            Volatile.Write(ref _listenKeyRequestId, Interlocked.Increment(ref _nextControlId));
            SendControl(connection, WriteApiKeyOnly(_controlFrame, _listenKeyRequestId, "userDataStream.start"u8));
        }

        return null;
    }

    private void Ready(string step)
    {
        _handshakeFailure = "";
        if (_options.Logger is { } logger && IsReady)
        {
            var market = _market == Market.Spot ? "spot" : "usdm";
            OrderVenueLog.Ready(logger, market, _options.Credentials.KeyId, step, ServerTimeOffsetMs);
        }
    }

    private string FailHandshake(string step, WsApiMessage message)
    {
        var text = System.Text.Encoding.UTF8.GetString(message.ErrorMessage);
        _handshakeFailure = $"{step} refused: status {message.Status}, code {message.ErrorCode}: {text}";
        if (_options.Logger is not null)
        {
            OrderVenueLog.HandshakeRefused(_options.Logger, _market.ToString(), _options.Credentials.KeyId, step, message.Status, message.ErrorCode, text);
        }

        return _handshakeFailure;
    }

    private static void SendControl(WsApiConnection connection, ReadOnlySpan<byte> frame) => connection.Send(frame);

    private void QueueRateLimits(WsApiMessage message)
    {
        lock (_noticeLock)
        {
            for (var i = 0; i < message.RateLimitCount; i++)
            {
                ref readonly var usage = ref message.RateLimits[i];
                _notices.Add(new VenueNotice { Kind = VenueNoticeKind.RateLimitUsage, IsOrders = usage.IsOrders, IntervalMs = usage.IntervalMs, Value = usage.Count });
            }
        }
    }

    // ───────────────────────────── Responses to the gateway's requests ─────────────────────────────

    private void OnOrderResponse(WsApiMessage message)
    {
        var slot = _slots[message.Id & _slotMask];
        if (Volatile.Read(ref slot.RequestId) != message.Id
            || Interlocked.CompareExchange(ref slot.State, PendingRequest.Owned, PendingRequest.Pending) != PendingRequest.Pending)
        {
            Counters.LateResponses++;
            return;
        }

        Interlocked.Decrement(ref _busySlots);
        switch (slot.Kind)
        {
            case RequestKind.Order:
                OnCommandResponse(slot, message);
                break;
            case RequestKind.Status:
                OnStatusResponse(slot, message);
                break;
            case RequestKind.Time:
                if (message.Status == 200 && message.ServerTimeMs > 0)
                {
                    Volatile.Write(ref _serverOffsetMs, message.ServerTimeMs - ((slot.SentWallMs + LocalNowMs) / 2));
                }

                break;
            default:
                if (message.ErrorCode == -1125)
                {
                    // The listenKey is gone (binance.md §7.2): the next Poll asks for a new one; the user-data connection
                    // waits for it.
                    _userDataReady = false;
                    _listenKey = null;
                    Volatile.Write(ref _listenKeyRequestId, -1);
                    _userData?.Abort();
                }

                break;
        }

        FreeSlot(slot);
    }

    private void OnCommandResponse(PendingRequest slot, WsApiMessage message)
    {
        ref readonly var command = ref slot.Command;
        if (message.Status == 200)
        {
            if (command.Action == OrderAction.New)
            {
                ReportAck(command, message.TransactionTimeMs);
            }

            // A cancel's CANCELED, and every fill, come from user data.
            Interlocked.Decrement(ref _inFlight);
            return;
        }

        if (IsUnknownOutcome(message))
        {
            Notify(new VenueNotice { Kind = VenueNoticeKind.Reconcile, Command = command });
            return;
        }

        var (status, reason) = Refusal(command, message);
        var report = ReportOf(command, status, reason, message.ErrorCode, ExecutionReportOrigin.Venue);
        if (reason == ExecutionReason.RateLimited)
        {
            Counters.RateLimited++;
            QueueRateLimited(message);
        }

        lock (_orderLock)
        {
            if (command.Action == OrderAction.New)
            {
                ref var entry = ref _orders.FindOrAdd(command.ClientOrderId, out _);
                entry.Flags |= VenueOrderTable.NewReported | VenueOrderTable.FinalReported;
            }

            _sink!.OnExecutionReport(report);
        }

        Interlocked.Decrement(ref _inFlight);
    }

    private void QueueRateLimited(WsApiMessage message)
    {
        var offset = ServerTimeOffsetMs;
        if (message.Status == 418)
        {
            var until = message.RetryAfterMs > 0 ? message.RetryAfterMs - offset : LocalNowMs + (long)_options.DefaultRetryAfter.TotalMilliseconds;
            Notify(new VenueNotice { Kind = VenueNoticeKind.Banned, Value = until });
        }
        else
        {
            var until = message.RetryAfterMs > 0 ? message.RetryAfterMs - offset : LocalNowMs + (long)_options.DefaultRetryAfter.TotalMilliseconds;
            Notify(new VenueNotice { Kind = VenueNoticeKind.TooManyRequests, Value = until });
        }
    }

    private void OnStatusResponse(PendingRequest slot, WsApiMessage message)
    {
        ref readonly var command = ref slot.Command;
        if (message.Status == 200)
        {
            ReportReconciled(command, message);
            Interlocked.Decrement(ref _inFlight);
            return;
        }

        if (message.ErrorCode == -2013)
        {
            var report = ReportOf(command, OrderStatus.Rejected, ExecutionReason.NotFoundAfterUnknownOutcome, message.ErrorCode, ExecutionReportOrigin.Reconciliation);
            lock (_orderLock)
            {
                var id = command.Action == OrderAction.Cancel ? command.OriginalClientOrderId : command.ClientOrderId;
                ref var entry = ref _orders.FindOrAdd(id, out _);
                if (command.Action == OrderAction.New)
                {
                    entry.Flags |= VenueOrderTable.NewReported | VenueOrderTable.FinalReported;
                }

                _sink!.OnExecutionReport(report);
            }

            Interlocked.Decrement(ref _inFlight);
            return;
        }

        if (message.Status is 429 or 418)
        {
            Counters.RateLimited++;
            QueueRateLimited(message);
        }

        // Still unknown (5xx, a timestamp or rate-limit refusal of the query): ask again later.
        Notify(new VenueNotice { Kind = VenueNoticeKind.Reconcile, Command = command, Value = 1 });
    }

    private void ReportAck(in OrderCommand command, long transactionTimeMs)
    {
        lock (_orderLock)
        {
            ref var entry = ref _orders.FindOrAdd(command.ClientOrderId, out _);
            if ((entry.Flags & VenueOrderTable.NewReported) != 0)
            {
                Counters.DuplicateEvents++;
                return;
            }

            entry.Flags |= VenueOrderTable.NewReported;
            var report = ReportOf(command, OrderStatus.New, ExecutionReason.None, 0, ExecutionReportOrigin.Venue);
            report.RemainingQuantity = command.Quantity;
            report.TransactionTimeMs = transactionTimeMs;
            _sink!.OnExecutionReport(report);
        }
    }

    private void ReportReconciled(in OrderCommand command, WsApiMessage message)
    {
        var status = StatusOf(message.OrderStatusText);
        var id = command.Action == OrderAction.Cancel ? command.OriginalClientOrderId : command.ClientOrderId;
        lock (_orderLock)
        {
            ref var entry = ref _orders.FindOrAdd(id, out var found);
            var order = found && entry.Command.Action == OrderAction.New ? entry.Command : command;
            var report = ReportOf(order, status, ExecutionReason.None, 0, ExecutionReportOrigin.Reconciliation);
            report.ClientOrderId = id;
            report.CommandClientOrderId = command.ClientOrderId;
            report.CausingSequence = command.CausingSequence;
            report.TransactionTimeMs = message.TransactionTimeMs;
            if (message.Quantity > 0)
            {
                report.Quantity = message.Quantity;
            }

            report.CumulativeQuantity = message.CumulativeQuantity;
            report.RemainingQuantity = Math.Max(0, report.Quantity - message.CumulativeQuantity);
            var nothingNew = (entry.Flags & VenueOrderTable.NewReported) != 0 && !IsFinal(status) && message.CumulativeQuantity <= entry.CumulativeQuantity;
            if ((entry.Flags & VenueOrderTable.FinalReported) != 0 || (nothingNew && command.Action != OrderAction.Cancel))
            {
                // User data (or an earlier answer) told this already.
                Counters.DuplicateEvents++;
                return;
            }

            if (message.CumulativeQuantity > entry.CumulativeQuantity)
            {
                // Fills the user data did not report (lost with a connection): one fill at the average price.
                report.LastQuantity = message.CumulativeQuantity - entry.CumulativeQuantity;
                report.LastPrice = AveragePrice(message);
                entry.CumulativeQuantity = message.CumulativeQuantity;
            }

            entry.Flags |= VenueOrderTable.NewReported;
            if (IsFinal(status))
            {
                entry.Flags |= VenueOrderTable.FinalReported;
            }

            _sink!.OnExecutionReport(report);
        }
    }

    private static long AveragePrice(WsApiMessage message)
    {
        if (message.AveragePrice > 0)
        {
            return message.AveragePrice;
        }

        if (message.CumulativeQuantity <= 0 || message.CumulativeQuote <= 0)
        {
            return message.Price;
        }

        // quote (10⁻⁸) / quantity (10⁻⁸) in 10⁻⁸ units, exact integer arithmetic.
        return (long)((Int128)message.CumulativeQuote * FixedPoint.Scale / message.CumulativeQuantity);
    }

    // ───────────────────────────── User data (spot: the API thread; futures: the user-data thread) ─────────────────────────────

    private void OnUserDataEvent(WsApiMessage message)
    {
        var type = message.EventType;
        if (!type.SequenceEqual("executionReport"u8) && !type.SequenceEqual("ORDER_TRADE_UPDATE"u8))
        {
            Counters.OtherEvents++;
            return;
        }

        var execution = message.ExecutionType;
        var isCancel = execution.SequenceEqual("CANCELED"u8);
        var idText = isCancel && !message.OrigClientOrderId.IsEmpty ? message.OrigClientOrderId : message.ClientOrderId;
        if (!TryParseClientOrderId(idText, out var clientOrderId))
        {
            Counters.ForeignEvents++;
            return;
        }

        var status = StatusOf(message.OrderStatusText);
        lock (_orderLock)
        {
            ref var entry = ref _orders.FindOrAdd(clientOrderId, out var found);
            if (!found)
            {
                FillCommandFromEvent(ref entry.Command, message);
            }

            if ((entry.Flags & VenueOrderTable.FinalReported) != 0)
            {
                Counters.DuplicateEvents++;
                return;
            }

            var report = ReportOf(entry.Command, status, ExecutionReason.None, 0, ExecutionReportOrigin.Venue);
            report.EventTimeMs = message.EventTimeMs;
            report.TransactionTimeMs = message.TransactionTimeMs;
            report.CumulativeQuantity = message.CumulativeQuantity;
            if (message.Quantity > 0)
            {
                report.Quantity = message.Quantity;
            }

            report.RemainingQuantity = Math.Max(0, report.Quantity - message.CumulativeQuantity);
            if (execution.SequenceEqual("NEW"u8))
            {
                if ((entry.Flags & VenueOrderTable.NewReported) != 0)
                {
                    Counters.DuplicateEvents++;
                    return;
                }
            }
            else if (execution.SequenceEqual("TRADE"u8))
            {
                if (message.CumulativeQuantity <= entry.CumulativeQuantity)
                {
                    Counters.DuplicateEvents++;
                    return;
                }

                report.LastQuantity = Math.Min(message.LastQuantity, message.CumulativeQuantity - entry.CumulativeQuantity);
                report.LastPrice = message.LastPrice;
                report.Commission = message.Commission;
                report.TradeId = message.TradeId;
                report.IsMaker = message.IsMaker;
                entry.CumulativeQuantity = message.CumulativeQuantity;
                if (!message.CommissionAsset.IsEmpty && !message.Symbol.EndsWith(message.CommissionAsset))
                {
                    Counters.CommissionInOtherAsset++;
                }
            }
            else if (isCancel || execution.SequenceEqual("EXPIRED"u8) || execution.SequenceEqual("REJECTED"u8))
            {
                if (isCancel && entry.CancelClientOrderId > 0)
                {
                    report.CommandClientOrderId = entry.CancelClientOrderId;
                }

                report.Reason = ReasonOf(message, status);
                report.RemainingQuantity = status == OrderStatus.Rejected ? report.Quantity : report.RemainingQuantity;
            }
            else
            {
                // TRADE_PREVENTION, REPLACED, AMENDMENT, CALCULATED: not an engine state change.
                Counters.OtherEvents++;
                return;
            }

            entry.Flags |= VenueOrderTable.NewReported;
            if (IsFinal(status))
            {
                entry.Flags |= VenueOrderTable.FinalReported;
            }

            _sink!.OnExecutionReport(report);
        }
    }

    private void FillCommandFromEvent(ref OrderCommand command, WsApiMessage message)
    {
        command.Action = OrderAction.New;
        command.SymbolId = _symbols.TryGet(message.Symbol, out var symbolId) ? symbolId : -1;
        command.Side = message.Side.SequenceEqual("BUY"u8) ? OrderSide.Buy : message.Side.SequenceEqual("SELL"u8) ? OrderSide.Sell : OrderSide.None;
        command.Price = message.Price;
        command.Quantity = message.Quantity;
        command.Type = message.OrderType.SequenceEqual("MARKET"u8) ? OrderType.Market
            : message.OrderType.SequenceEqual("LIMIT_MAKER"u8) ? OrderType.LimitMaker
            : message.OrderType.SequenceEqual("LIMIT"u8) ? OrderType.Limit : OrderType.None;
        command.TimeInForce = TimeInForceOf(message.TimeInForce);
    }

    // ───────────────────────────── Mapping ─────────────────────────────

    private static bool IsUnknownOutcome(WsApiMessage message)
    {
        if (message.ErrorCode is -1006 or -1007)
        {
            return true;
        }

        if (message.Status < 500)
        {
            return false;
        }

        // Futures 503 failures that did not execute (binance.md §8.2): throttled, "Service Unavailable.", "Internal error…".
        var text = message.ErrorMessage;
        return message.ErrorCode != -1008
            && !text.StartsWith("Service Unavailable"u8)
            && !text.StartsWith("Internal error"u8)
            && !text.StartsWith("Request throttled"u8);
    }

    private static (OrderStatus Status, ExecutionReason Reason) Refusal(in OrderCommand command, WsApiMessage message)
    {
        if (message.Status is 429 or 418 || message.ErrorCode is -1015 or -1003)
        {
            return (OrderStatus.Rejected, ExecutionReason.RateLimited);
        }

        switch (message.ErrorCode)
        {
            case -1121:
                return (OrderStatus.Rejected, ExecutionReason.UnknownSymbol);
            case -4116:
                return (OrderStatus.Rejected, ExecutionReason.DuplicateClientOrderId);
            case -5022:
                return (OrderStatus.Expired, ExecutionReason.PostOnlyWouldTake);
            case -5021:
                return (OrderStatus.Expired, ExecutionReason.UnfilledFokOrderExpired);
            case -2011 or -2013 when command.Action != OrderAction.New:
                return (OrderStatus.Rejected, ExecutionReason.UnknownOrder);
            case -2010 when message.ErrorMessage.IndexOf("immediately match"u8) >= 0:
                return (OrderStatus.Rejected, ExecutionReason.WouldMatchImmediately);
            case -2010 when message.ErrorMessage.IndexOf("Duplicate order"u8) >= 0:
                return (OrderStatus.Rejected, ExecutionReason.DuplicateClientOrderId);
            default:
                return (OrderStatus.Rejected, ExecutionReason.VenueRejected);
        }
    }

    private static ExecutionReason ReasonOf(WsApiMessage message, OrderStatus status)
    {
        var r = message.Reason;
        if (r.SequenceEqual("WOULD_MATCH_IMMEDIATELY"u8))
        {
            return ExecutionReason.WouldMatchImmediately;
        }

        if (r.SequenceEqual("UNFILLED_IOC_QUANTITY_EXPIRED"u8))
        {
            return ExecutionReason.UnfilledIocQuantityExpired;
        }

        if (r.SequenceEqual("UNFILLED_FOK_ORDER_EXPIRED"u8))
        {
            return ExecutionReason.UnfilledFokOrderExpired;
        }

        if (r.SequenceEqual("INSUFFICIENT_LIQUIDITY"u8))
        {
            return ExecutionReason.InsufficientLiquidity;
        }

        if (status == OrderStatus.Expired)
        {
            var tif = message.TimeInForce;
            return tif.SequenceEqual("GTX"u8) && message.CumulativeQuantity == 0 ? ExecutionReason.PostOnlyWouldTake
                : tif.SequenceEqual("IOC"u8) ? ExecutionReason.UnfilledIocQuantityExpired
                : tif.SequenceEqual("FOK"u8) ? ExecutionReason.UnfilledFokOrderExpired
                : ExecutionReason.None;
        }

        return status == OrderStatus.Rejected ? ExecutionReason.VenueRejected : ExecutionReason.None;
    }

    private static OrderStatus StatusOf(ReadOnlySpan<byte> text) =>
        text.SequenceEqual("NEW"u8) ? OrderStatus.New
        : text.SequenceEqual("PARTIALLY_FILLED"u8) ? OrderStatus.PartiallyFilled
        : text.SequenceEqual("FILLED"u8) ? OrderStatus.Filled
        : text.SequenceEqual("CANCELED"u8) ? OrderStatus.Canceled
        : text.SequenceEqual("EXPIRED"u8) || text.SequenceEqual("EXPIRED_IN_MATCH"u8) ? OrderStatus.Expired
        : text.SequenceEqual("REJECTED"u8) ? OrderStatus.Rejected
        : text.SequenceEqual("PENDING_NEW"u8) ? OrderStatus.New
        : OrderStatus.None;

    private static TimeInForce TimeInForceOf(ReadOnlySpan<byte> text) =>
        text.SequenceEqual("GTC"u8) ? TimeInForce.GoodTillCancelled
        : text.SequenceEqual("IOC"u8) ? TimeInForce.ImmediateOrCancel
        : text.SequenceEqual("FOK"u8) ? TimeInForce.FillOrKill
        : text.SequenceEqual("GTX"u8) ? TimeInForce.GoodTillCrossing
        : TimeInForce.None;

    private static bool IsFinal(OrderStatus status) => status is OrderStatus.Filled or OrderStatus.Canceled or OrderStatus.Expired or OrderStatus.Rejected;

    // ───────────────────────────── Small requests written by hand ─────────────────────────────

    /// <summary><c>{"id":N,"method":"…"}</c>.</summary>
    private static ReadOnlySpan<byte> WriteNoParams(byte[] buffer, long id, ReadOnlySpan<byte> method)
    {
        var n = Append(buffer, 0, "{\"id\":"u8);
        Utf8Formatter.TryFormat(id, buffer.AsSpan(n), out var w);
        n += w;
        n = Append(buffer, n, ",\"method\":\""u8);
        n = Append(buffer, n, method);
        n = Append(buffer, n, "\"}"u8);
        return buffer.AsSpan(0, n);
    }

    /// <summary><c>{"id":N,"method":"…","params":{"apiKey":"…"}}</c> (USDⓈ-M listenKey methods, binance.md §7.2).</summary>
    private ReadOnlySpan<byte> WriteApiKeyOnly(byte[] buffer, long id, ReadOnlySpan<byte> method)
    {
        var n = Append(buffer, 0, "{\"id\":"u8);
        Utf8Formatter.TryFormat(id, buffer.AsSpan(n), out var w);
        n += w;
        n = Append(buffer, n, ",\"method\":\""u8);
        n = Append(buffer, n, method);
        n = Append(buffer, n, "\",\"params\":{\"apiKey\":\""u8);
        n = Append(buffer, n, _apiKey);
        n = Append(buffer, n, "\"}}"u8);
        return buffer.AsSpan(0, n);
    }

    private static int Append(byte[] buffer, int at, ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(buffer.AsSpan(at));
        return at + bytes.Length;
    }

    private sealed class ApiHandler(BinanceOrderVenue venue) : IWsApiConnectionHandler
    {
        public void OnOpened(WsApiConnection connection) => venue.OnApiOpened(connection);

        public string? OnFrame(WsApiConnection connection, ReadOnlySpan<byte> frame) => venue.OnApiFrame(connection, frame);

        public void OnClosed(WsApiConnection connection, string cause) => venue.OnApiClosed(connection, cause);
    }

    private sealed class UserDataHandler(BinanceOrderVenue venue) : IWsApiConnectionHandler
    {
        public void OnOpened(WsApiConnection connection)
        {
            venue._userDataReady = true;
            venue.Ready("user-data connection");
        }

        public string? OnFrame(WsApiConnection connection, ReadOnlySpan<byte> frame)
        {
            var message = venue._userDataMessage;
            message.Parse(frame);
            if (message.Malformed)
            {
                venue.Counters.MalformedFrames++;
                return null;
            }

            if (message.EventType.SequenceEqual("listenKeyExpired"u8))
            {
                // A new key is asked for by the next Poll (binance.md §7.2); this connection waits for it.
                venue._userDataReady = false;
                venue._listenKey = null;
                Volatile.Write(ref venue._listenKeyRequestId, -1);
                return "listenKey expired";
            }

            venue.OnUserDataEvent(message);
            return null;
        }

        public void OnClosed(WsApiConnection connection, string cause) => venue._userDataReady = false;
    }
}
