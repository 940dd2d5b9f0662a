using System.Globalization;
using System.Text;
using System.Text.Json;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <content>Order methods: order.place (with scripted faults), order.cancel, order.status, openOrders.cancelAll.</content>
internal sealed partial class WsApiSession
{
    private void PlaceOrder(in Call call, long ordinal)
    {
        var statistics = _shared.Statistics;
        OrderRequest? request = null;
        var respType = "ACK";
        var error = Authenticate(call, requireSignature: false, out _);
        error ??= ParseOrder(call, out request, out respType);
        if (error is not null)
        {
            Interlocked.Increment(ref statistics.OrdersRejectedCount);
            Fail(call, error, withOrders: true);
            return;
        }

        _shared.Exchange.NoteClientOrderId(request!.ClientOrderId);
        OrderFault? fault = null;
        foreach (var candidate in _shared.Options.OrderFaults)
        {
            if (candidate.Matches(ordinal, request.ClientOrderId))
            {
                fault = candidate;
                break;
            }
        }

        if (fault is { Kind: OrderFaultKind.TooManyRequests or OrderFaultKind.Ban })
        {
            Interlocked.Increment(ref statistics.FaultCount);
            Interlocked.Increment(ref statistics.OrdersRejectedCount);
            var until = call.NowMs + Math.Max(1, fault.Argument);
            if (fault.Kind == OrderFaultKind.Ban)
            {
                _shared.BanUntil(until);
                Interlocked.Increment(ref statistics.BannedCount);
                Fail(call, Ban(until), withOrders: true);
            }
            else
            {
                Interlocked.Increment(ref statistics.RateLimitedCount);
                Fail(call, new ExchangeError(429, -1003, string.Create(CultureInfo.InvariantCulture, $"Too many requests; current limit is {_shared.Limiter.WeightLimit} request weight per 1 MINUTE."), until), withOrders: true);
            }

            return;
        }

        if (!_shared.Limiter.TryOrder(call.NowMs, out var limitText, out var orderRetryAfter))
        {
            Interlocked.Increment(ref statistics.RateLimitedCount);
            Interlocked.Increment(ref statistics.OrdersRejectedCount);
            Fail(call, new ExchangeError(429, -1015, $"Too many new orders; current limit is {limitText}.", orderRetryAfter), withOrders: true);
            return;
        }

        if (fault is not null)
        {
            Interlocked.Increment(ref statistics.FaultCount);
        }

        var placedByFault = fault is null || fault.Kind switch
        {
            OrderFaultKind.UnknownNotPlaced => false,
            OrderFaultKind.DisconnectMidOrder => fault.Placed,
            _ => true,
        };
        ExchangeOrder? order = null;
        ExchangeError? placeError = null;
        if (placedByFault)
        {
            order = _shared.Exchange.Place(request, out placeError);
            if (placeError is not null)
            {
                Interlocked.Increment(ref statistics.OrdersRejectedCount);
            }
        }

        switch (fault?.Kind)
        {
            case OrderFaultKind.DisconnectMidOrder:
                Abort();
                return;
            case OrderFaultKind.DropResponse:
                return;
            case OrderFaultKind.UnknownThenStatus or OrderFaultKind.UnknownNotPlaced:
                Fail(call, new ExchangeError(503, -1007, UnknownStatusMessage), withOrders: true);
                return;
            default:
                break;
        }

        byte[] response;
        if (placeError is not null)
        {
            response = Response(call.Id, call.ShowLimits, placeError, null, call.NowMs, withOrders: true);
        }
        else
        {
            RefundOnSuccess(call);
            var snapshot = OrderResult(order!, respType);
            response = Response(call.Id, call.ShowLimits, null, w => w.WriteRawValue(snapshot, skipInputValidation: true), call.NowMs, withOrders: true);
        }

        if (fault?.Kind == OrderFaultKind.DelayResponse)
        {
            SendLater(response, TimeSpan.FromMilliseconds(fault.Argument));
            return;
        }

        Send(response);
    }

    /// <summary>The order.place result, written under the exchange lock so it is the state right after matching.</summary>
    private byte[] OrderResult(ExchangeOrder order, string respType)
    {
        lock (_shared.Exchange.Sync)
        {
            return _shared.Market == Market.Spot
                ? ExchangeJson.Build(w => ExchangeJson.WriteSpotOrder(w, order, respType, SymbolAssets.QuoteOf(order.Symbol)))
                : ExchangeJson.Build(w => ExchangeJson.WriteFuturesOrder(w, order, forStatus: false, ack: respType == "ACK"));
        }
    }

    private ExchangeError? ParseOrder(in Call call, out OrderRequest? request, out string respType)
    {
        request = null;
        respType = "ACK";
        var spot = _shared.Market == Market.Spot;
        var parameters = call.Parameters;
        if (SymbolOf(parameters, out var symbolId) is { } symbolError)
        {
            return symbolError;
        }

        if (!TryString(parameters, "side", out var sideText))
        {
            return Missing("side");
        }

        OrderSide side;
        switch (sideText)
        {
            case "BUY":
                side = OrderSide.Buy;
                break;
            case "SELL":
                side = OrderSide.Sell;
                break;
            default:
                return new ExchangeError(400, -1117, "Invalid side.");
        }

        if (!TryString(parameters, "type", out var typeText))
        {
            return Missing("type");
        }

        OrderType type;
        switch (typeText)
        {
            case "LIMIT":
                type = OrderType.Limit;
                break;
            case "MARKET":
                type = OrderType.Market;
                break;
            case "LIMIT_MAKER" when spot:
                type = OrderType.LimitMaker;
                break;
            default:
                return new ExchangeError(400, -1116, "Invalid orderType.");
        }

        var timeInForce = TimeInForce.None;
        var hasTimeInForce = TryString(parameters, "timeInForce", out var timeInForceText);
        if (type == OrderType.Limit)
        {
            if (!hasTimeInForce)
            {
                return Missing("timeInForce");
            }

            timeInForce = timeInForceText switch
            {
                "GTC" => TimeInForce.GoodTillCancelled,
                "IOC" => TimeInForce.ImmediateOrCancel,
                "FOK" => TimeInForce.FillOrKill,
                "GTX" when !spot => TimeInForce.GoodTillCrossing,
                _ => TimeInForce.None,
            };
            if (timeInForce == TimeInForce.None)
            {
                return new ExchangeError(400, -1115, "Invalid timeInForce.");
            }
        }
        else if (hasTimeInForce)
        {
            return new ExchangeError(400, -1106, "Parameter 'timeInForce' sent when not required.");
        }

        if (!TryString(parameters, "quantity", out var quantityText))
        {
            // quoteOrderQty (spot MARKET by quote amount) is not simulated.
            return Missing("quantity");
        }

        if (ParseDecimal("quantity", quantityText, out var quantity) is { } quantityError)
        {
            return quantityError;
        }

        long price = 0;
        var hasPrice = TryString(parameters, "price", out var priceText);
        if (type == OrderType.Market)
        {
            if (hasPrice)
            {
                return new ExchangeError(400, -1106, "Parameter 'price' sent when not required.");
            }
        }
        else
        {
            if (!hasPrice)
            {
                return Missing("price");
            }

            if (ParseDecimal("price", priceText, out price) is { } priceError)
            {
                return priceError;
            }
        }

        string clientOrderId;
        if (TryString(parameters, "newClientOrderId", out var given))
        {
            if (!ClientOrderIdPattern().IsMatch(given))
            {
                return spot ? new ExchangeError(400, -1100, "Illegal characters found in parameter 'newClientOrderId'; legal range is '^[\\.A-Z\\:/a-z0-9_-]{1,36}$'.") : new ExchangeError(400, -4015, "Client order id is not valid.");
            }

            clientOrderId = given;
        }
        else
        {
            clientOrderId = _shared.Exchange.GenerateClientOrderId();
        }

        respType = spot ? (type == OrderType.LimitMaker ? "ACK" : "FULL") : "ACK";
        if (TryString(parameters, "newOrderRespType", out var respText))
        {
            if (respText is not ("ACK" or "RESULT") && !(spot && respText == "FULL"))
            {
                return new ExchangeError(400, -1102, "Invalid newOrderRespType.");
            }

            respType = respText;
        }

        var timeInForceOut = type == OrderType.Limit ? timeInForceText : "GTC";
        request = new OrderRequest(symbolId, side, type, timeInForce, typeText, timeInForceOut, price, quantity, clientOrderId);
        return null;
    }

    private ExchangeError? ParseDecimal(string name, string text, out long units)
    {
        switch (FixedPoint.TryParse(Encoding.ASCII.GetBytes(text), out units))
        {
            case FixedPointParseStatus.Ok when units > 0:
                return null;
            case FixedPointParseStatus.Ok:
                return _shared.Market == Market.Spot
                    ? new ExchangeError(400, -1013, $"Invalid {name}.")
                    : new ExchangeError(400, name == "price" ? -4013 : -4003, name == "price" ? "Price less than min price." : "Quantity less than or equal to zero.");
            case FixedPointParseStatus.TooManyDecimals:
                return new ExchangeError(400, -1111, "Precision is over the maximum defined for this asset.");
            default:
                return new ExchangeError(400, -1100, $"Illegal characters found in parameter '{name}'; legal range is '^([0-9]{{1,20}})(\\.[0-9]{{1,20}})?$'.");
        }
    }

    private ExchangeError? SymbolOf(JsonElement parameters, out int symbolId)
    {
        symbolId = -1;
        if (!TryString(parameters, "symbol", out var symbol))
        {
            return Missing("symbol");
        }

        symbolId = _shared.Exchange.SymbolIdOf(symbol);
        return symbolId < 0 ? new ExchangeError(400, -1121, "Invalid symbol.") : null;
    }

    /// <summary>The order named by <c>origClientOrderId</c> or <c>orderId</c>.</summary>
    private ExchangeError? Target(JsonElement parameters, out int symbolId, out string? clientOrderId, out long orderId)
    {
        clientOrderId = null;
        orderId = 0;
        if (SymbolOf(parameters, out symbolId) is { } error)
        {
            return error;
        }

        if (TryString(parameters, "origClientOrderId", out var text))
        {
            clientOrderId = text;
            return null;
        }

        if (TryString(parameters, "orderId", out var idText) && long.TryParse(idText, NumberStyles.None, CultureInfo.InvariantCulture, out orderId))
        {
            return null;
        }

        return new ExchangeError(400, -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!");
    }

    private void CancelOrder(in Call call)
    {
        int symbolId = -1;
        string? clientOrderId = null;
        long orderId = 0;
        var error = Authenticate(call, requireSignature: false, out _);
        error ??= Target(call.Parameters, out symbolId, out clientOrderId, out orderId);
        if (error is not null)
        {
            Fail(call, error);
            return;
        }

        var exchange = _shared.Exchange;
        clientOrderId ??= exchange.Find(symbolId, orderId)?.ClientOrderId ?? "";
        var cancelId = TryString(call.Parameters, "newClientOrderId", out var given) ? given : exchange.GenerateClientOrderId();
        var order = exchange.Cancel(symbolId, clientOrderId, cancelId, out var cancelError);
        if (cancelError is not null)
        {
            Fail(call, cancelError);
            return;
        }

        RefundOnSuccess(call);
        var result = CancelResult(order!, cancelId, call.NowMs);
        Reply(call, w => w.WriteRawValue(result, skipInputValidation: true));
    }

    private byte[] CancelResult(ExchangeOrder order, string cancelId, long nowMs)
    {
        lock (_shared.Exchange.Sync)
        {
            return _shared.Market == Market.Spot
                ? ExchangeJson.Build(w => ExchangeJson.WriteSpotCancel(w, order, cancelId, nowMs))
                : ExchangeJson.Build(w => ExchangeJson.WriteFuturesOrder(w, order, forStatus: false, ack: false));
        }
    }

    private void OrderStatusOf(in Call call)
    {
        int symbolId = -1;
        string? clientOrderId = null;
        long orderId = 0;
        var error = Authenticate(call, requireSignature: false, out _);
        error ??= Target(call.Parameters, out symbolId, out clientOrderId, out orderId);
        if (error is not null)
        {
            Fail(call, error);
            return;
        }

        var exchange = _shared.Exchange;
        var order = clientOrderId is null ? exchange.Find(symbolId, orderId) : exchange.Find(symbolId, clientOrderId);
        if (order is null)
        {
            Fail(call, new ExchangeError(400, -2013, "Order does not exist."));
            return;
        }

        byte[] result;
        lock (exchange.Sync)
        {
            result = _shared.Market == Market.Spot
                ? ExchangeJson.Build(w => ExchangeJson.WriteSpotStatus(w, order))
                : ExchangeJson.Build(w => ExchangeJson.WriteFuturesOrder(w, order, forStatus: true, ack: false));
        }

        Reply(call, w => w.WriteRawValue(result, skipInputValidation: true));
    }

    /// <summary>
    /// Spot <c>openOrders.cancelAll</c> (§5.3): the cancelled orders, or <c>-2011</c> when none is open. USDⓈ-M: binance.md
    /// §5.4 documents no WebSocket API cancel-all; the simulator accepts the same method there and answers as REST
    /// <c>DELETE /fapi/v1/allOpenOrders</c> does (<c>{"code":200,"msg":…}</c>, also when nothing was open).
    /// </summary>
    private void CancelAll(in Call call)
    {
        var symbolId = -1;
        var error = Authenticate(call, requireSignature: false, out _);
        error ??= SymbolOf(call.Parameters, out symbolId);
        if (error is not null)
        {
            Fail(call, error);
            return;
        }

        var spot = _shared.Market == Market.Spot;
        var cancelled = _shared.Exchange.CancelAll(symbolId, out var cancelError);
        if (cancelError is not null && spot)
        {
            Fail(call, cancelError);
            return;
        }

        RefundOnSuccess(call);
        if (!spot)
        {
            Reply(call, w => { w.WriteStartObject(); w.WriteNumber("code", 200); w.WriteString("msg", "The operation of cancel all open order is done."); w.WriteEndObject(); });
            return;
        }

        var results = new List<byte[]>();
        foreach (var order in cancelled!)
        {
            results.Add(CancelResult(order, _shared.Exchange.GenerateClientOrderId(), call.NowMs));
        }

        Reply(call, w =>
        {
            w.WriteStartArray();
            foreach (var result in results)
            {
                w.WriteRawValue(result, skipInputValidation: true);
            }

            w.WriteEndArray();
        });
    }
}
