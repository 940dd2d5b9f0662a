using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <content>Second phase: once the whole frame is known to be well-formed, decide its kind and convert the recorded tokens.</content>
public sealed partial class BinanceFrameDecoder
{
    private FrameOutcome Complete(ReadOnlySpan<byte> json, ref MarketEvent slot, DepthLevelBuffer levels, int symbolHint)
    {
        var kind = Classify(json);
        if (kind == MarketEventKind.DecodeError)
        {
            return FrameOutcome.Error;
        }

        var ok = kind switch
        {
            MarketEventKind.None => true,
            MarketEventKind.BookTicker => CompleteBookTicker(json, ref slot),
            MarketEventKind.Trade => CompleteTrade(json, ref slot),
            MarketEventKind.AggTrade => CompleteAggTrade(json, ref slot),
            MarketEventKind.MarkPrice => CompleteMarkPrice(json, ref slot),
            MarketEventKind.DepthLevel => CompleteDepth(json, ref slot, levels),
            _ => CompleteSnapshot(json, ref slot, levels, symbolHint),
        };

        if (!ok)
        {
            return FrameOutcome.Error;
        }

        if (kind == MarketEventKind.None)
        {
            return FrameOutcome.Ignored;
        }

        // The fields are well-formed: now the frame must be on its own stream, and its values possible.
        if (kind != MarketEventKind.SnapshotLevel && !CheckStreamSymbol(json, slot.SymbolId))
        {
            return FrameOutcome.Error;
        }

        var valuesOk = kind switch
        {
            MarketEventKind.BookTicker => CheckBookTickerSide(slot.BidPrice, slot.BidQuantity, Field.BidLevels, Field.BidQuantity)
                && CheckBookTickerSide(slot.AskPrice, slot.AskQuantity, Field.AskLevels, Field.AskQuantity),
            MarketEventKind.Trade or MarketEventKind.AggTrade => CheckTradeValues(slot.Price, slot.Quantity),
            MarketEventKind.DepthLevel => CheckLevelValues(zeroQuantityAllowed: true),
            MarketEventKind.SnapshotLevel => CheckLevelValues(zeroQuantityAllowed: false),
            _ => true, // markPriceUpdate: the funding rate is signed and the settle price may be 0; not checked
        };
        if (!valuesOk)
        {
            return FrameOutcome.Error;
        }

        slot.Kind = kind;
        if (kind is MarketEventKind.DepthLevel or MarketEventKind.SnapshotLevel)
        {
            return FrameOutcome.Levels;
        }

        levels.Clear();
        slot.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
        return FrameOutcome.Event;
    }

    /// <summary>The kind of the frame, <see cref="MarketEventKind.None"/> to ignore it, <see cref="MarketEventKind.DecodeError"/> on error.</summary>
    private MarketEventKind Classify(ReadOnlySpan<byte> json)
    {
        if (Has(Field.EventType))
        {
            ref var e = ref _tokens[Field.EventType];
            if (e.Type != TokenType.String)
            {
                SetError(DecodeErrorCode.WrongType, e.Offset);
                return MarketEventKind.DecodeError;
            }

            Span<byte> scratch = stackalloc byte[32];
            var name = Unescaped(json.Slice(e.Start, e.Length), scratch);
            var kind = name.Length switch
            {
                11 when name.SequenceEqual("depthUpdate"u8) => MarketEventKind.DepthLevel,
                10 when name.SequenceEqual("bookTicker"u8) => MarketEventKind.BookTicker,
                5 when name.SequenceEqual("trade"u8) => MarketEventKind.Trade,
                8 when name.SequenceEqual("aggTrade"u8) => MarketEventKind.AggTrade,
                15 when name.SequenceEqual("markPriceUpdate"u8) => MarketEventKind.MarkPrice,
                _ => MarketEventKind.DecodeError,
            };
            if (kind != MarketEventKind.DecodeError)
            {
                return kind;
            }

            if (IsKnownSkippedEvent(name))
            {
                return MarketEventKind.None;
            }

            SetError(DecodeErrorCode.UnknownEventType, e.Offset);
            return MarketEventKind.DecodeError;
        }

        if (!_wrapped && Has(Field.LastUpdateId))
        {
            return MarketEventKind.SnapshotLevel;
        }

        if (Has(Field.Stream))
        {
            ref var stream = ref _tokens[Field.Stream];
            Span<byte> scratch = stackalloc byte[128];
            if (stream.Type == TokenType.String && Unescaped(json.Slice(stream.Start, stream.Length), scratch).EndsWith("@bookTicker"u8))
            {
                return MarketEventKind.BookTicker;
            }
        }

        const uint bookTickerFields = (1u << Field.BidLevels) | (1u << Field.BidQuantity) | (1u << Field.AskLevels) | (1u << Field.AskQuantity);
        return (_present & bookTickerFields) == bookTickerFields ? MarketEventKind.BookTicker : MarketEventKind.None;
    }

    /// <summary>
    /// Whether the wrapper's stream name agrees with the payload's symbol (<see cref="DecodeErrorCode.StreamSymbolMismatch"/>
    /// otherwise, at the payload symbol's offset): compared only for a combined-stream frame whose top-level
    /// <c>stream</c> is a string naming a symbol (see <see cref="StreamNamesSymbol"/>).
    /// </summary>
    private bool CheckStreamSymbol(ReadOnlySpan<byte> json, int symbolId)
    {
        if (!_wrapped || !_streamAtTop || !Has(Field.Stream) || _tokens[Field.Stream].Type != TokenType.String)
        {
            return true;
        }

        ref var stream = ref _tokens[Field.Stream];
        var raw = json.Slice(stream.Start, stream.Length);
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return StreamNamesSymbol(raw, symbolId) || SetError(DecodeErrorCode.StreamSymbolMismatch, _tokens[Field.Symbol].Offset);
        }

        return CheckEscapedStreamSymbol(raw, symbolId);
    }

    /// <summary>Cold: a stream name with escapes, unescaped whole (it may be long: a pooled buffer) and then compared.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool CheckEscapedStreamSymbol(ReadOnlySpan<byte> raw, int symbolId)
    {
        // Unescaping never lengthens: raw.Length bytes always hold the result (the scanner validated every escape).
        var rented = System.Buffers.ArrayPool<byte>.Shared.Rent(raw.Length);
        try
        {
            var length = JsonEscapes.Unescape(raw, rented);
            var names = length >= 0 && StreamNamesSymbol(rented.AsSpan(0, length), symbolId);
            return names || SetError(DecodeErrorCode.StreamSymbolMismatch, _tokens[Field.Symbol].Offset);
        }
        finally
        {
            System.Buffers.ArrayPool<byte>.Shared.Return(rented);
        }
    }

    /// <summary>
    /// The stream-name rule (<see cref="DecodeErrorCode.StreamSymbolMismatch"/>): the symbol part of <c>btcusdt@depth@0ms</c>
    /// is what precedes the first <c>@</c>; it must equal the payload's symbol ASCII case-insensitively (binance.md §2.1:
    /// stream names are lowercase, symbols uppercase). A name without <c>@</c>, or an all-market stream (<c>!bookTicker</c>),
    /// names no symbol: true.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool StreamNamesSymbol(ReadOnlySpan<byte> stream, int symbolId)
    {
        var at = stream.IndexOf((byte)'@');
        if (at < 0 || (at > 0 && stream[0] == (byte)'!'))
        {
            return true;
        }

        return System.Text.Ascii.EqualsIgnoreCase(stream[..at], _symbols.Utf8NameOf(symbolId));
    }

    /// <summary>
    /// One side of a bookTicker (binance.md §2.4): a positive price with a positive quantity, or zero price and zero
    /// quantity (read as an empty side: the docs do not say how a side with no orders looks, and this is the only
    /// reading of it that is not a made-up level). A negative value, or a zero on one half of the pair only, is an error
    /// at that value.
    /// </summary>
    private bool CheckBookTickerSide(long price, long quantity, int priceField, int quantityField)
    {
        if (price > 0 && quantity > 0)
        {
            return true;
        }

        if (price < 0)
        {
            return SetError(DecodeErrorCode.NonPositivePrice, _tokens[priceField].Offset);
        }

        if (quantity < 0)
        {
            return SetError(DecodeErrorCode.NegativeQuantity, _tokens[quantityField].Offset);
        }

        if (price == 0 && quantity == 0)
        {
            return true;
        }

        return price == 0
            ? SetError(DecodeErrorCode.NonPositivePrice, _tokens[priceField].Offset)
            : SetError(DecodeErrorCode.ZeroQuantity, _tokens[quantityField].Offset);
    }

    /// <summary>A trade or aggTrade (binance.md §2.6, §2.7) moves a positive quantity at a positive price.</summary>
    private bool CheckTradeValues(long price, long quantity)
    {
        if (price > 0 && quantity > 0)
        {
            return true;
        }

        if (price <= 0)
        {
            return SetError(DecodeErrorCode.NonPositivePrice, _tokens[Field.Price].Offset);
        }

        return SetError(quantity < 0 ? DecodeErrorCode.NegativeQuantity : DecodeErrorCode.ZeroQuantity, _tokens[Field.Quantity].Offset);
    }

    /// <summary>
    /// The levels of a depth message (noted while parsing, <see cref="NoteLevelValues"/>): every price positive and no
    /// quantity negative; a zero quantity is a removal in a diff (binance.md §2.5) and an error in a snapshot, which
    /// lists only levels that exist (§3.3). The first offending level in wire order is reported.
    /// </summary>
    private bool CheckLevelValues(bool zeroQuantityAllowed)
    {
        var offset = _invalidLevelOffset;
        var code = _invalidLevelCode;
        if (!zeroQuantityAllowed && _zeroQuantityOffset >= 0 && (offset < 0 || _zeroQuantityOffset < offset))
        {
            offset = _zeroQuantityOffset;
            code = DecodeErrorCode.ZeroQuantity;
        }

        return offset < 0 || SetError(code, offset);
    }

    /// <summary>
    /// Event types of public streams that are well-formed but not decoded here (binance.md §2.2 route table; spot
    /// <c>[S-WSS]</c>; futures <c>[CJS]</c>): they are <see cref="FrameOutcome.Ignored"/>. Any other <c>e</c> is
    /// <see cref="DecodeErrorCode.UnknownEventType"/>.
    /// </summary>
    private static bool IsKnownSkippedEvent(ReadOnlySpan<byte> name) =>
        name.SequenceEqual("kline"u8)
        || name.SequenceEqual("continuous_kline"u8)
        || name.SequenceEqual("24hrTicker"u8)
        || name.SequenceEqual("24hrMiniTicker"u8)
        || name.SequenceEqual("1hTicker"u8)
        || name.SequenceEqual("4hTicker"u8)
        || name.SequenceEqual("1dTicker"u8)
        || name.SequenceEqual("avgPrice"u8)
        || name.SequenceEqual("forceOrder"u8)
        || name.SequenceEqual("compositeIndex"u8)
        || name.SequenceEqual("contractInfo"u8)
        || name.SequenceEqual("assetIndexUpdate"u8)
        || name.SequenceEqual("indexPriceUpdate"u8)
        || name.SequenceEqual("indexPriceKline"u8)
        || name.SequenceEqual("markPriceKline"u8)
        || name.SequenceEqual("serverShutdown"u8)
        || name.SequenceEqual("eventStreamTerminated"u8)
        || name.SequenceEqual("listenKeyExpired"u8);

    private bool CompleteMarkPrice(ReadOnlySpan<byte> json, ref MarketEvent slot) =>
        TryGetSymbol(json, Field.Symbol, ref slot)
        && TryGetDecimal(json, Field.Price, out slot.Price)
        && TryGetOptionalDecimal(json, Field.IndexPrice, out slot.AskPrice)
        && TryGetOptionalDecimal(json, Field.SettlePrice, out slot.AskQuantity)
        && TryGetOptionalDecimal(json, Field.FundingRate, out slot.Quantity)
        && TryGetInteger(json, Field.EventTime, required: false, out slot.EventTimeMs)
        && TryGetInteger(json, Field.TransactionTime, required: false, out slot.TransactionTimeMs);

    /// <summary>An optional decimal: absent or an empty string (COIN-M delivery contracts send <c>"r":""</c>) is 0.</summary>
    private bool TryGetOptionalDecimal(ReadOnlySpan<byte> json, int field, out long value)
    {
        value = 0;
        if (!Has(field) || (_tokens[field].Type == TokenType.String && _tokens[field].Length == 0))
        {
            return true;
        }

        return TryGetDecimal(json, field, out value);
    }

    private bool CompleteBookTicker(ReadOnlySpan<byte> json, ref MarketEvent slot) =>
        TryGetSymbol(json, Field.Symbol, ref slot)
        && TryGetInteger(json, Field.FinalUpdateId, required: true, out slot.FinalUpdateId)
        && TryGetDecimal(json, Field.BidLevels, out slot.BidPrice)
        && TryGetDecimal(json, Field.BidQuantity, out slot.BidQuantity)
        && TryGetDecimal(json, Field.AskLevels, out slot.AskPrice)
        && TryGetDecimal(json, Field.AskQuantity, out slot.AskQuantity)
        && TryGetInteger(json, Field.EventTime, required: false, out slot.EventTimeMs)
        && TryGetInteger(json, Field.TransactionTime, required: false, out slot.TransactionTimeMs);

    private bool CompleteTrade(ReadOnlySpan<byte> json, ref MarketEvent slot) =>
        TryGetSymbol(json, Field.Symbol, ref slot)
        && TryGetInteger(json, Field.TradeId, required: true, out slot.TradeId)
        && TryGetDecimal(json, Field.Price, out slot.Price)
        && TryGetDecimal(json, Field.Quantity, out slot.Quantity)
        && TryGetBuyerIsMaker(ref slot)
        && TryGetExecutionType(json, ref slot)
        && TryGetInteger(json, Field.EventTime, required: false, out slot.EventTimeMs)
        && TryGetInteger(json, Field.TransactionTime, required: false, out slot.TransactionTimeMs);

    private bool CompleteAggTrade(ReadOnlySpan<byte> json, ref MarketEvent slot) =>
        TryGetSymbol(json, Field.Symbol, ref slot)
        && TryGetInteger(json, Field.AskLevels, required: true, out slot.TradeId)
        && TryGetInteger(json, Field.FirstTradeId, required: true, out slot.FirstTradeId)
        && TryGetInteger(json, Field.LastTradeId, required: true, out slot.LastTradeId)
        && TryGetDecimal(json, Field.Price, out slot.Price)
        && TryGetDecimal(json, Field.Quantity, out slot.Quantity)
        && TryGetBuyerIsMaker(ref slot)
        && TryGetInteger(json, Field.EventTime, required: false, out slot.EventTimeMs)
        && TryGetInteger(json, Field.TransactionTime, required: false, out slot.TransactionTimeMs);

    private bool CompleteDepth(ReadOnlySpan<byte> json, ref MarketEvent slot, DepthLevelBuffer levels)
    {
        if (!(TryGetSymbol(json, Field.Symbol, ref slot)
            && TryGetInteger(json, Field.FirstUpdateId, required: true, out slot.FirstUpdateId)
            && TryGetInteger(json, Field.FinalUpdateId, required: true, out slot.FinalUpdateId)
            && TryGetInteger(json, Field.PreviousFinalUpdateId, required: _market == Market.Futures, out slot.PreviousFinalUpdateId)
            && TryGetInteger(json, Field.EventTime, required: false, out slot.EventTimeMs)
            && TryGetInteger(json, Field.TransactionTime, required: false, out slot.TransactionTimeMs)
            && HasLevels(Field.BidLevels)
            && HasLevels(Field.AskLevels)))
        {
            return false;
        }

        if (Has(Field.PreviousFinalUpdateId))
        {
            slot.Flags |= MarketEventFlags.HasPreviousFinalUpdateId;
        }

        FinishLevels(ref slot, levels);
        return true;
    }

    private bool CompleteSnapshot(ReadOnlySpan<byte> json, ref MarketEvent slot, DepthLevelBuffer levels, int symbolHint)
    {
        if (!(TryGetInteger(json, Field.LastUpdateId, required: true, out slot.FinalUpdateId)
            && TryGetInteger(json, Field.EventTime, required: false, out slot.EventTimeMs)
            && TryGetInteger(json, Field.TransactionTime, required: false, out slot.TransactionTimeMs)
            && HasLevels(Field.BidLevels)
            && HasLevels(Field.AskLevels)))
        {
            return false;
        }

        if (Has(Field.SnapshotSymbol))
        {
            if (!TryGetSymbol(json, Field.SnapshotSymbol, ref slot))
            {
                return false;
            }
        }
        else if (symbolHint >= 0)
        {
            slot.SymbolId = symbolHint;
        }
        else
        {
            return SetError(symbolHint == AmbiguousSymbolHint ? DecodeErrorCode.AmbiguousSnapshotSymbol : DecodeErrorCode.UnknownSnapshotSymbol, 0);
        }

        FinishLevels(ref slot, levels);
        return true;
    }

    private void FinishLevels(ref MarketEvent slot, DepthLevelBuffer levels)
    {
        if (_askCount > 0 && _bidCount > 0 && _askStart < _bidStart && _bidStart == _askStart + _askCount)
        {
            // The asks came first on the wire: restore bids-then-asks (cold path, in place).
            levels.SwapAdjacentRuns(_askStart, _askCount, _bidCount);
        }

        slot.LevelCount = levels.Count;
        if (levels.Count == 0)
        {
            slot.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;
        }
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool Has(int field) => (_present & (1u << field)) != 0;

    private bool HasLevels(int field)
    {
        if (!Has(field))
        {
            return SetError(DecodeErrorCode.MissingField, _payloadOffset);
        }

        ref var token = ref _tokens[field];
        return token.Type == TokenType.Array || SetError(DecodeErrorCode.WrongType, token.Offset);
    }

    private bool TryGetInteger(ReadOnlySpan<byte> json, int field, bool required, out long value)
    {
        value = 0;
        if (!Has(field))
        {
            return !required || SetError(DecodeErrorCode.MissingField, _payloadOffset);
        }

        ref var token = ref _tokens[field];
        if (token.Type != TokenType.Number)
        {
            return SetError(DecodeErrorCode.WrongType, token.Offset);
        }

        var status = FixedPoint.TryParseInteger(json.Slice(token.Start, token.Length), out value);
        return status == FixedPointParseStatus.Ok || SetError(MapStatus(status), token.Offset);
    }

    private bool TryGetDecimal(ReadOnlySpan<byte> json, int field, out long value)
    {
        value = 0;
        if (!Has(field))
        {
            return SetError(DecodeErrorCode.MissingField, _payloadOffset);
        }

        ref var token = ref _tokens[field];
        if (token.Type is not (TokenType.String or TokenType.Number))
        {
            return SetError(DecodeErrorCode.WrongType, token.Offset);
        }

        if (token.Type == TokenType.String)
        {
            // The fast path needs the opening quote, which sits just before the content.
            var p = token.Start - 1;
            if (TryParseQuotedDecimalFast(json, ref p, out value))
            {
                return true;
            }
        }

        return TryGetDecimalExact(json, in token, out value);
    }

    /// <summary>The exact path of <see cref="TryGetDecimal"/> (escapes, error classification): cold.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetDecimalExact(ReadOnlySpan<byte> json, in ValueToken token, out long value)
    {
        value = 0;
        Span<byte> scratch = stackalloc byte[64];
        var text = token.Type == TokenType.String ? Unescaped(json.Slice(token.Start, token.Length), scratch) : json.Slice(token.Start, token.Length);
        var status = text.IsEmpty && token.Length > 0 ? FixedPointParseStatus.InvalidCharacter : FixedPoint.TryParse(text, out value);
        return status == FixedPointParseStatus.Ok || SetError(MapStatus(status), token.Offset);
    }

    /// <summary>
    /// The optional execution type <c>X</c> of a futures trade: absent (spot) or <c>MARKET</c> leaves the flags; any
    /// other string sets <see cref="MarketEventFlags.NonMarketTrade"/>; a non-string is a <see cref="DecodeErrorCode.WrongType"/>.
    /// </summary>
    private bool TryGetExecutionType(ReadOnlySpan<byte> json, ref MarketEvent slot)
    {
        if (!Has(Field.ExecutionType))
        {
            return true;
        }

        ref var token = ref _tokens[Field.ExecutionType];
        if (token.Type != TokenType.String)
        {
            return SetError(DecodeErrorCode.WrongType, token.Offset);
        }

        Span<byte> scratch = stackalloc byte[32];
        if (!Unescaped(json.Slice(token.Start, token.Length), scratch).SequenceEqual("MARKET"u8)) // too long to unescape: empty, not MARKET
        {
            slot.Flags |= MarketEventFlags.NonMarketTrade;
        }

        return true;
    }

    private bool TryGetBuyerIsMaker(ref MarketEvent slot)
    {
        if (!Has(Field.BuyerIsMaker))
        {
            return SetError(DecodeErrorCode.MissingField, _payloadOffset);
        }

        ref var token = ref _tokens[Field.BuyerIsMaker];
        switch (token.Type)
        {
            case TokenType.True:
                slot.Flags |= MarketEventFlags.BuyerIsMaker;
                return true;
            case TokenType.False:
                return true;
            default:
                return SetError(DecodeErrorCode.WrongType, token.Offset);
        }
    }

    private bool TryGetSymbol(ReadOnlySpan<byte> json, int field, ref MarketEvent slot)
    {
        if (!Has(field))
        {
            return SetError(DecodeErrorCode.MissingField, _payloadOffset);
        }

        ref var token = ref _tokens[field];
        if (token.Type != TokenType.String)
        {
            return SetError(DecodeErrorCode.WrongType, token.Offset);
        }

        var raw = json.Slice(token.Start, token.Length);
        if (raw.IndexOf((byte)'\\') >= 0)
        {
            return TryGetEscapedSymbol(raw, token.Offset, ref slot);
        }

        if (!TryLookUpSymbol(raw, out var id))
        {
            return SetError(DecodeErrorCode.UnknownSymbol, token.Offset);
        }

        slot.SymbolId = id;
        return true;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool TryGetEscapedSymbol(ReadOnlySpan<byte> raw, int offset, ref MarketEvent slot)
    {
        Span<byte> scratch = stackalloc byte[64];
        var name = Unescaped(raw, scratch);
        if (name.IsEmpty || !TryLookUpSymbol(name, out var id))
        {
            return SetError(DecodeErrorCode.UnknownSymbol, offset); // empty means too long once unescaped: in no table
        }

        slot.SymbolId = id;
        return true;
    }
}
