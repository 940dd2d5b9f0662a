using System.Runtime.CompilerServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <summary>
/// Decodes one Binance market-data frame (UTF-8 JSON) straight into a <see cref="MarketEvent"/> slot, scanning the
/// bytes by hand: no strings, no intermediate objects, no <c>Utf8JsonReader</c>.
/// </summary>
/// <remarks>
/// <para>Frames understood (binance.md §2.4–2.7, §3.3; field order is free, JSON whitespace is allowed anywhere):</para>
/// <list type="bullet">
/// <item>the combined-stream wrapper <c>{"stream":"btcusdt@depth@0ms","data":{…}}</c> (either key first), or a bare
/// event object as sent on a raw <c>/ws/</c> stream;</item>
/// <item><c>bookTicker</c> (futures with <c>e</c>, <c>E</c>, <c>T</c>; spot without them, recognised by the stream
/// suffix <c>@bookTicker</c> or by <c>b</c>/<c>B</c>/<c>a</c>/<c>A</c> without <c>e</c>) → <see cref="MarketEventKind.BookTicker"/>;</item>
/// <item><c>depthUpdate</c> (spot, USDⓈ-M with <c>T</c>/<c>pu</c>, COIN-M with <c>ps</c>) → <see cref="FrameOutcome.Levels"/>
/// with kind <see cref="MarketEventKind.DepthLevel"/>; on <see cref="Market.Futures"/> a missing <c>pu</c> is
/// <see cref="DecodeErrorCode.MissingField"/>;</item>
/// <item><c>trade</c> and <c>aggTrade</c> → <see cref="MarketEventKind.Trade"/> / <see cref="MarketEventKind.AggTrade"/>
/// (the integer order ids <c>b</c>/<c>a</c> of 2023 spot trades are skipped; in aggTrade <c>a</c> is the aggregate id);</item>
/// <item>a bare REST depth snapshot <c>{"lastUpdateId":…,"bids":[…],"asks":[…]}</c> (futures add <c>E</c>, <c>T</c>;
/// COIN-M adds <c>symbol</c>, <c>pair</c>) → <see cref="FrameOutcome.Levels"/> with kind
/// <see cref="MarketEventKind.SnapshotLevel"/>; without <c>symbol</c> the caller's symbol hint is used.</item>
/// </list>
/// <para>Values (checked once a frame is well-formed, so a malformed frame still reports its syntax error first): a
/// combined-stream frame must be on its own symbol's stream (<see cref="DecodeErrorCode.StreamSymbolMismatch"/>); then
/// every price of a diff or snapshot level, a trade or an aggTrade must be positive
/// (<see cref="DecodeErrorCode.NonPositivePrice"/>) and no quantity negative (<see cref="DecodeErrorCode.NegativeQuantity"/>);
/// a zero quantity removes a level in a diff but is <see cref="DecodeErrorCode.ZeroQuantity"/> in a snapshot level, a
/// trade or an aggTrade; a bookTicker side is a positive price with a positive quantity, or zero and zero (an empty
/// side). markPriceUpdate values are not checked (its funding rate is signed). The first offending value is reported,
/// at its offset, and the frame publishes nothing but the error.</para>
/// <para><c>markPriceUpdate</c> → <see cref="MarketEventKind.MarkPrice"/>. Any other well-formed frame of a known stream
/// (kline, tickers, a wrapped partial-depth payload, …) is <see cref="FrameOutcome.Ignored"/> and counted in
/// <see cref="IgnoredFrames"/>; an <c>e</c> the decoder does not know is <see cref="DecodeErrorCode.UnknownEventType"/>.
/// Unknown fields, including nested objects and arrays and strings with escapes, are skipped (their JSON fully
/// validated: a malformed number or literal inside is <see cref="DecodeErrorCode.InvalidJson"/>) and counted in
/// <see cref="UnknownFieldsSkipped"/>. A known key (decoded, or tolerated and skipped such as <c>M</c>,
/// <c>ps</c>, <c>st</c>, <c>nq</c>, <c>pair</c>) that appears twice is <see cref="DecodeErrorCode.DuplicateField"/>
/// at the second one.</para>
/// <para>Symbols: the <c>s</c>/<c>symbol</c> value is looked up, never added, in the session's <see cref="SymbolTable"/>,
/// which must be frozen (the constructor refuses one that is not), so decoders on any number of receive threads share it
/// without a writer. A symbol that is not in the table is <see cref="DecodeErrorCode.UnknownSymbol"/> at the offset of
/// its opening quote; the frame is counted like any decode error.</para>
/// <para>Speed: compact frames in the shapes Binance sends (bookTicker, depthUpdate, trade, aggTrade of a symbol
/// in the table) are decoded in a single pass that converts each value as it is scanned; anything else, and any
/// frame that is not well-formed, is decoded from the start by the general two-pass path, which alone reports errors,
/// so both give identical results (see <c>BinanceFrameDecoder.FastPath.cs</c>).</para>
/// <para>Numbers: prices and quantities are exact 10⁻⁸ units (<see cref="FixedPoint.TryParse"/>), sent either as a JSON
/// string or as a bare JSON number; ids and times are JSON integers. <c>E</c> and <c>T</c> are optional everywhere
/// (0 when absent).</para>
/// <para>Threading: one instance per receive thread; not thread-safe (the frozen table it reads is). Allocation: none
/// in steady state, except <see cref="DepthLevelBuffer"/> growth beyond its capacity. Never throws on bad input: every failure is an <see cref="FrameOutcome.Error"/> with a
/// <see cref="DecodeErrorCode"/> and a byte offset.</para>
/// </remarks>
/// <example>
/// <code>
/// var outcome = decoder.Decode(frame, ref slot, levels, symbolHint: -1);
/// if (outcome == FrameOutcome.Levels)
/// {
///     // slot is the header: copy it into one ring slot per level (levels.Prices[i], …), setting LevelIndex and
///     // Begin/End flags on the first/last.
/// }
/// </code>
/// </example>
public sealed partial class BinanceFrameDecoder
{
    /// <summary>
    /// The symbol hint a recording reader gives a bare REST snapshot line when the file's streams name several symbols:
    /// such a snapshot without its own <c>symbol</c> is <see cref="DecodeErrorCode.AmbiguousSnapshotSymbol"/>, never
    /// attributed by guess (see <see cref="Recording.RecordingReader"/>, "Bare snapshot symbol").
    /// </summary>
    public const int AmbiguousSymbolHint = -2;

    private const int MaxNestingDepth = 64;

    private readonly Market _market;
    private readonly SymbolTable _symbols;
    private readonly ValueToken[] _tokens = new ValueToken[FieldCount];

    private uint _present;
    private bool _wrapped;
    private bool _nonAscii;
    private int _payloadOffset;
    private int _bidStart;
    private int _bidCount;
    private int _askStart;
    private int _askCount;

    private bool _streamAtTop;
    private int _invalidLevelOffset;
    private DecodeErrorCode _invalidLevelCode;
    private int _zeroQuantityOffset;

    private DecodeErrorCode _lastError;
    private int _lastErrorOffset;
    private long _unknownFieldsSkipped;
    private long _ignoredFrames;

    /// <summary>Creates a decoder for one market.</summary>
    /// <param name="market">Written into every slot; decides whether <c>pu</c> is required on depth diffs.</param>
    /// <param name="symbols">
    /// The session's symbol table, frozen at configuration (<see cref="SymbolTable.Freeze"/>); the decoder only looks the
    /// <c>s</c>/<c>symbol</c> values up in it, and may share it with any number of other decoders on other threads.
    /// </param>
    /// <exception cref="ArgumentNullException">When <paramref name="symbols"/> is null.</exception>
    /// <exception cref="ArgumentException">When <paramref name="symbols"/> is not frozen.</exception>
    public BinanceFrameDecoder(Market market, SymbolTable symbols)
        : this(market, symbols, requireFrozen: true)
    {
    }

    private BinanceFrameDecoder(Market market, SymbolTable symbols, bool requireFrozen)
    {
        if (requireFrozen)
        {
            SymbolTable.ThrowIfNotFrozen(symbols);
        }

        ArgumentNullException.ThrowIfNull(symbols);
        _market = market;
        _symbols = symbols;
    }

    /// <summary>The market written into every slot.</summary>
    public Market Market => _market;

    /// <summary>
    /// A decoder over a table still being configured, for <see cref="Recording.RecordingSymbolScan"/> alone: it runs on the
    /// configuring thread and interns, between two decodes, the symbol each <see cref="DecodeErrorCode.UnknownSymbol"/>
    /// names. The decoder itself still only looks up.
    /// </summary>
    internal static BinanceFrameDecoder ForSymbolScan(Market market, SymbolTable symbols) => new(market, symbols, requireFrozen: false);

    /// <summary>Why the last <see cref="Decode"/> returned <see cref="FrameOutcome.Error"/>; <see cref="DecodeErrorCode.None"/> otherwise.</summary>
    public DecodeErrorCode LastError => _lastError;

    /// <summary>Byte offset in the last frame where decoding failed (0 when it did not fail).</summary>
    public int LastErrorOffset => _lastErrorOffset;

    /// <summary>Fields with a name this decoder does not know, skipped since construction (tolerated, counted).</summary>
    public long UnknownFieldsSkipped => _unknownFieldsSkipped;

    /// <summary>Well-formed frames of streams this decoder does not decode (markPriceUpdate, kline, …) since construction.</summary>
    public long IgnoredFrames => _ignoredFrames;

    /// <summary>Decodes one frame.</summary>
    /// <param name="frame">The complete UTF-8 frame: a WebSocket text message or a REST body.</param>
    /// <param name="slot">
    /// Cleared, then written: a whole event for <see cref="FrameOutcome.Event"/> (flags Begin|End); the message header
    /// (kind, flags, market, symbol, <c>E</c>, <c>T</c>, <c>U</c>, <c>u</c>/<c>lastUpdateId</c>, <c>pu</c>,
    /// <see cref="MarketEvent.LevelCount"/>) for <see cref="FrameOutcome.Levels"/>, whose flags carry
    /// <see cref="MarketEventFlags.HasPreviousFinalUpdateId"/> and, for a message with no level,
    /// Begin|End|<see cref="MarketEventFlags.EmptyMessage"/> (otherwise the caller sets Begin/End on the first/last
    /// level slot); a <see cref="MarketEventKind.DecodeError"/> slot (code and offset, symbol -1) for
    /// <see cref="FrameOutcome.Error"/>; only the market and symbol -1 for <see cref="FrameOutcome.Ignored"/>.
    /// Receive/publish/local timestamps and source fields are left 0 for the caller.
    /// </param>
    /// <param name="levels">Cleared, then filled with every level of a depth diff or snapshot: bids first, then asks, in wire order.</param>
    /// <param name="symbolHint">Symbol id for a bare REST snapshot that has no <c>symbol</c> field; -1 if unknown
    /// (<see cref="DecodeErrorCode.UnknownSnapshotSymbol"/>), <see cref="AmbiguousSymbolHint"/> if the source names
    /// several candidates (<see cref="DecodeErrorCode.AmbiguousSnapshotSymbol"/>). A snapshot's own <c>symbol</c> wins.</param>
    /// <returns>What the frame held.</returns>
    /// <remarks>Allocation-free in steady state (see the type remarks); never throws on bad input.</remarks>
    public FrameOutcome Decode(ReadOnlySpan<byte> frame, ref MarketEvent slot, DepthLevelBuffer levels, int symbolHint)
    {
        ArgumentNullException.ThrowIfNull(levels);
        slot = default;
        slot.Market = _market;
        slot.SymbolId = -1;
        levels.Clear();
        _present = 0;
        _wrapped = false;
        _nonAscii = false;
        _payloadOffset = 0;
        _bidStart = -1;
        _bidCount = 0;
        _askStart = -1;
        _askCount = 0;
        _lastError = DecodeErrorCode.None;
        _lastErrorOffset = 0;

        if (FastPathEnabled)
        {
            if (TryDecodeFast(frame, ref slot, levels, out var fast))
            {
                return fast;
            }

            // Left the fast-path subset: start again on the general path, which reports any error.
            slot = default;
            slot.Market = _market;
            slot.SymbolId = -1;
            levels.Clear();
        }

        _streamAtTop = false;
        _invalidLevelOffset = -1;
        _invalidLevelCode = DecodeErrorCode.None;
        _zeroQuantityOffset = -1;
        var pos = SkipWhitespace(frame, 0);
        if (!ParseObject(frame, ref pos, levels, topLevel: true))
        {
            return Fail(ref slot, levels);
        }

        pos = SkipWhitespace(frame, pos);
        if (pos != frame.Length)
        {
            SetError(DecodeErrorCode.InvalidJson, pos);
            return Fail(ref slot, levels);
        }

        if (_nonAscii && !IsValidUtf8(frame))
        {
            return Fail(ref slot, levels);
        }

        var outcome = Complete(frame, ref slot, levels, symbolHint);
        if (outcome == FrameOutcome.Error)
        {
            return Fail(ref slot, levels);
        }

        if (outcome == FrameOutcome.Ignored)
        {
            _ignoredFrames++;
            levels.Clear();
        }

        return outcome;
    }

    /// <summary>Cold path for frames with a byte of 0x80 or more in a string: the whole frame must be valid UTF-8 (RFC 8259 §8.1).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool IsValidUtf8(ReadOnlySpan<byte> frame)
    {
        var offset = 0;
        while (offset < frame.Length)
        {
            if (System.Text.Rune.DecodeFromUtf8(frame[offset..], out _, out var consumed) != System.Buffers.OperationStatus.Done)
            {
                return SetError(DecodeErrorCode.InvalidJson, offset);
            }

            offset += consumed;
        }

        return true;
    }

    /// <summary>
    /// The bytes of string content <paramref name="raw"/> with escapes resolved: <paramref name="raw"/> itself when it has
    /// no backslash (the hot path), else unescaped into <paramref name="scratch"/> (empty span when it does not fit).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ReadOnlySpan<byte> Unescaped(ReadOnlySpan<byte> raw, Span<byte> scratch)
    {
        if (raw.IndexOf((byte)'\\') < 0)
        {
            return raw;
        }

        var n = JsonEscapes.Unescape(raw, scratch);
        return n < 0 ? [] : scratch[..n];
    }

    private FrameOutcome Fail(ref MarketEvent slot, DepthLevelBuffer levels)
    {
        levels.Clear();
        slot = default;
        slot.Kind = MarketEventKind.DecodeError;
        slot.Market = _market;
        slot.SymbolId = -1;
        slot.ErrorCode = _lastError;
        slot.ErrorOffset = _lastErrorOffset;
        return FrameOutcome.Error;
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool SetError(DecodeErrorCode code, int offset)
    {
        _lastError = code;
        _lastErrorOffset = offset;
        return false;
    }

    private bool Truncated(ReadOnlySpan<byte> json) => SetError(DecodeErrorCode.Truncated, json.Length);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipWhitespace(ReadOnlySpan<byte> json, int pos)
    {
        while ((uint)pos < (uint)json.Length)
        {
            var c = json[pos];
            if (c != (byte)' ' && c != (byte)'\n' && c != (byte)'\r' && c != (byte)'\t')
            {
                break;
            }

            pos++;
        }

        return pos;
    }

    /// <summary>
    /// Returns the index of the closing quote of a string whose content starts at <paramref name="pos"/>, or -1 with the
    /// error set: truncated, a control character (below 0x20, RFC 8259 §7), or an invalid escape. A byte of 0x80 or more
    /// marks the frame for a UTF-8 check once it is parsed (cold: Binance frames are ASCII).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ScanString(ReadOnlySpan<byte> json, int pos)
    {
        while ((uint)pos < (uint)json.Length)
        {
            var c = json[pos];
            if (c == (byte)'"')
            {
                return pos;
            }

            if (c == (byte)'\\')
            {
                var length = JsonEscapes.SequenceLength(json, pos);
                if (length <= 0)
                {
                    _ = length < 0 ? Truncated(json) : SetError(DecodeErrorCode.InvalidJson, pos);
                    return -1;
                }

                pos += length;
                continue;
            }

            if ((uint)(c - 0x20) > 0x5F)
            {
                if (c < 0x20)
                {
                    SetError(DecodeErrorCode.InvalidJson, pos);
                    return -1;
                }

                _nonAscii = true;
            }

            pos++;
        }

        Truncated(json);
        return -1;
    }

    /// <summary>
    /// Returns the index just past a JSON number starting at <paramref name="pos"/> (RFC 8259 §6:
    /// <c>-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?</c>), or -1 with the error set (invalid, or truncated when the
    /// input ends inside or right after it: a number is never the last byte of a frame).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private int ScanNumber(ReadOnlySpan<byte> json, int pos)
    {
        var start = pos;
        if (pos < json.Length && json[pos] == (byte)'-')
        {
            pos++;
        }

        if (pos >= json.Length)
        {
            Truncated(json);
            return -1;
        }

        if (json[pos] == (byte)'0')
        {
            pos++;
        }
        else if ((uint)(json[pos] - '1') <= 8)
        {
            pos++;
            while (pos < json.Length && (uint)(json[pos] - '0') <= 9)
            {
                pos++;
            }
        }
        else
        {
            SetError(DecodeErrorCode.InvalidJson, start);
            return -1;
        }

        if (pos < json.Length && json[pos] == (byte)'.')
        {
            pos = ScanDigits(json, pos + 1, start);
            if (pos < 0)
            {
                return -1;
            }
        }

        if (pos < json.Length && (json[pos] | 0x20) == (byte)'e')
        {
            pos++;
            if (pos < json.Length && json[pos] is (byte)'+' or (byte)'-')
            {
                pos++;
            }

            pos = ScanDigits(json, pos, start);
            if (pos < 0)
            {
                return -1;
            }
        }

        if (pos >= json.Length)
        {
            Truncated(json);
            return -1;
        }

        return pos;
    }

    private int ScanDigits(ReadOnlySpan<byte> json, int pos, int numberStart)
    {
        if (pos >= json.Length)
        {
            Truncated(json);
            return -1;
        }

        if ((uint)(json[pos] - '0') > 9)
        {
            SetError(DecodeErrorCode.InvalidJson, numberStart);
            return -1;
        }

        while (pos < json.Length && (uint)(json[pos] - '0') <= 9)
        {
            pos++;
        }

        return pos;
    }

    /// <summary>Parses one object; the top-level one may hold <c>stream</c> and <c>data</c>.</summary>
    private bool ParseObject(ReadOnlySpan<byte> json, ref int pos, DepthLevelBuffer levels, bool topLevel)
    {
        if (pos >= json.Length)
        {
            return Truncated(json);
        }

        if (json[pos] != (byte)'{')
        {
            return SetError(topLevel ? DecodeErrorCode.InvalidJson : DecodeErrorCode.WrongType, pos);
        }

        pos = SkipWhitespace(json, pos + 1);
        if (pos >= json.Length)
        {
            return Truncated(json);
        }

        if (json[pos] == (byte)'}')
        {
            pos++;
            return true;
        }

        while (true)
        {
            if (json[pos] != (byte)'"')
            {
                return SetError(DecodeErrorCode.InvalidJson, pos);
            }

            var keyStart = pos + 1;
            var keyEnd = ScanString(json, keyStart);
            if (keyEnd < 0)
            {
                return false;
            }

            pos = SkipWhitespace(json, keyEnd + 1);
            if (pos >= json.Length)
            {
                return Truncated(json);
            }

            if (json[pos] != (byte)':')
            {
                return SetError(DecodeErrorCode.InvalidJson, pos);
            }

            pos = SkipWhitespace(json, pos + 1);
            if (pos >= json.Length)
            {
                return Truncated(json);
            }

            var field = Field.Lookup(json.Slice(keyStart, keyEnd - keyStart));
            if (field == Field.Unknown && json.Slice(keyStart, keyEnd - keyStart).IndexOf((byte)'\\') >= 0)
            {
                Span<byte> key = stackalloc byte[16];
                field = Field.Lookup(Unescaped(json.Slice(keyStart, keyEnd - keyStart), key));
            }

            if (!ParseFieldValue(json, ref pos, levels, field, keyStart - 1, topLevel))
            {
                return false;
            }

            pos = SkipWhitespace(json, pos);
            if (pos >= json.Length)
            {
                return Truncated(json);
            }

            var c = json[pos];
            if (c == (byte)',')
            {
                pos = SkipWhitespace(json, pos + 1);
                if (pos >= json.Length)
                {
                    return Truncated(json);
                }

                continue;
            }

            if (c == (byte)'}')
            {
                pos++;
                return true;
            }

            return SetError(DecodeErrorCode.InvalidJson, pos);
        }
    }

    private bool ParseFieldValue(ReadOnlySpan<byte> json, ref int pos, DepthLevelBuffer levels, int field, int keyOffset, bool topLevel)
    {
        switch (field)
        {
            case Field.Unknown:
                _unknownFieldsSkipped++;
                return SkipValue(json, ref pos);
            case Field.Data:
                if (!topLevel)
                {
                    _unknownFieldsSkipped++;
                    return SkipValue(json, ref pos);
                }

                if (_wrapped)
                {
                    return SetError(DecodeErrorCode.DuplicateField, keyOffset);
                }

                if (json[pos] != (byte)'{')
                {
                    return SetError(DecodeErrorCode.WrongType, pos);
                }

                _wrapped = true;
                _payloadOffset = pos;
                return ParseObject(json, ref pos, levels, topLevel: false);
        }

        if (Has(field))
        {
            // A repeated known key: Binance never sends one, and "last wins" would leave the levels of both in the buffer.
            return SetError(DecodeErrorCode.DuplicateField, keyOffset);
        }

        if (field >= Field.FirstTolerated)
        {
            _present |= 1u << field;
            return SkipValue(json, ref pos);
        }

        if (field == Field.Stream)
        {
            _streamAtTop = topLevel; // only the wrapper's own stream name is compared with the payload's symbol
        }

        switch (field)
        {
            case Field.BidLevels:
            case Field.AskLevels:
                if (json[pos] == (byte)'[')
                {
                    return ParseLevels(json, ref pos, levels, field);
                }

                break;
        }

        ref var token = ref _tokens[field];
        if (!ReadToken(json, ref pos, ref token))
        {
            return false;
        }

        _present |= 1u << field;
        return true;
    }

    /// <summary>Reads a scalar (or skips a composite) value and records where it is.</summary>
    private bool ReadToken(ReadOnlySpan<byte> json, ref int pos, ref ValueToken token)
    {
        var start = pos;
        var c = json[pos];
        token.Offset = start;
        if (c == (byte)'"')
        {
            var end = ScanString(json, start + 1);
            if (end < 0)
            {
                return false;
            }

            token.Type = TokenType.String;
            token.Start = start + 1;
            token.Length = end - start - 1;
            pos = end + 1;
            return true;
        }

        if ((uint)(c - '0') <= 9 || c == (byte)'-')
        {
            var p = ScanNumber(json, start);
            if (p < 0)
            {
                return false;
            }

            token.Type = TokenType.Number;
            token.Start = start;
            token.Length = p - start;
            pos = p;
            return true;
        }

        token.Start = start;
        token.Length = 0;
        switch (c)
        {
            case (byte)'t':
                token.Type = TokenType.True;
                return ReadLiteral(json, ref pos, "true"u8);
            case (byte)'f':
                token.Type = TokenType.False;
                return ReadLiteral(json, ref pos, "false"u8);
            case (byte)'n':
                token.Type = TokenType.Null;
                return ReadLiteral(json, ref pos, "null"u8);
            case (byte)'{':
                token.Type = TokenType.Object;
                return SkipValue(json, ref pos);
            case (byte)'[':
                token.Type = TokenType.Array;
                return SkipValue(json, ref pos);
            default:
                return SetError(DecodeErrorCode.InvalidJson, pos);
        }
    }

    private bool ReadLiteral(ReadOnlySpan<byte> json, ref int pos, ReadOnlySpan<byte> literal)
    {
        var available = json.Length - pos;
        if (available >= literal.Length)
        {
            if (json.Slice(pos, literal.Length).SequenceEqual(literal))
            {
                pos += literal.Length;
                return true;
            }

            return SetError(DecodeErrorCode.InvalidJson, pos);
        }

        return json[pos..].SequenceEqual(literal[..available])
            ? Truncated(json)
            : SetError(DecodeErrorCode.InvalidJson, pos);
    }

    /// <summary>
    /// Skips any JSON value, validating all of it as <c>Utf8JsonReader</c> would (RFC 8259 §2–7): strings, numbers
    /// and the literals <c>true</c>/<c>false</c>/<c>null</c> exactly as a top-level field value is checked, keys,
    /// colons, commas and bracket pairing, up to 64 levels of nesting. A malformed nested value is
    /// <see cref="DecodeErrorCode.InvalidJson"/> (or <see cref="DecodeErrorCode.Truncated"/>) at the offending byte.
    /// </summary>
    private bool SkipValue(ReadOnlySpan<byte> json, ref int pos)
    {
        var c = json[pos];
        if (c != (byte)'{' && c != (byte)'[')
        {
            ValueToken ignored = default;
            return ReadToken(json, ref pos, ref ignored);
        }

        ulong objectBits = 0; // bit 0: the innermost open container is an object
        var depth = 0;
        var p = pos;
        while (true)
        {
            // A value starts at p (p < json.Length).
            c = json[p];
            if (c == (byte)'{' || c == (byte)'[')
            {
                if (depth == MaxNestingDepth)
                {
                    return SetError(DecodeErrorCode.InvalidJson, p);
                }

                var isObject = c == (byte)'{';
                objectBits = (objectBits << 1) | (isObject ? 1UL : 0UL);
                depth++;
                p = SkipWhitespace(json, p + 1);
                if (p >= json.Length)
                {
                    return Truncated(json);
                }

                if (json[p] != (isObject ? (byte)'}' : (byte)']'))
                {
                    if (isObject && !SkipKeyAndColon(json, ref p))
                    {
                        return false;
                    }

                    continue; // the first member's value
                }

                p++;
                objectBits >>= 1;
                depth--;
            }
            else
            {
                ValueToken ignored = default;
                if (!ReadToken(json, ref p, ref ignored))
                {
                    return false;
                }
            }

            // After a value: a comma and the next member, or closing brackets.
            while (true)
            {
                if (depth == 0)
                {
                    pos = p;
                    return true;
                }

                p = SkipWhitespace(json, p);
                if (p >= json.Length)
                {
                    return Truncated(json);
                }

                c = json[p];
                var inObject = (objectBits & 1) != 0;
                if (c == (byte)',')
                {
                    p = SkipWhitespace(json, p + 1);
                    if (p >= json.Length)
                    {
                        return Truncated(json);
                    }

                    if (inObject && !SkipKeyAndColon(json, ref p))
                    {
                        return false;
                    }

                    break; // the next member's value
                }

                if (c != (inObject ? (byte)'}' : (byte)']'))
                {
                    return SetError(DecodeErrorCode.InvalidJson, p);
                }

                p++;
                objectBits >>= 1;
                depth--;
            }
        }
    }

    /// <summary>Inside a skipped object: a key string, a colon, and whitespace up to the value (which must exist).</summary>
    private bool SkipKeyAndColon(ReadOnlySpan<byte> json, ref int p)
    {
        if (json[p] != (byte)'"')
        {
            return SetError(DecodeErrorCode.InvalidJson, p);
        }

        var end = ScanString(json, p + 1);
        if (end < 0)
        {
            return false;
        }

        p = SkipWhitespace(json, end + 1);
        if (p >= json.Length)
        {
            return Truncated(json);
        }

        if (json[p] != (byte)':')
        {
            return SetError(DecodeErrorCode.InvalidJson, p);
        }

        p = SkipWhitespace(json, p + 1);
        return p < json.Length || Truncated(json);
    }

    /// <summary>Parses <c>[[price, qty], …]</c> straight into the level buffer.</summary>
    private bool ParseLevels(ReadOnlySpan<byte> json, ref int pos, DepthLevelBuffer levels, int field)
    {
        var side = field == Field.BidLevels ? BookSide.Bid : BookSide.Ask;
        var runStart = levels.Count;
        var p = SkipWhitespace(json, pos + 1);
        if (p >= json.Length)
        {
            return Truncated(json);
        }

        if (json[p] != (byte)']')
        {
            while (true)
            {
                if (json[p] != (byte)'[')
                {
                    return SetError(DecodeErrorCode.WrongType, p);
                }

                p = SkipWhitespace(json, p + 1);
                var priceOffset = p;
                if (!ParseDecimal(json, ref p, out var price))
                {
                    return false;
                }

                if (!ExpectComma(json, ref p))
                {
                    return false;
                }

                var quantityOffset = p;
                if (!ParseDecimal(json, ref p, out var quantity))
                {
                    return false;
                }

                if (price <= 0 || quantity <= 0)
                {
                    NoteLevelValues(price, quantity, priceOffset, quantityOffset);
                }

                p = SkipWhitespace(json, p);
                while (p < json.Length && json[p] == (byte)',')
                {
                    // Extra elements in a level are tolerated and skipped.
                    p = SkipWhitespace(json, p + 1);
                    if (p >= json.Length)
                    {
                        return Truncated(json);
                    }

                    if (!SkipValue(json, ref p))
                    {
                        return false;
                    }

                    p = SkipWhitespace(json, p);
                }

                if (p >= json.Length)
                {
                    return Truncated(json);
                }

                if (json[p] != (byte)']')
                {
                    return SetError(DecodeErrorCode.InvalidJson, p);
                }

                levels.Add(price, quantity, side);
                p = SkipWhitespace(json, p + 1);
                if (p >= json.Length)
                {
                    return Truncated(json);
                }

                var c = json[p];
                if (c == (byte)',')
                {
                    p = SkipWhitespace(json, p + 1);
                    if (p >= json.Length)
                    {
                        return Truncated(json);
                    }

                    continue;
                }

                if (c == (byte)']')
                {
                    break;
                }

                return SetError(DecodeErrorCode.InvalidJson, p);
            }
        }

        ref var token = ref _tokens[field];
        token.Type = TokenType.Array;
        token.Offset = pos;
        token.Start = pos;
        token.Length = p + 1 - pos;
        pos = p + 1;
        var count = levels.Count - runStart;
        if (side == BookSide.Bid)
        {
            _bidStart = runStart;
            _bidCount = count;
        }
        else
        {
            _askStart = runStart;
            _askCount = count;
        }

        _present |= 1u << field;
        return true;
    }

    /// <summary>
    /// Remembers the first level (in wire order) whose price is not positive or whose quantity is negative, and the first
    /// whose quantity is zero; whether either is an error depends on the message, decided once its kind is known
    /// (<see cref="CheckLevelValues"/>). Cold: real levels have a positive price and a positive quantity, or a zero
    /// quantity in a diff.
    /// </summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private void NoteLevelValues(long price, long quantity, int priceOffset, int quantityOffset)
    {
        if (price <= 0 || quantity < 0)
        {
            if (_invalidLevelOffset < 0)
            {
                (_invalidLevelCode, _invalidLevelOffset) = price <= 0
                    ? (DecodeErrorCode.NonPositivePrice, priceOffset)
                    : (DecodeErrorCode.NegativeQuantity, quantityOffset);
            }
        }
        else if (_zeroQuantityOffset < 0)
        {
            _zeroQuantityOffset = quantityOffset;
        }
    }

    private bool ExpectComma(ReadOnlySpan<byte> json, ref int p)
    {
        p = SkipWhitespace(json, p);
        if (p >= json.Length)
        {
            return Truncated(json);
        }

        if (json[p] != (byte)',')
        {
            return SetError(json[p] == (byte)']' ? DecodeErrorCode.WrongType : DecodeErrorCode.InvalidJson, p);
        }

        p = SkipWhitespace(json, p + 1);
        return p < json.Length || Truncated(json);
    }

    /// <summary>Parses a price or quantity sent as a JSON string or a bare JSON number.</summary>
    private bool ParseDecimal(ReadOnlySpan<byte> json, ref int p, out long value)
    {
        value = 0;
        if (p >= json.Length)
        {
            return Truncated(json);
        }

        var start = p;
        var c = json[p];
        ReadOnlySpan<byte> digits;
        if (c == (byte)'"' && TryParseQuotedDecimalFast(json, ref p, out value))
        {
            return true;
        }

        if (c == (byte)'"')
        {
            var end = ScanString(json, p + 1);
            if (end < 0)
            {
                return false;
            }

            digits = json.Slice(p + 1, end - p - 1);
            p = end + 1;
            if (digits.IndexOf((byte)'\\') >= 0)
            {
                Span<byte> scratch = stackalloc byte[64];
                var unescaped = Unescaped(digits, scratch);
                var escapedStatus = unescaped.IsEmpty ? FixedPointParseStatus.InvalidCharacter : FixedPoint.TryParse(unescaped, out value);
                return escapedStatus == FixedPointParseStatus.Ok || SetError(MapStatus(escapedStatus), start);
            }
        }
        else if ((uint)(c - '0') <= 9 || c == (byte)'-')
        {
            var q = ScanNumber(json, p);
            if (q < 0)
            {
                return false;
            }

            digits = json[p..q];
            p = q;
        }
        else
        {
            ValueToken token = default;
            return ReadToken(json, ref p, ref token) && SetError(DecodeErrorCode.WrongType, start);
        }

        var status = FixedPoint.TryParse(digits, out value);
        return status == FixedPointParseStatus.Ok || SetError(MapStatus(status), start);
    }

    /// <summary>
    /// Fast path for the common case, a quoted decimal such as <c>"61800.20"</c> with at most 18 digits and 8 decimals:
    /// one pass that scans and converts. Anything else returns false with <paramref name="p"/> unchanged, and the caller
    /// takes the exact path (<see cref="FixedPoint.TryParse"/>) that classifies the error.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryParseQuotedDecimalFast(ReadOnlySpan<byte> json, ref int p, out long value)
    {
        value = 0;
        var q = p + 1;
        var negative = false;
        if ((uint)q < (uint)json.Length && json[q] == (byte)'-')
        {
            negative = true;
            q++;
        }

        ulong mantissa = 0;
        var digits = 0;
        var fractionDigits = -1;
        while ((uint)q < (uint)json.Length)
        {
            var c = json[q];
            var d = (uint)(c - '0');
            if (d <= 9)
            {
                mantissa = (mantissa * 10) + d;
                digits++;
                if (fractionDigits >= 0)
                {
                    fractionDigits++;
                }
            }
            else if (c == (byte)'.' && fractionDigits < 0 && digits > 0)
            {
                fractionDigits = 0;
            }
            else if (c == (byte)'"')
            {
                break;
            }
            else
            {
                return false;
            }

            q++;
        }

        if ((uint)q >= (uint)json.Length || digits == 0 || digits > 18 || fractionDigits == 0 || fractionDigits > FixedPoint.Decimals)
        {
            return false;
        }

        var scale = ScaleFor(fractionDigits < 0 ? 0 : fractionDigits);
        if (mantissa > (ulong)long.MaxValue / scale)
        {
            return false;
        }

        var units = (long)(mantissa * scale);
        value = negative ? -units : units;
        p = q + 1;
        return true;
    }

    /// <summary>10^(8 - fractionDigits): the factor that brings a mantissa with that many decimals to 10⁻⁸ units.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong ScaleFor(int fractionDigits) => fractionDigits switch
    {
        0 => 100_000_000,
        1 => 10_000_000,
        2 => 1_000_000,
        3 => 100_000,
        4 => 10_000,
        5 => 1_000,
        6 => 100,
        7 => 10,
        _ => 1,
    };

    private static DecodeErrorCode MapStatus(FixedPointParseStatus status) => status switch
    {
        FixedPointParseStatus.TooManyDecimals => DecodeErrorCode.TooManyDecimals,
        FixedPointParseStatus.Overflow => DecodeErrorCode.NumberOutOfRange,
        _ => DecodeErrorCode.InvalidNumber,
    };

    private struct ValueToken
    {
        public int Offset;
        public int Start;
        public int Length;
        public TokenType Type;
    }

    private enum TokenType : byte
    {
        None = 0,
        String,
        Number,
        True,
        False,
        Null,
        Object,
        Array,
    }
}
