using System.Buffers.Text;
using System.Text.Json;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// One parsed WebSocket API frame (reused per receive thread): a response <c>{id, status, result | error, rateLimits}</c>
/// (binance.md §5.2, §6.3) and/or a user-data event (spot <c>{"subscriptionId":0,"event":{…}}</c> §7.1, USDⓈ-M
/// <c>{"e":"ORDER_TRADE_UPDATE",…,"o":{…}}</c> §7.2). Only the fields the venue uses are kept; decimals are 10⁻⁸ units.
/// </summary>
/// <remarks>Not thread-safe: one instance per receive thread. <see cref="Parse"/> is allocation-free (texts are copied
/// into fixed buffers, truncated at their size); malformed JSON sets <see cref="Malformed"/> instead of throwing.</remarks>
internal sealed class WsApiMessage
{
    public const int MaxRateLimits = 8;
    private const int TextCapacity = 64;

    public readonly RateLimitUsage[] RateLimits = new RateLimitUsage[MaxRateLimits];
    private readonly byte[] _symbol = new byte[TextCapacity];
    private readonly byte[] _clientOrderId = new byte[TextCapacity];
    private readonly byte[] _origClientOrderId = new byte[TextCapacity];
    private readonly byte[] _commissionAsset = new byte[TextCapacity];
    private readonly byte[] _listenKey = new byte[128];
    private readonly byte[] _errorMessage = new byte[160];
    private readonly byte[] _eventType = new byte[TextCapacity];
    private readonly byte[] _status = new byte[24];
    private readonly byte[] _executionType = new byte[24];
    private readonly byte[] _reason = new byte[48];
    private readonly byte[] _side = new byte[8];
    private readonly byte[] _orderType = new byte[24];
    private readonly byte[] _timeInForce = new byte[8];
    private int _symbolLength;
    private int _clientOrderIdLength;
    private int _origClientOrderIdLength;
    private int _commissionAssetLength;
    private int _listenKeyLength;
    private int _errorMessageLength;
    private int _eventTypeLength;
    private int _statusLength;
    private int _executionTypeLength;
    private int _reasonLength;
    private int _sideLength;
    private int _orderTypeLength;
    private int _timeInForceLength;

    public bool Malformed;
    public bool HasId;
    public long Id;
    public int Status;
    public bool HasResult;
    public bool HasError;
    public int ErrorCode;
    public long RetryAfterMs;
    public int RateLimitCount;
    public bool IsEvent;
    public long EventTimeMs;
    public long TransactionTimeMs;
    public long ServerTimeMs;
    public long Price;
    public long Quantity;
    public long LastPrice;
    public long LastQuantity;
    public long CumulativeQuantity;
    public long CumulativeQuote;
    public long AveragePrice;
    public long Commission;
    public long TradeId;
    public bool IsMaker;

    public ReadOnlySpan<byte> Symbol => _symbol.AsSpan(0, _symbolLength);

    public ReadOnlySpan<byte> ClientOrderId => _clientOrderId.AsSpan(0, _clientOrderIdLength);

    public ReadOnlySpan<byte> OrigClientOrderId => _origClientOrderId.AsSpan(0, _origClientOrderIdLength);

    public ReadOnlySpan<byte> CommissionAsset => _commissionAsset.AsSpan(0, _commissionAssetLength);

    public ReadOnlySpan<byte> ListenKey => _listenKey.AsSpan(0, _listenKeyLength);

    public ReadOnlySpan<byte> ErrorMessage => _errorMessage.AsSpan(0, _errorMessageLength);

    public ReadOnlySpan<byte> EventType => _eventType.AsSpan(0, _eventTypeLength);

    /// <summary>Order status text (<c>X</c> of an event, <c>status</c> of a result).</summary>
    public ReadOnlySpan<byte> OrderStatusText => _status.AsSpan(0, _statusLength);

    public ReadOnlySpan<byte> ExecutionType => _executionType.AsSpan(0, _executionTypeLength);

    /// <summary>Reject reason <c>r</c>, or expiry reason <c>eR</c>/<c>er</c> when present.</summary>
    public ReadOnlySpan<byte> Reason => _reason.AsSpan(0, _reasonLength);

    public ReadOnlySpan<byte> Side => _side.AsSpan(0, _sideLength);

    public ReadOnlySpan<byte> OrderType => _orderType.AsSpan(0, _orderTypeLength);

    public ReadOnlySpan<byte> TimeInForce => _timeInForce.AsSpan(0, _timeInForceLength);

    /// <summary>Parses <paramref name="frame"/> into this instance (every field reset first).</summary>
    /// <param name="frame">One complete text frame.</param>
    public void Parse(ReadOnlySpan<byte> frame)
    {
        Reset();
        try
        {
            var reader = new Utf8JsonReader(frame, new JsonReaderOptions { MaxDepth = 16 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                Malformed = true;
                return;
            }

            ParseTop(ref reader);
        }
        catch (JsonException)
        {
            Malformed = true;
        }
    }

    private void Reset()
    {
        Malformed = HasId = HasResult = HasError = IsEvent = IsMaker = false;
        Id = EventTimeMs = TransactionTimeMs = ServerTimeMs = RetryAfterMs = 0;
        Price = Quantity = LastPrice = LastQuantity = CumulativeQuantity = CumulativeQuote = AveragePrice = Commission = 0;
        TradeId = -1;
        Status = ErrorCode = RateLimitCount = 0;
        _symbolLength = _clientOrderIdLength = _origClientOrderIdLength = _commissionAssetLength = _listenKeyLength = 0;
        _errorMessageLength = _eventTypeLength = _statusLength = _executionTypeLength = _reasonLength = 0;
        _sideLength = _orderTypeLength = _timeInForceLength = 0;
    }

    private void ParseTop(ref Utf8JsonReader reader)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("id"u8))
            {
                reader.Read();
                HasId = reader.TokenType == JsonTokenType.Number ? reader.TryGetInt64(out Id)
                    : reader.TokenType == JsonTokenType.String && Utf8Parser.TryParse(reader.ValueSpan, out Id, out _);
            }
            else if (reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                Status = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var s) ? s : 0;
            }
            else if (reader.ValueTextEquals("result"u8))
            {
                reader.Read();
                HasResult = true;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ParseFields(ref reader, isEvent: false);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("error"u8))
            {
                reader.Read();
                HasError = true;
                ParseError(ref reader);
            }
            else if (reader.ValueTextEquals("rateLimits"u8))
            {
                reader.Read();
                ParseRateLimits(ref reader);
            }
            else if (reader.ValueTextEquals("event"u8))
            {
                reader.Read();
                IsEvent = true;
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    ParseFields(ref reader, isEvent: true);
                }
                else
                {
                    reader.Skip();
                }
            }
            else if (reader.ValueTextEquals("subscriptionId"u8))
            {
                reader.Read();
                reader.Skip();
            }
            else
            {
                // A raw event (the USDⓈ-M /private stream): its fields are at the top level.
                IsEvent = true;
                EventField(ref reader);
            }
        }
    }

    private void ParseError(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("code"u8))
            {
                reader.Read();
                ErrorCode = reader.TokenType == JsonTokenType.Number && reader.TryGetInt32(out var c) ? c : 0;
            }
            else if (reader.ValueTextEquals("msg"u8))
            {
                reader.Read();
                _errorMessageLength = CopyText(ref reader, _errorMessage);
            }
            else if (reader.ValueTextEquals("data"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.StartObject)
                {
                    reader.Skip();
                    continue;
                }

                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var isRetry = reader.ValueTextEquals("retryAfter"u8);
                    reader.Read();
                    if (isRetry)
                    {
                        RetryAfterMs = ReadInteger(ref reader);
                    }
                    else
                    {
                        reader.Skip();
                    }
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
    }

    private void ParseRateLimits(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
        {
            var usage = default(RateLimitUsage);
            long intervalNum = 1;
            long intervalUnitMs = 0;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("rateLimitType"u8))
                {
                    reader.Read();
                    usage.IsOrders = reader.ValueTextEquals("ORDERS"u8);
                    usage.IsKnown = usage.IsOrders || reader.ValueTextEquals("REQUEST_WEIGHT"u8);
                }
                else if (reader.ValueTextEquals("interval"u8))
                {
                    reader.Read();
                    intervalUnitMs = reader.ValueTextEquals("SECOND"u8) ? 1_000
                        : reader.ValueTextEquals("MINUTE"u8) ? 60_000
                        : reader.ValueTextEquals("HOUR"u8) ? 3_600_000
                        : reader.ValueTextEquals("DAY"u8) ? 86_400_000 : 0;
                }
                else if (reader.ValueTextEquals("intervalNum"u8))
                {
                    reader.Read();
                    intervalNum = ReadInteger(ref reader);
                }
                else if (reader.ValueTextEquals("count"u8))
                {
                    reader.Read();
                    usage.Count = ReadInteger(ref reader);
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            usage.IntervalMs = intervalNum * intervalUnitMs;
            if (RateLimitCount < MaxRateLimits && usage.IsKnown && usage.IntervalMs > 0)
            {
                RateLimits[RateLimitCount++] = usage;
            }
        }
    }

    /// <summary>Reads the properties of the object the reader is at (its StartObject already read) into the fields.</summary>
    private void ParseFields(ref Utf8JsonReader reader, bool isEvent)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (isEvent)
            {
                EventField(ref reader);
            }
            else
            {
                ResultField(ref reader);
            }
        }
    }

    private void ResultField(ref Utf8JsonReader reader)
    {
        var name = reader.ValueSpan;
        reader.Read();
        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        switch (name)
        {
            case var n when n.SequenceEqual("serverTime"u8):
                ServerTimeMs = ReadInteger(ref reader);
                break;
            case var n when n.SequenceEqual("listenKey"u8):
                _listenKeyLength = CopyText(ref reader, _listenKey);
                break;
            case var n when n.SequenceEqual("symbol"u8):
                _symbolLength = CopyText(ref reader, _symbol);
                break;
            case var n when n.SequenceEqual("clientOrderId"u8):
                _clientOrderIdLength = CopyText(ref reader, _clientOrderId);
                break;
            case var n when n.SequenceEqual("origClientOrderId"u8):
                _origClientOrderIdLength = CopyText(ref reader, _origClientOrderId);
                break;
            case var n when n.SequenceEqual("status"u8):
                _statusLength = CopyText(ref reader, _status);
                break;
            case var n when n.SequenceEqual("side"u8):
                _sideLength = CopyText(ref reader, _side);
                break;
            case var n when n.SequenceEqual("type"u8):
                _orderTypeLength = CopyText(ref reader, _orderType);
                break;
            case var n when n.SequenceEqual("timeInForce"u8):
                _timeInForceLength = CopyText(ref reader, _timeInForce);
                break;
            case var n when n.SequenceEqual("price"u8):
                Price = ReadDecimal(ref reader);
                break;
            case var n when n.SequenceEqual("origQty"u8):
                Quantity = ReadDecimal(ref reader);
                break;
            case var n when n.SequenceEqual("executedQty"u8):
                CumulativeQuantity = ReadDecimal(ref reader);
                break;
            case var n when n.SequenceEqual("cummulativeQuoteQty"u8) || n.SequenceEqual("cumQuote"u8):
                CumulativeQuote = ReadDecimal(ref reader);
                break;
            case var n when n.SequenceEqual("avgPrice"u8):
                AveragePrice = ReadDecimal(ref reader);
                break;
            case var n when n.SequenceEqual("updateTime"u8) || n.SequenceEqual("transactTime"u8):
                TransactionTimeMs = Math.Max(TransactionTimeMs, ReadInteger(ref reader));
                break;
            default:
                break;
        }
    }

    private void EventField(ref Utf8JsonReader reader)
    {
        var name = reader.ValueSpan;
        reader.Read();
        if (reader.TokenType == JsonTokenType.StartObject && name.SequenceEqual("o"u8))
        {
            // USDⓈ-M ORDER_TRADE_UPDATE: the order's fields are in "o".
            ParseFields(ref reader, isEvent: true);
            return;
        }

        if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
        {
            reader.Skip();
            return;
        }

        if (name.Length == 1)
        {
            switch (name[0])
            {
                case (byte)'e': _eventTypeLength = CopyText(ref reader, _eventType); break;
                case (byte)'E': EventTimeMs = ReadInteger(ref reader); break;
                case (byte)'T': TransactionTimeMs = ReadInteger(ref reader); break;
                case (byte)'s': _symbolLength = CopyText(ref reader, _symbol); break;
                case (byte)'c': _clientOrderIdLength = CopyText(ref reader, _clientOrderId); break;
                case (byte)'C': _origClientOrderIdLength = CopyText(ref reader, _origClientOrderId); break;
                case (byte)'S': _sideLength = CopyText(ref reader, _side); break;
                case (byte)'o': _orderTypeLength = CopyText(ref reader, _orderType); break;
                case (byte)'f': _timeInForceLength = CopyText(ref reader, _timeInForce); break;
                case (byte)'q': Quantity = ReadDecimal(ref reader); break;
                case (byte)'p': Price = ReadDecimal(ref reader); break;
                case (byte)'x': _executionTypeLength = CopyText(ref reader, _executionType); break;
                case (byte)'X': _statusLength = CopyText(ref reader, _status); break;
                case (byte)'r': if (_reasonLength == 0) { _reasonLength = CopyText(ref reader, _reason); } break;
                case (byte)'l': LastQuantity = ReadDecimal(ref reader); break;
                case (byte)'z': CumulativeQuantity = ReadDecimal(ref reader); break;
                case (byte)'L': LastPrice = ReadDecimal(ref reader); break;
                case (byte)'n': Commission = ReadDecimal(ref reader); break;
                case (byte)'N': _commissionAssetLength = reader.TokenType == JsonTokenType.String ? CopyText(ref reader, _commissionAsset) : 0; break;
                case (byte)'t': TradeId = ReadInteger(ref reader); break;
                case (byte)'m': IsMaker = reader.TokenType == JsonTokenType.True; break;
                case (byte)'Z': CumulativeQuote = ReadDecimal(ref reader); break;
                default: break;
            }
        }
        else if (name.SequenceEqual("eR"u8) || name.SequenceEqual("er"u8))
        {
            // The expiry reason is more specific than the reject reason "NONE".
            _reasonLength = CopyText(ref reader, _reason);
        }
        else if (name.SequenceEqual("ap"u8))
        {
            AveragePrice = ReadDecimal(ref reader);
        }
    }

    private static int CopyText(ref Utf8JsonReader reader, byte[] destination)
    {
        if (reader.TokenType != JsonTokenType.String)
        {
            if (reader.TokenType == JsonTokenType.Number)
            {
                var raw = reader.ValueSpan;
                var n = Math.Min(raw.Length, destination.Length);
                raw[..n].CopyTo(destination);
                return n;
            }

            return 0;
        }

        if (!reader.ValueIsEscaped)
        {
            var span = reader.ValueSpan;
            var n = Math.Min(span.Length, destination.Length);
            span[..n].CopyTo(destination);
            return n;
        }

        Span<byte> scratch = stackalloc byte[512];
        if (reader.ValueSpan.Length > scratch.Length)
        {
            return 0;
        }

        var written = reader.CopyString(scratch);
        var count = Math.Min(written, destination.Length);
        scratch[..count].CopyTo(destination);
        return count;
    }

    private static long ReadInteger(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            return reader.TryGetInt64(out var v) ? v : 0;
        }

        return reader.TokenType == JsonTokenType.String && Utf8Parser.TryParse(reader.ValueSpan, out long s, out _) ? s : 0;
    }

    private static long ReadDecimal(ref Utf8JsonReader reader)
    {
        if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
        {
            return 0;
        }

        return FixedPoint.TryParse(reader.ValueSpan, out var v) == FixedPointParseStatus.Ok ? v : 0;
    }
}
