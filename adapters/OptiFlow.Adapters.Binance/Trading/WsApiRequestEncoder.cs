using System.Buffers.Text;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// Encodes signed Binance WebSocket API requests (binance.md §5.2 envelope) into one reused UTF-8 buffer:
/// <c>order.place</c>, <c>order.cancel</c>, <c>order.status</c>, <c>openOrders.cancelAll</c> (spot only) and
/// <c>session.logon</c>, for spot (<c>ws-api/v3</c>, §5.3) or USDⓈ-M futures (<c>ws-fapi/v1</c>, §5.4).
/// </summary>
/// <remarks>
/// <para>
/// Every request carries <c>apiKey</c>, <c>timestamp</c> (ms since the Unix epoch), <c>recvWindow</c> (ms, omitted when
/// 0; §5.7) and <c>signature</c>. The signed payload is every parameter except <c>signature</c>, sorted by name (ordinal),
/// as <c>k=v</c> joined by <c>&amp;</c>, values as raw UTF-8 (§5.6); the JSON <c>params</c> are written in the same
/// order with <c>signature</c> last (the order of <c>params</c> does not matter, §5.2). Prices and quantities are
/// exact decimals from 10⁻⁸ units (<see cref="FixedPoint.Format"/>) sent as JSON strings; <c>id</c>,
/// <c>timestamp</c> and <c>recvWindow</c> are JSON integers.
/// </para>
/// <para>
/// <c>newClientOrderId</c> / <c>origClientOrderId</c> is the session prefix followed by the engine's positive
/// client order id in decimal, e.g. <c>of7-42</c> (prefix <c>of7-</c>); it matches
/// <c>^[\.A-Z\:/a-z0-9_-]{1,36}$</c> (§5.4). Post-only: spot sends <c>type=LIMIT_MAKER</c>; futures has no
/// <c>LIMIT_MAKER</c> (§5.4 types are LIMIT and MARKET), so a <see cref="OrderType.LimitMaker"/> command is sent as
/// <c>LIMIT</c> with <c>timeInForce=GTX</c>. A <see cref="TimeInForce.GoodTillCrossing"/> command on spot is refused.
/// </para>
/// <para>
/// Allocation-free after construction (HMAC and Ed25519 signers are allocation-free too). Not thread-safe: one
/// encoder per gateway thread; the returned span is valid until the next Encode call. Invalid input (a command
/// that fails <see cref="OrderCommand.Validate"/>, a symbol with JSON-special bytes, an id that does not fit 36
/// characters, an unsupported method) throws <see cref="ArgumentException"/> or <see cref="NotSupportedException"/>
/// and allocates only on that path.
/// </para>
/// </remarks>
/// <example><code>
/// using var signer = credentials.CreateSigner();
/// var encoder = new WsApiRequestEncoder(Market.Spot, credentials.ApiKeyUtf8, signer, "of7-", recvWindowMs: 5000);
/// ReadOnlySpan&lt;byte&gt; frame = encoder.Encode(command, symbols.Utf8NameOf(command.SymbolId), requestId, nowMs);
/// // send frame as one WebSocket text frame
/// </code></example>
public sealed class WsApiRequestEncoder
{
    /// <summary>Longest client order id Binance accepts (§5.4).</summary>
    public const int MaxClientOrderIdLength = 36;

    /// <summary>Longest symbol name accepted, in UTF-8 bytes.</summary>
    public const int MaxSymbolLength = 64;

    /// <summary>Largest <c>recvWindow</c>, ms (§5.7).</summary>
    public const int MaxRecvWindowMs = 60_000;

    private const int FixedCapacity = 768;

    private readonly Market _market;
    private readonly byte[] _apiKey;
    private readonly IRequestSigner _signer;
    private readonly byte[] _prefix;
    private readonly int _recvWindowMs;
    private readonly byte[] _json;
    private readonly byte[] _payload;
    private int _jsonLength;
    private int _payloadLength;
    private bool _firstParam;
    private bool _unsigned;

    /// <summary>Creates an encoder and its buffers.</summary>
    /// <param name="market"><see cref="Market.Spot"/> or <see cref="Market.Futures"/> (USDⓈ-M).</param>
    /// <param name="apiKey">The API key as UTF-8 (<see cref="ApiCredentials.ApiKeyUtf8"/>); copied.</param>
    /// <param name="signer">The signer for the key; owned by the caller, used only on this encoder's thread.</param>
    /// <param name="clientOrderIdPrefix">Session prefix of client order ids: characters of <c>[.A-Z:/a-z0-9_-]</c>, at most 35.</param>
    /// <param name="recvWindowMs"><c>recvWindow</c> in ms, 0 to omit it (the venue then uses 5000); at most 60000.</param>
    /// <exception cref="ArgumentException">An argument is out of range.</exception>
    public WsApiRequestEncoder(Market market, ReadOnlySpan<byte> apiKey, IRequestSigner signer, string clientOrderIdPrefix, int recvWindowMs)
    {
        ArgumentNullException.ThrowIfNull(signer);
        ArgumentNullException.ThrowIfNull(clientOrderIdPrefix);
        if (market is not (Market.Spot or Market.Futures))
        {
            throw new ArgumentException("The market must be Spot or Futures.", nameof(market));
        }

        if (apiKey.IsEmpty || !IsJsonSafe(apiKey) || apiKey.IndexOfAny((byte)'&', (byte)'=') >= 0)
        {
            throw new ArgumentException("The API key is empty or has characters that need escaping.", nameof(apiKey));
        }

        if (clientOrderIdPrefix.Length >= MaxClientOrderIdLength)
        {
            throw new ArgumentException($"The client order id prefix is longer than {MaxClientOrderIdLength - 1} characters.", nameof(clientOrderIdPrefix));
        }

        foreach (var c in clientOrderIdPrefix)
        {
            if (!IsClientOrderIdChar(c))
            {
                throw new ArgumentException($"The client order id prefix has '{c}', outside [.A-Z:/a-z0-9_-].", nameof(clientOrderIdPrefix));
            }
        }

        ArgumentOutOfRangeException.ThrowIfNegative(recvWindowMs);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(recvWindowMs, MaxRecvWindowMs);
        _market = market;
        _apiKey = apiKey.ToArray();
        _signer = signer;
        _prefix = System.Text.Encoding.ASCII.GetBytes(clientOrderIdPrefix);
        _recvWindowMs = recvWindowMs;
        _payload = new byte[FixedCapacity + _apiKey.Length + MaxSymbolLength];
        _json = new byte[FixedCapacity + (2 * _apiKey.Length) + (2 * MaxSymbolLength) + signer.SignatureLength];
    }

    /// <summary>The market whose parameter set this encoder writes.</summary>
    public Market Market => _market;

    /// <summary>
    /// Whether the connection's session is authenticated with <c>session.logon</c> (binance.md §5.5): order, cancel, status
    /// and cancel-all requests then omit <c>apiKey</c> and <c>signature</c> (<c>timestamp</c> and <c>recvWindow</c> stay).
    /// <c>session.logon</c> and <c>userDataStream.subscribe.signature</c> are always signed. Default false.
    /// </summary>
    /// <remarks>Set on the encoder's thread; it applies from the next Encode call.
    /// <see cref="SignedPayload"/> still holds the parameters an unsigned request would have been signed over.</remarks>
    public bool SessionAuthenticated { get; set; }

    /// <summary>The last encoded request (one WebSocket text frame). Valid until the next Encode call.</summary>
    public ReadOnlySpan<byte> Request => _json.AsSpan(0, _jsonLength);

    /// <summary>The exact bytes the last request's signature covers (for journals and tests). Valid until the next Encode call.</summary>
    public ReadOnlySpan<byte> SignedPayload => _payload.AsSpan(0, _payloadLength);

    /// <summary>Encodes the request an order command asks for: New → <c>order.place</c>, Cancel → <c>order.cancel</c>, CancelAll → <c>openOrders.cancelAll</c>.</summary>
    /// <param name="command">The command; must pass <see cref="OrderCommand.Validate"/>.</param>
    /// <param name="symbol">The symbol's UTF-8 name (<see cref="SymbolTable.Utf8NameOf"/>).</param>
    /// <param name="requestId">The envelope <c>id</c>, echoed in the response.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes (also <see cref="Request"/>).</returns>
    /// <remarks>Allocation-free; not thread-safe. Throws as described on the class.</remarks>
    public ReadOnlySpan<byte> Encode(in OrderCommand command, ReadOnlySpan<byte> symbol, long requestId, long timestampMs) =>
        command.Action switch
        {
            OrderAction.New => EncodeOrderPlace(command, symbol, requestId, timestampMs),
            OrderAction.Cancel => EncodeOrderCancel(command, symbol, requestId, timestampMs),
            OrderAction.CancelAll => EncodeCancelAll(symbol, requestId, timestampMs),
            _ => throw Invalid(command.Validate()),
        };

    /// <summary>Encodes <c>order.place</c> for a New command (§5.3 spot, §5.4 USDⓈ-M).</summary>
    /// <param name="command">A New command passing <see cref="OrderCommand.Validate"/>.</param>
    /// <param name="symbol">The symbol's UTF-8 name.</param>
    /// <param name="requestId">The envelope <c>id</c>.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes.</returns>
    /// <remarks>Allocation-free; not thread-safe. Parameters (sorted): apiKey, newClientOrderId, price (limit types),
    /// quantity, recvWindow, side, symbol, timeInForce (LIMIT, and futures post-only), timestamp, type.</remarks>
    public ReadOnlySpan<byte> EncodeOrderPlace(in OrderCommand command, ReadOnlySpan<byte> symbol, long requestId, long timestampMs)
    {
        var fault = command.Validate();
        if (fault != OrderCommandFault.None || command.Action != OrderAction.New)
        {
            throw Invalid(fault);
        }

        ThrowIfBadSymbol(symbol);
        ReadOnlySpan<byte> type;
        ReadOnlySpan<byte> timeInForce;
        switch (command.Type)
        {
            case OrderType.Limit:
                type = "LIMIT"u8;
                timeInForce = TimeInForceText(command.TimeInForce);
                break;
            case OrderType.LimitMaker when _market == Market.Spot:
                type = "LIMIT_MAKER"u8;
                timeInForce = default;
                break;
            case OrderType.LimitMaker:
                type = "LIMIT"u8;
                timeInForce = "GTX"u8;
                break;
            default:
                type = "MARKET"u8;
                timeInForce = default;
                break;
        }

        Begin("order.place"u8, requestId);
        ApiKeyParam();
        ClientOrderIdParam("newClientOrderId"u8, command.ClientOrderId);
        if (command.Type != OrderType.Market)
        {
            DecimalParam("price"u8, command.Price);
        }

        DecimalParam("quantity"u8, command.Quantity);
        RecvWindowParam();
        StringParam("side"u8, command.Side == OrderSide.Buy ? "BUY"u8 : "SELL"u8);
        StringParam("symbol"u8, symbol);
        if (!timeInForce.IsEmpty)
        {
            StringParam("timeInForce"u8, timeInForce);
        }

        IntegerParam("timestamp"u8, timestampMs);
        StringParam("type"u8, type);
        return End();
    }

    /// <summary>Encodes <c>order.cancel</c> by client order id (<c>origClientOrderId</c>) for a Cancel command (§5.3, §5.4).</summary>
    /// <param name="command">A Cancel command passing <see cref="OrderCommand.Validate"/>.</param>
    /// <param name="symbol">The symbol's UTF-8 name.</param>
    /// <param name="requestId">The envelope <c>id</c>.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes.</returns>
    /// <remarks>Allocation-free; not thread-safe. Parameters: apiKey, origClientOrderId, recvWindow, symbol, timestamp.
    /// The cancel's own client order id is not sent (futures has no such parameter; spot would generate one).</remarks>
    public ReadOnlySpan<byte> EncodeOrderCancel(in OrderCommand command, ReadOnlySpan<byte> symbol, long requestId, long timestampMs)
    {
        var fault = command.Validate();
        if (fault != OrderCommandFault.None || command.Action != OrderAction.Cancel)
        {
            throw Invalid(fault);
        }

        return EncodeByClientOrderId("order.cancel"u8, symbol, command.OriginalClientOrderId, requestId, timestampMs);
    }

    /// <summary>Encodes <c>order.status</c> by client order id (§5.3, §5.4).</summary>
    /// <param name="symbol">The symbol's UTF-8 name.</param>
    /// <param name="clientOrderId">The engine's client order id of the order, positive.</param>
    /// <param name="requestId">The envelope <c>id</c>.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes.</returns>
    /// <remarks>Allocation-free; not thread-safe. Parameters: apiKey, origClientOrderId, recvWindow, symbol, timestamp.</remarks>
    public ReadOnlySpan<byte> EncodeOrderStatus(ReadOnlySpan<byte> symbol, long clientOrderId, long requestId, long timestampMs) =>
        EncodeByClientOrderId("order.status"u8, symbol, clientOrderId, requestId, timestampMs);

    /// <summary>Encodes spot <c>openOrders.cancelAll</c> for one symbol (§5.3).</summary>
    /// <param name="symbol">The symbol's UTF-8 name.</param>
    /// <param name="requestId">The envelope <c>id</c>.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes.</returns>
    /// <remarks>Allocation-free; not thread-safe. Parameters: apiKey, recvWindow, symbol, timestamp.
    /// USDⓈ-M throws <see cref="NotSupportedException"/>: binance.md §5.4 documents no WebSocket API cancel-all for futures
    /// (the REST <c>DELETE /fapi/v1/allOpenOrders</c> is outside this encoder).</remarks>
    public ReadOnlySpan<byte> EncodeCancelAll(ReadOnlySpan<byte> symbol, long requestId, long timestampMs)
    {
        if (_market != Market.Spot)
        {
            throw new NotSupportedException("USDⓈ-M futures has no documented WebSocket API cancel-all (binance.md §5.4); use REST DELETE /fapi/v1/allOpenOrders.");
        }

        ThrowIfBadSymbol(symbol);
        Begin("openOrders.cancelAll"u8, requestId);
        ApiKeyParam();
        RecvWindowParam();
        StringParam("symbol"u8, symbol);
        IntegerParam("timestamp"u8, timestampMs);
        return End();
    }

    /// <summary>Encodes <c>session.logon</c> (§5.5): apiKey, recvWindow, timestamp, signed. Binance accepts only Ed25519 keys here.</summary>
    /// <param name="requestId">The envelope <c>id</c>.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes.</returns>
    /// <remarks>Allocation-free; not thread-safe. The encoder does not check the signer's key type (the venue does).</remarks>
    public ReadOnlySpan<byte> EncodeSessionLogon(long requestId, long timestampMs) =>
        EncodeKeyAndTime("session.logon"u8, requestId, timestampMs);

    /// <summary>
    /// Encodes spot <c>userDataStream.subscribe.signature</c> (§7.1): apiKey, recvWindow, timestamp, signed; the user-data
    /// subscription for a session without <c>session.logon</c> (any key type: HMAC, RSA or Ed25519).
    /// </summary>
    /// <param name="requestId">The envelope <c>id</c>.</param>
    /// <param name="timestampMs">The <c>timestamp</c>, ms since the Unix epoch.</param>
    /// <returns>The request bytes.</returns>
    /// <remarks>Allocation-free; not thread-safe. USDⓈ-M throws <see cref="NotSupportedException"/> (futures user data
    /// uses a listenKey, §7.2).</remarks>
    public ReadOnlySpan<byte> EncodeUserDataSubscribeSignature(long requestId, long timestampMs)
    {
        if (_market != Market.Spot)
        {
            throw new NotSupportedException("USDⓈ-M user data uses a listenKey on /private (binance.md §7.2), not userDataStream.subscribe.signature.");
        }

        return EncodeKeyAndTime("userDataStream.subscribe.signature"u8, requestId, timestampMs);
    }

    private ReadOnlySpan<byte> EncodeKeyAndTime(ReadOnlySpan<byte> method, long requestId, long timestampMs)
    {
        Begin(method, requestId);
        _unsigned = false;
        ApiKeyParam();
        RecvWindowParam();
        IntegerParam("timestamp"u8, timestampMs);
        return End();
    }

    /// <summary>Writes the client order id text for an engine id: the session prefix and the id in decimal.</summary>
    /// <param name="clientOrderId">The engine's client order id, positive.</param>
    /// <param name="destination">At least <see cref="MaxClientOrderIdLength"/> bytes.</param>
    /// <returns>The number of ASCII bytes written.</returns>
    /// <exception cref="ArgumentException">The id is not positive, or prefix + id exceed 36 characters.</exception>
    /// <remarks>Allocation-free; thread-safe.</remarks>
    public int FormatClientOrderId(long clientOrderId, Span<byte> destination)
    {
        if (clientOrderId <= 0)
        {
            throw new ArgumentException("Client order ids are positive.", nameof(clientOrderId));
        }

        Span<byte> digits = stackalloc byte[20];
        Utf8Formatter.TryFormat(clientOrderId, digits, out var count);
        var length = _prefix.Length + count;
        if (length > MaxClientOrderIdLength || destination.Length < length)
        {
            throw new ArgumentException($"The client order id {clientOrderId} with the session prefix is longer than {MaxClientOrderIdLength} characters or the destination.", nameof(clientOrderId));
        }

        _prefix.CopyTo(destination);
        digits[..count].CopyTo(destination[_prefix.Length..]);
        return length;
    }

    private ReadOnlySpan<byte> EncodeByClientOrderId(ReadOnlySpan<byte> method, ReadOnlySpan<byte> symbol, long clientOrderId, long requestId, long timestampMs)
    {
        ThrowIfBadSymbol(symbol);
        Begin(method, requestId);
        ApiKeyParam();
        ClientOrderIdParam("origClientOrderId"u8, clientOrderId);
        RecvWindowParam();
        StringParam("symbol"u8, symbol);
        IntegerParam("timestamp"u8, timestampMs);
        return End();
    }

    private void Begin(ReadOnlySpan<byte> method, long requestId)
    {
        _jsonLength = 0;
        _payloadLength = 0;
        _firstParam = true;
        _unsigned = SessionAuthenticated;
        Json("{\"id\":"u8);
        Utf8Formatter.TryFormat(requestId, _json.AsSpan(_jsonLength), out var written);
        _jsonLength += written;
        Json(",\"method\":\""u8);
        Json(method);
        Json("\",\"params\":{"u8);
    }

    private ReadOnlySpan<byte> End()
    {
        if (_unsigned)
        {
            Json("}}"u8);
            return Request;
        }

        Json(",\"signature\":\""u8);
        _jsonLength += _signer.Sign(SignedPayload, _json.AsSpan(_jsonLength));
        Json("\"}}"u8);
        return Request;
    }

    private void ApiKeyParam()
    {
        if (!_unsigned)
        {
            StringParam("apiKey"u8, _apiKey);
        }
    }

    private void RecvWindowParam()
    {
        if (_recvWindowMs > 0)
        {
            IntegerParam("recvWindow"u8, _recvWindowMs);
        }
    }

    private void StringParam(ReadOnlySpan<byte> name, ReadOnlySpan<byte> value)
    {
        Name(name);
        Json("\""u8);
        Json(value);
        Json("\""u8);
        Payload(value);
    }

    private void IntegerParam(ReadOnlySpan<byte> name, long value)
    {
        Name(name);
        Utf8Formatter.TryFormat(value, _json.AsSpan(_jsonLength), out var written);
        Payload(_json.AsSpan(_jsonLength, written));
        _jsonLength += written;
    }

    private void DecimalParam(ReadOnlySpan<byte> name, long units)
    {
        Span<byte> text = stackalloc byte[FixedPoint.MaxFormattedLength];
        var length = FixedPoint.Format(units, text);
        StringParam(name, text[..length]);
    }

    private void ClientOrderIdParam(ReadOnlySpan<byte> name, long clientOrderId)
    {
        Span<byte> text = stackalloc byte[MaxClientOrderIdLength];
        var length = FormatClientOrderId(clientOrderId, text);
        StringParam(name, text[..length]);
    }

    private void Name(ReadOnlySpan<byte> name)
    {
        if (_firstParam)
        {
            _firstParam = false;
        }
        else
        {
            Json(","u8);
            _payload[_payloadLength++] = (byte)'&';
        }

        Json("\""u8);
        Json(name);
        Json("\":"u8);
        Payload(name);
        _payload[_payloadLength++] = (byte)'=';
    }

    private void Json(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_json.AsSpan(_jsonLength));
        _jsonLength += bytes.Length;
    }

    private void Payload(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(_payload.AsSpan(_payloadLength));
        _payloadLength += bytes.Length;
    }

    private ReadOnlySpan<byte> TimeInForceText(TimeInForce timeInForce)
    {
        switch (timeInForce)
        {
            case TimeInForce.GoodTillCancelled:
                return "GTC"u8;
            case TimeInForce.ImmediateOrCancel:
                return "IOC"u8;
            case TimeInForce.FillOrKill:
                return "FOK"u8;
            case TimeInForce.GoodTillCrossing when _market == Market.Futures:
                return "GTX"u8;
            case TimeInForce.GoodTillCrossing:
                throw new NotSupportedException("Spot has no GTX; spot post-only is OrderType.LimitMaker (binance.md §5.3).");
            default:
                throw Invalid(OrderCommandFault.InvalidTimeInForce);
        }
    }

    private static void ThrowIfBadSymbol(ReadOnlySpan<byte> symbol)
    {
        if (symbol.IsEmpty || symbol.Length > MaxSymbolLength || !IsJsonSafe(symbol) || symbol.IndexOfAny((byte)'&', (byte)'=') >= 0)
        {
            throw new ArgumentException("The symbol is empty, longer than 64 bytes, or has bytes that need escaping.", nameof(symbol));
        }
    }

    private static bool IsJsonSafe(ReadOnlySpan<byte> utf8)
    {
        foreach (var b in utf8)
        {
            if (b < 0x20 || b == (byte)'"' || b == (byte)'\\')
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsClientOrderIdChar(char c) =>
        c is (>= 'A' and <= 'Z') or (>= 'a' and <= 'z') or (>= '0' and <= '9') or '.' or ':' or '/' or '_' or '-';

    private static ArgumentException Invalid(OrderCommandFault fault) =>
        new($"The order command does not fit this request: {fault}.");
}
