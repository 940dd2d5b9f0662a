using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <content>The methods: envelope (§5.2), authentication (§5.5–§5.7), limits (§6), orders (§5.3, §5.4), user data (§7).</content>
internal sealed partial class WsApiSession
{
    private const string UnknownStatusMessage = "Timeout waiting for response from backend server. Send status unknown; execution status unknown.";

    [GeneratedRegex(@"^[\.A-Z\:/a-z0-9_-]{1,36}$")]
    private static partial Regex ClientOrderIdPattern();

    private void Handle(ArrivedRequest request)
    {
        var now = SimulatedExchange.NowMs();
        if (request.Document is null || request.Document.RootElement.ValueKind != JsonValueKind.Object)
        {
            Send(Response(default, false, new ExchangeError(400, -1102, "Malformed request: not a JSON object."), null, now));
            return;
        }

        var root = request.Document.RootElement;
        var id = root.TryGetProperty("id", out var idElement) ? idElement : default;
        var parameters = root.TryGetProperty("params", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
        var showLimits = _returnRateLimits;
        if (parameters.ValueKind == JsonValueKind.Object && parameters.TryGetProperty("returnRateLimits", out var rl) && rl.ValueKind is JsonValueKind.True or JsonValueKind.False)
        {
            showLimits = rl.ValueKind == JsonValueKind.True;
        }

        var banned = _shared.BannedUntilMs;
        if (banned > now)
        {
            Interlocked.Increment(ref _shared.Statistics.BannedCount);
            CountOrderReject(request.Method);
            Send(Response(id, showLimits, Ban(banned), null, now));
            return;
        }

        var weight = WeightOf(request.Method);
        if (!_shared.Limiter.TryWeight(weight, now, out var retryAfter))
        {
            Interlocked.Increment(ref _shared.Statistics.RateLimitedCount);
            CountOrderReject(request.Method);
            Send(Response(id, showLimits, new ExchangeError(429, -1003, string.Create(CultureInfo.InvariantCulture, $"Too much request weight used; current limit is {_shared.Limiter.WeightLimit} request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API."), retryAfter), null, now));
            return;
        }

        var call = new Call(id, parameters, showLimits, now, weight);
        switch (request.Method)
        {
            case "ping":
                Reply(call, w => EmptyObject(w));
                break;
            case "time":
                Reply(call, w => { w.WriteStartObject(); w.WriteNumber("serverTime", now); w.WriteEndObject(); });
                break;
            case "session.logon":
                Logon(call);
                break;
            case "session.status":
                Reply(call, WriteSessionStatus);
                break;
            case "session.logout":
                _sessionKey = null;
                StopSubscription();
                Reply(call, WriteSessionStatus);
                break;
            case "order.place":
                PlaceOrder(call, request.Ordinal);
                break;
            case "order.cancel":
                CancelOrder(call);
                break;
            case "order.status":
                OrderStatusOf(call);
                break;
            case "openOrders.cancelAll":
                CancelAll(call);
                break;
            case "userDataStream.subscribe" when _shared.Market == Market.Spot:
                SubscribeUserData(call, needsLogon: true);
                break;
            case "userDataStream.subscribe.signature" when _shared.Market == Market.Spot:
                SubscribeUserData(call, needsLogon: false);
                break;
            case "userDataStream.unsubscribe" when _shared.Market == Market.Spot:
                StopSubscription();
                Reply(call, w => EmptyObject(w));
                break;
            case "userDataStream.start" when _shared.Market != Market.Spot:
            case "userDataStream.ping" when _shared.Market != Market.Spot:
            case "userDataStream.stop" when _shared.Market != Market.Spot:
                ListenKey(call, request.Method);
                break;
            default:
                Fail(call, new ExchangeError(400, -1020, "This operation is not supported."));
                break;
        }
    }

    private byte[] MalformedResponse(JsonDocument? document)
    {
        var id = document is { RootElement.ValueKind: JsonValueKind.Object } && document.RootElement.TryGetProperty("id", out var i) ? i : default;
        return Response(id, _returnRateLimits, new ExchangeError(400, -1102, "Malformed request: a parameter was not sent, was empty/null, or malformed."), null, SimulatedExchange.NowMs());
    }

    // ---- envelope ----------------------------------------------------------------------------------------------

    private readonly record struct Call(JsonElement Id, JsonElement Parameters, bool ShowLimits, long NowMs, int Weight);

    private static void EmptyObject(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        w.WriteEndObject();
    }

    private void Reply(in Call call, Action<Utf8JsonWriter> result, bool withOrders = false) =>
        Send(Response(call.Id, call.ShowLimits, null, result, call.NowMs, withOrders));

    private void Fail(in Call call, ExchangeError error, bool withOrders = false) =>
        Send(Response(call.Id, call.ShowLimits, error, null, call.NowMs, withOrders));

    private byte[] Response(JsonElement id, bool showLimits, ExchangeError? error, Action<Utf8JsonWriter>? result, long nowMs, bool withOrders = false) =>
        ExchangeJson.Build(w =>
        {
            w.WriteStartObject();
            w.WritePropertyName("id");
            if (id.ValueKind is JsonValueKind.Number or JsonValueKind.String)
            {
                id.WriteTo(w);
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteNumber("status", error?.Status ?? 200);
            if (error is null)
            {
                w.WritePropertyName("result");
                result!(w);
            }
            else
            {
                w.WriteStartObject("error");
                w.WriteNumber("code", error.Code);
                w.WriteString("msg", error.Message);
                if (error.RetryAfterMs > 0)
                {
                    w.WriteStartObject("data");
                    w.WriteNumber("serverTime", nowMs);
                    w.WriteNumber("retryAfter", error.RetryAfterMs);
                    w.WriteEndObject();
                }

                w.WriteEndObject();
            }

            if (showLimits)
            {
                w.WriteStartArray("rateLimits");
                foreach (var limit in _shared.Limiter.RateLimitsOf(nowMs, withOrders))
                {
                    w.WriteStartObject();
                    w.WriteString("rateLimitType", limit.Type);
                    w.WriteString("interval", limit.Interval);
                    w.WriteNumber("intervalNum", limit.IntervalNum);
                    w.WriteNumber("limit", limit.Limit);
                    w.WriteNumber("count", limit.Count);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        });

    private static ExchangeError Ban(long untilMs) =>
        new(418, -1003, string.Create(CultureInfo.InvariantCulture, $"Way too much request weight used; IP banned until {untilMs}. Please use WebSocket Streams for live updates to avoid bans."), untilMs);

    private static ExchangeError Missing(string name) => new(400, -1102, $"Mandatory parameter '{name}' was not sent, was empty/null, or malformed.");

    /// <summary>Weights (binance.md §5.3–§5.5, §6, §7): spot order.status 4, futures 1; futures order.place 0 IP weight; session.* and user data 2 (spot).</summary>
    private int WeightOf(string method)
    {
        var spot = _shared.Market == Market.Spot;
        return method switch
        {
            "order.place" => spot ? 1 : 0,
            "order.status" => spot ? 4 : 1,
            "order.cancel" or "time" or "ping" => 1,
            "openOrders.cancelAll" => 1,
            "session.logon" or "session.status" or "session.logout" => 2,
            "userDataStream.subscribe" or "userDataStream.subscribe.signature" or "userDataStream.unsubscribe" => 2,
            _ => 1,
        };
    }

    private void CountOrderReject(string method)
    {
        if (method == "order.place")
        {
            Interlocked.Increment(ref _shared.Statistics.OrdersRejectedCount);
        }
    }

    /// <summary>Spot (since 2026-04-02, §6.1): a successful order.place / order.cancel / openOrders.cancelAll costs 0 weight.</summary>
    private void RefundOnSuccess(in Call call)
    {
        if (_shared.Market == Market.Spot && call.Weight > 0)
        {
            _shared.Limiter.AddWeight(-call.Weight, call.NowMs);
        }
    }

    // ---- authentication ----------------------------------------------------------------------------------------

    private static bool TryString(JsonElement parameters, string name, out string value)
    {
        value = "";
        if (parameters.ValueKind != JsonValueKind.Object || !parameters.TryGetProperty(name, out var element) || element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined)
        {
            return false;
        }

        value = RequestSignatureVerifier.ValueText(element);
        return value.Length > 0;
    }

    /// <summary>Authenticates a SIGNED request (§5.5–§5.7): an explicit apiKey + signature wins over the session's key; timestamp always.</summary>
    private ExchangeError? Authenticate(in Call call, bool requireSignature, out SimulatorApiKey? key)
    {
        key = null;
        var hasKey = TryString(call.Parameters, "apiKey", out var apiKey);
        var hasSignature = TryString(call.Parameters, "signature", out var signature);
        if (!hasSignature && !requireSignature && _sessionKey is not null && (!hasKey || apiKey == _sessionKey.ApiKey))
        {
            key = _sessionKey;
            return CheckTimestamp(call);
        }

        if (!hasKey)
        {
            return Missing("apiKey");
        }

        if (!_shared.Keys.TryGetValue(apiKey, out var known))
        {
            Interlocked.Increment(ref _shared.Statistics.UnknownApiKeyCount);
            return new ExchangeError(401, -2015, "Invalid API-key, IP, or permissions for action.");
        }

        if (!hasSignature)
        {
            return Missing("signature");
        }

        if (CheckTimestamp(call) is { } timestampError)
        {
            return timestampError;
        }

        if (!RequestSignatureVerifier.Verify(known, RequestSignatureVerifier.Payload(call.Parameters), signature))
        {
            Interlocked.Increment(ref _shared.Statistics.SignatureFailureCount);
            return new ExchangeError(400, -1022, "Signature for this request is not valid.");
        }

        key = known;
        return null;
    }

    /// <summary>§5.7: <c>timestamp &lt; serverTime + 1000 &amp;&amp; serverTime − timestamp ≤ recvWindow</c> (ms, or µs on spot; recvWindow default 5000, at most 60000, 3 decimals).</summary>
    private ExchangeError? CheckTimestamp(in Call call)
    {
        if (!TryString(call.Parameters, "timestamp", out var timestampText) || !long.TryParse(timestampText, NumberStyles.None, CultureInfo.InvariantCulture, out var timestamp))
        {
            return Missing("timestamp");
        }

        var timestampUs = timestamp >= 100_000_000_000_000 ? timestamp : timestamp * 1000;
        var recvWindowUs = 5_000_000L;
        if (TryString(call.Parameters, "recvWindow", out var windowText))
        {
            if (FixedPoint.TryParse(Encoding.ASCII.GetBytes(windowText), out var windowUnits) != FixedPointParseStatus.Ok || windowUnits <= 0)
            {
                return Missing("recvWindow");
            }

            if (windowUnits > 60_000 * FixedPoint.Scale)
            {
                return new ExchangeError(400, -1131, "recvWindow must be less than 60000");
            }

            recvWindowUs = windowUnits / (FixedPoint.Scale / 1000);
        }

        var serverUs = call.NowMs * 1000;
        if (timestampUs >= serverUs + 1_000_000)
        {
            Interlocked.Increment(ref _shared.Statistics.TimestampRejectCount);
            return new ExchangeError(400, -1021, "Timestamp for this request was 1000ms ahead of the server's time.");
        }

        if (serverUs - timestampUs > recvWindowUs)
        {
            Interlocked.Increment(ref _shared.Statistics.TimestampRejectCount);
            return new ExchangeError(400, -1021, "Timestamp for this request is outside of the recvWindow.");
        }

        return null;
    }

    private void Logon(in Call call)
    {
        if (Authenticate(call, requireSignature: true, out var key) is { } error)
        {
            Fail(call, error);
            return;
        }

        if (key!.KeyType != ApiKeyType.Ed25519)
        {
            // Only Ed25519 keys may log on (§5.5); Binance's exact code for another key type is not documented here.
            Fail(call, new ExchangeError(401, -2015, "Invalid API-key, IP, or permissions for action."));
            return;
        }

        _sessionKey = key;
        _authorizedSinceMs = call.NowMs;
        Interlocked.Increment(ref _shared.Statistics.LogonCount);
        Reply(call, WriteSessionStatus);
    }

    private void WriteSessionStatus(Utf8JsonWriter w)
    {
        var now = SimulatedExchange.NowMs();
        w.WriteStartObject();
        if (_sessionKey is null)
        {
            w.WriteNull("apiKey");
            w.WriteNull("authorizedSince");
        }
        else
        {
            w.WriteString("apiKey", _sessionKey.ApiKey);
            w.WriteNumber("authorizedSince", _authorizedSinceMs);
        }

        w.WriteNumber("connectedSince", _connectedMs);
        w.WriteBoolean("returnRateLimits", _returnRateLimits);
        w.WriteNumber("serverTime", now);
        if (_shared.Market == Market.Spot)
        {
            w.WriteBoolean("userDataStream", _subscriptionId >= 0);
        }

        w.WriteEndObject();
    }

    // ---- user data -----------------------------------------------------------------------------------------------

    private void SubscribeUserData(in Call call, bool needsLogon)
    {
        if (needsLogon && _sessionKey is null)
        {
            Fail(call, new ExchangeError(401, -2015, "Invalid API-key, IP, or permissions for action."));
            return;
        }

        if (!needsLogon && Authenticate(call, requireSignature: true, out _) is { } error)
        {
            Fail(call, error);
            return;
        }

        if (_subscriptionId >= 0)
        {
            Fail(call, new ExchangeError(400, -2035, "User Data Stream subscription already active."));
            return;
        }

        _subscriptionId = _nextSubscriptionId++;
        _shared.Exchange.Subscribe(this);
        var subscriptionId = _subscriptionId;
        Reply(call, w => { w.WriteStartObject(); w.WriteNumber("subscriptionId", subscriptionId); w.WriteEndObject(); });
    }

    private void StopSubscription()
    {
        if (_subscriptionId < 0)
        {
            return;
        }

        _shared.Exchange.Unsubscribe(this);
        var id = _subscriptionId;
        _subscriptionId = -1;
        Send(Encoding.ASCII.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"subscriptionId\":{id},\"event\":{{\"e\":\"eventStreamTerminated\",\"E\":{SimulatedExchange.NowMs()}}}}}")));
    }

    private void ListenKey(in Call call, string method)
    {
        var hasKey = TryString(call.Parameters, "apiKey", out var apiKey);
        if (!hasKey && _sessionKey is null)
        {
            Fail(call, Missing("apiKey"));
            return;
        }

        if (hasKey && !_shared.Keys.ContainsKey(apiKey))
        {
            Interlocked.Increment(ref _shared.Statistics.UnknownApiKeyCount);
            Fail(call, new ExchangeError(401, -2015, "Invalid API-key, IP, or permissions for action."));
            return;
        }

        var exchange = _shared.Exchange;
        switch (method)
        {
            case "userDataStream.start":
                var created = exchange.StartListenKey();
                Reply(call, w => { w.WriteStartObject(); w.WriteString("listenKey", created); w.WriteEndObject(); });
                return;
            case "userDataStream.ping":
                var key = TryString(call.Parameters, "listenKey", out var given) ? given : exchange.ActiveListenKey();
                if (key is null || !exchange.PingListenKey(key))
                {
                    Fail(call, new ExchangeError(400, -1125, "This listenKey does not exist."));
                    return;
                }

                Reply(call, w => { w.WriteStartObject(); w.WriteString("listenKey", key); w.WriteEndObject(); });
                return;
            default:
                var stopped = TryString(call.Parameters, "listenKey", out var named) ? named : exchange.ActiveListenKey();
                if (stopped is not null)
                {
                    exchange.StopListenKey(stopped);
                }

                Reply(call, w => EmptyObject(w));
                return;
        }
    }
}
