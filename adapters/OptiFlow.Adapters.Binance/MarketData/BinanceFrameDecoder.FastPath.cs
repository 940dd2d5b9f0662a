using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.MarketData;

/// <content>
/// Single-pass fast path for the compact frames Binance actually sends: each value is converted while it is scanned,
/// straight into the slot or the level buffer, with no token table and no second pass.
/// </content>
/// <remarks>
/// <para>Speculative: it accepts only a strict subset of what the general path accepts and returns false at the first
/// byte outside that subset, and <see cref="Decode"/> then decodes the frame again from the start with the general
/// path. The subset is chosen so that whenever the fast path succeeds the general path would have produced the very
/// same outcome, slot, levels and counters; every error is therefore reported by the general path alone, with its
/// code and offset. The subset:</para>
/// <list type="bullet">
/// <item>no whitespace anywhere, and nothing after the closing brace;</item>
/// <item>a bare payload, or the combined-stream wrapper with exactly the keys <c>stream</c> and <c>data</c> (either order);</item>
/// <item>a payload that starts with <c>"e":"bookTicker"</c>, <c>"depthUpdate"</c>, <c>"trade"</c> or <c>"aggTrade"</c>, or
/// with <c>"u":</c> (a bookTicker: spot has no <c>e</c>, binance.md §2.5; COIN-M sends it after <c>u</c>); then only the keys that payload defines (binance.md §2.4–2.7),
/// each at most once, with every key the decoder requires present; on depth diffs the bids before the asks;</item>
/// <item>strings with no escape, no control character and no byte of 0x80 or more;</item>
/// <item>integers of 1 to 18 digits without sign, fraction, exponent or leading zero (so they cannot overflow);</item>
/// <item>prices and quantities as quoted decimals without sign, of 1 to 18 digits with 1 to 8 decimals after a point
/// that has a digit on each side, whose value fits a <see cref="long"/> at the 10⁻⁸ scale; every price positive, and
/// every quantity positive except a depth diff level's (zero removes the level);</item>
/// <item>a wrapper whose stream name agrees with the payload's symbol (<see cref="DecodeErrorCode.StreamSymbolMismatch"/>:
/// two short spans compared ASCII case-insensitively).</item>
/// </list>
/// <para>Within the subset, bookTicker, depthUpdate and trade in Binance's own key order are matched by straight-line
/// code (each key compared as a constant, no dispatch; measured about 20 % faster on bookTicker than the key loop when
/// the JIT has no profile, as here: <c>TieredCompilationQuickJitForLoops</c> is off). Any other key order takes the
/// key loop, still in one pass.</para>
/// </remarks>
public sealed partial class BinanceFrameDecoder
{
    private const int FastNone = 0;
    private const int FastBookTicker = 1;
    private const int FastDepth = 2;
    private const int FastTrade = 3;
    private const int FastAggTrade = 4;

    private const uint BookTickerKeys = (1u << Field.EventType) | (1u << Field.EventTime) | (1u << Field.TransactionTime)
        | (1u << Field.Symbol) | (1u << Field.FinalUpdateId) | (1u << Field.BidLevels) | (1u << Field.BidQuantity)
        | (1u << Field.AskLevels) | (1u << Field.AskQuantity) | (1u << Field.Pair);

    private const uint BookTickerRequired = (1u << Field.Symbol) | (1u << Field.FinalUpdateId) | (1u << Field.BidLevels)
        | (1u << Field.BidQuantity) | (1u << Field.AskLevels) | (1u << Field.AskQuantity);

    private const uint DepthKeys = (1u << Field.EventType) | (1u << Field.EventTime) | (1u << Field.TransactionTime)
        | (1u << Field.Symbol) | (1u << Field.FirstUpdateId) | (1u << Field.FinalUpdateId)
        | (1u << Field.PreviousFinalUpdateId) | (1u << Field.BidLevels) | (1u << Field.AskLevels) | (1u << Field.Pair);

    private const uint DepthRequired = (1u << Field.Symbol) | (1u << Field.FirstUpdateId) | (1u << Field.FinalUpdateId)
        | (1u << Field.BidLevels) | (1u << Field.AskLevels);

    private const uint TradeKeys = (1u << Field.EventType) | (1u << Field.EventTime) | (1u << Field.TransactionTime)
        | (1u << Field.Symbol) | (1u << Field.TradeId) | (1u << Field.Price) | (1u << Field.Quantity)
        | (1u << Field.BuyerIsMaker) | (1u << Field.BidLevels) | (1u << Field.AskLevels)
        | (1u << Field.IgnoreFlag) | (1u << Field.ExecutionType);

    private const uint TradeRequired = (1u << Field.Symbol) | (1u << Field.TradeId) | (1u << Field.Price)
        | (1u << Field.Quantity) | (1u << Field.BuyerIsMaker);

    private const uint AggTradeKeys = (1u << Field.EventType) | (1u << Field.EventTime) | (1u << Field.TransactionTime)
        | (1u << Field.Symbol) | (1u << Field.AskLevels) | (1u << Field.FirstTradeId) | (1u << Field.LastTradeId)
        | (1u << Field.Price) | (1u << Field.Quantity) | (1u << Field.BuyerIsMaker) | (1u << Field.IgnoreFlag)
        | (1u << Field.NormalQuantity);

    private const uint AggTradeRequired = (1u << Field.Symbol) | (1u << Field.AskLevels) | (1u << Field.FirstTradeId)
        | (1u << Field.LastTradeId) | (1u << Field.Price) | (1u << Field.Quantity) | (1u << Field.BuyerIsMaker);

    private static readonly long[] FastScale = [100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1];
    private static readonly long[] Pow10Digits = [1, 10, 100, 1_000, 10_000, 100_000, 1_000_000, 10_000_000, 100_000_000];

    private readonly byte[] _cachedSymbol = new byte[SymbolTable.MaxSymbolLength];
    private int _cachedSymbolLength = -1;
    private int _cachedSymbolId = -1;

    /// <summary>Whether <see cref="Decode"/> tries the single-pass fast path first (tests turn it off to compare both paths).</summary>
    internal bool FastPathEnabled { get; set; } = true;

    /// <summary>Frames decoded by the fast path since construction (for tests and diagnostics).</summary>
    internal long FastPathFrames { get; private set; }

    /// <summary>
    /// Decodes a frame of the fast-path subset (see the remarks of this part) into <paramref name="slot"/> and
    /// <paramref name="levels"/>, which must be freshly reset; false as soon as the frame leaves the subset (the slot
    /// and levels are then partly written and must be reset again).
    /// </summary>
    private bool TryDecodeFast(ReadOnlySpan<byte> json, ref MarketEvent slot, DepthLevelBuffer levels, out FrameOutcome outcome)
    {
        outcome = FrameOutcome.Error;
        int p;
        int kind;
        var streamStart = -1;
        var streamEnd = -1;
        if (json.StartsWith("{\"stream\":\""u8))
        {
            p = SkipFastString(json, 11);
            if (p < 0 || !json[p..].StartsWith(",\"data\":"u8))
            {
                return false;
            }

            streamStart = 11;
            streamEnd = p - 1;
            p = FastPayload(json, p + 8, ref slot, levels, out kind);
            if (p < 0 || p != json.Length - 1 || json[p] != (byte)'}')
            {
                return false;
            }
        }
        else if (json.StartsWith("{\"data\":"u8))
        {
            p = FastPayload(json, 8, ref slot, levels, out kind);
            if (p < 0 || !json[p..].StartsWith(",\"stream\":\""u8))
            {
                return false;
            }

            streamStart = p + 11;
            p = SkipFastString(json, streamStart);
            if (p < 0 || p != json.Length - 1 || json[p] != (byte)'}')
            {
                return false;
            }

            streamEnd = p - 1;
        }
        else
        {
            p = FastPayload(json, 0, ref slot, levels, out kind);
            if (p != json.Length)
            {
                return false;
            }
        }

        // A frame on another symbol's stream, or with a value the general path must judge (a zero price, a zero
        // quantity outside a diff; the subset has no sign, so nothing negative gets here), leaves the subset: the
        // general path reports it (StreamSymbolMismatch, NonPositivePrice, ZeroQuantity) or accepts an empty
        // bookTicker side.
        if (streamStart >= 0 && !StreamNamesSymbol(json[streamStart..streamEnd], slot.SymbolId))
        {
            return false;
        }

        if (kind == FastBookTicker
            ? slot.BidPrice == 0 || slot.BidQuantity == 0 || slot.AskPrice == 0 || slot.AskQuantity == 0
            : kind != FastDepth && (slot.Price == 0 || slot.Quantity == 0))
        {
            return false;
        }

        if (kind == FastDepth)
        {
            slot.Kind = MarketEventKind.DepthLevel;
            slot.LevelCount = levels.Count;
            if (levels.Count == 0)
            {
                slot.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;
            }

            outcome = FrameOutcome.Levels;
        }
        else
        {
            slot.Kind = kind switch
            {
                FastBookTicker => MarketEventKind.BookTicker,
                FastTrade => MarketEventKind.Trade,
                _ => MarketEventKind.AggTrade,
            };
            slot.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
            outcome = FrameOutcome.Event;
        }

        FastPathFrames++;
        return true;
    }

    /// <summary>Parses a payload object starting at <paramref name="p"/>; returns the index after its closing brace, or -1.</summary>
    private int FastPayload(ReadOnlySpan<byte> json, int p, ref MarketEvent slot, DepthLevelBuffer levels, out int kind)
    {
        kind = FastNone;
        uint allowed;
        uint required;
        uint seen;
        var first = false;
        var rest = json[p..];
        if (rest.StartsWith("{\"e\":\""u8))
        {
            p += 6;
            var end = SkipFastString(json, p);
            if (end < 0)
            {
                return -1;
            }

            var name = json.Slice(p, end - p - 1);
            (kind, allowed, required) = name.Length switch
            {
                10 when name.SequenceEqual("bookTicker"u8) => (FastBookTicker, BookTickerKeys, BookTickerRequired),
                11 when name.SequenceEqual("depthUpdate"u8) => (FastDepth, DepthKeys,
                    _market == Market.Futures ? DepthRequired | (1u << Field.PreviousFinalUpdateId) : DepthRequired),
                5 when name.SequenceEqual("trade"u8) => (FastTrade, TradeKeys, TradeRequired),
                8 when name.SequenceEqual("aggTrade"u8) => (FastAggTrade, AggTradeKeys, AggTradeRequired),
                _ => (FastNone, 0u, 0u),
            };
            if (kind == FastNone)
            {
                return -1;
            }

            // Binance's own key order first: straight-line code, no key dispatch. Any other order takes the loop below.
            var canonical = kind switch
            {
                FastBookTicker => CanonicalBookTicker(json, end, ref slot),
                FastDepth => CanonicalDepth(json, end, ref slot, levels),
                FastTrade => CanonicalTrade(json, end, ref slot),
                _ => -1,
            };
            if (canonical >= 0)
            {
                return canonical;
            }

            slot = default;
            slot.Market = _market;
            slot.SymbolId = -1;
            levels.Clear();
            seen = 1u << Field.EventType;
            p = end;
        }
        else if (rest.StartsWith("{\"u\":"u8))
        {
            // Spot bookTicker has no "e" (binance.md §2.5); COIN-M sends "u" first and "e" after it. With b, B, a and A
            // all present the general path classifies either as a bookTicker whatever the stream name says.
            kind = FastBookTicker;
            allowed = BookTickerKeys;
            required = BookTickerRequired;
            seen = 0;
            first = true;
            p++;
        }
        else
        {
            return -1;
        }

        while (true)
        {
            if (!first)
            {
                var c = At(json, p);
                if (c == (byte)'}')
                {
                    return (seen & required) == required ? p + 1 : -1;
                }

                if (c != (byte)',')
                {
                    return -1;
                }

                p++;
            }

            first = false;
            if ((uint)(p + 4) >= (uint)json.Length || json[p] != (byte)'"')
            {
                return -1;
            }

            int field;
            if (json[p + 2] == (byte)'"' && json[p + 3] == (byte)':')
            {
                field = FastField1(json[p + 1]);
                p += 4;
            }
            else if (json[p + 3] == (byte)'"' && json[p + 4] == (byte)':')
            {
                field = FastField2(json[p + 1], json[p + 2]);
                p += 5;
            }
            else
            {
                return -1;
            }

            var bit = 1u << field; // field is -1 (unknown) → bit 31, never allowed
            if ((allowed & bit) == 0 || (seen & bit) != 0)
            {
                return -1;
            }

            seen |= bit;
            switch (field)
            {
                case Field.EventType: // only after "u": it must name the bookTicker
                    p = json[p..].StartsWith("\"bookTicker\""u8) ? p + 12 : -1;
                    break;
                case Field.EventTime:
                    p = FastInteger(json, p, out slot.EventTimeMs);
                    break;
                case Field.TransactionTime:
                    p = FastInteger(json, p, out slot.TransactionTimeMs);
                    break;
                case Field.FirstUpdateId:
                    p = FastInteger(json, p, out slot.FirstUpdateId);
                    break;
                case Field.FinalUpdateId:
                    p = FastInteger(json, p, out slot.FinalUpdateId);
                    break;
                case Field.PreviousFinalUpdateId:
                    p = FastInteger(json, p, out slot.PreviousFinalUpdateId);
                    slot.Flags |= MarketEventFlags.HasPreviousFinalUpdateId;
                    break;
                case Field.TradeId:
                    p = FastInteger(json, p, out slot.TradeId);
                    break;
                case Field.FirstTradeId:
                    p = FastInteger(json, p, out slot.FirstTradeId);
                    break;
                case Field.LastTradeId:
                    p = FastInteger(json, p, out slot.LastTradeId);
                    break;
                case Field.Symbol:
                    p = FastSymbol(json, p, ref slot);
                    break;
                case Field.Price:
                    p = FastDecimal(json, p, out slot.Price);
                    break;
                case Field.Quantity:
                    p = FastDecimal(json, p, out slot.Quantity);
                    break;
                case Field.BidQuantity:
                    p = FastDecimal(json, p, out slot.BidQuantity);
                    break;
                case Field.AskQuantity:
                    p = FastDecimal(json, p, out slot.AskQuantity);
                    break;
                case Field.BidLevels:
                    p = kind switch
                    {
                        FastBookTicker => FastDecimal(json, p, out slot.BidPrice),
                        FastDepth => FastLevels(json, p, levels, BookSide.Bid),
                        _ => FastInteger(json, p, out _), // a 2023 spot trade's buyer order id: not carried
                    };
                    break;
                case Field.AskLevels:
                    p = kind switch
                    {
                        FastBookTicker => FastDecimal(json, p, out slot.AskPrice),
                        FastDepth when (seen & (1u << Field.BidLevels)) != 0 => FastLevels(json, p, levels, BookSide.Ask),
                        FastAggTrade => FastInteger(json, p, out slot.TradeId),
                        FastTrade => FastInteger(json, p, out _), // a 2023 spot trade's seller order id: not carried
                        _ => -1, // asks before bids: the general path reorders them
                    };
                    break;
                case Field.BuyerIsMaker:
                    p = FastBoolean(json, p, ref slot);
                    break;
                case Field.ExecutionType: // only trade frames allow X
                    p = FastExecutionType(json, p, ref slot);
                    break;
                default: // a tolerated key (M, nq, ps): a string or a boolean, not carried
                    p = SkipFastScalar(json, p);
                    break;
            }

            if (p < 0)
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// USDⓈ-M bookTicker in Binance's key order (binance.md §2.5): <c>,"u":…,"s":…,"b":…,"B":…,"a":…,"A":…</c>, then
    /// <c>,"T":…</c> and <c>,"E":…</c> when present, and the closing brace. <paramref name="p"/> is just after the
    /// event name; returns the index after the brace, or -1 (the slot is then partly written).
    /// </summary>
    private int CanonicalBookTicker(ReadOnlySpan<byte> json, int p, ref MarketEvent slot)
    {
        if ((p = Key(json, p, ",\"u\":"u8)) < 0 || (p = FastInteger(json, p, out slot.FinalUpdateId)) < 0
            || (p = Key(json, p, ",\"s\":"u8)) < 0 || (p = FastSymbol(json, p, ref slot)) < 0
            || (p = Key(json, p, ",\"b\":"u8)) < 0 || (p = FastDecimal(json, p, out slot.BidPrice)) < 0
            || (p = Key(json, p, ",\"B\":"u8)) < 0 || (p = FastDecimal(json, p, out slot.BidQuantity)) < 0
            || (p = Key(json, p, ",\"a\":"u8)) < 0 || (p = FastDecimal(json, p, out slot.AskPrice)) < 0
            || (p = Key(json, p, ",\"A\":"u8)) < 0 || (p = FastDecimal(json, p, out slot.AskQuantity)) < 0)
        {
            return -1;
        }

        return CanonicalTimesAndEnd(json, p, ref slot);
    }

    /// <summary>
    /// depthUpdate in Binance's key order (binance.md §2.4): <c>,"E":…</c>, <c>,"T":…</c> (futures), <c>,"s":…</c>,
    /// <c>,"U":…,"u":…</c>, <c>,"pu":…</c> (futures), <c>,"b":[…],"a":[…]</c> and the closing brace; -1 otherwise.
    /// </summary>
    private int CanonicalDepth(ReadOnlySpan<byte> json, int p, ref MarketEvent slot, DepthLevelBuffer levels)
    {
        if ((p = Key(json, p, ",\"E\":"u8)) < 0 || (p = FastInteger(json, p, out slot.EventTimeMs)) < 0)
        {
            return -1;
        }

        var q = Key(json, p, ",\"T\":"u8);
        if (q >= 0 && (p = FastInteger(json, q, out slot.TransactionTimeMs)) < 0)
        {
            return -1;
        }

        if ((p = Key(json, p, ",\"s\":"u8)) < 0 || (p = FastSymbol(json, p, ref slot)) < 0
            || (p = Key(json, p, ",\"U\":"u8)) < 0 || (p = FastInteger(json, p, out slot.FirstUpdateId)) < 0
            || (p = Key(json, p, ",\"u\":"u8)) < 0 || (p = FastInteger(json, p, out slot.FinalUpdateId)) < 0)
        {
            return -1;
        }

        q = Key(json, p, ",\"pu\":"u8);
        if (q >= 0)
        {
            if ((p = FastInteger(json, q, out slot.PreviousFinalUpdateId)) < 0)
            {
                return -1;
            }

            slot.Flags |= MarketEventFlags.HasPreviousFinalUpdateId;
        }
        else if (_market == Market.Futures)
        {
            return -1; // the general path reports the missing pu
        }

        if ((p = Key(json, p, ",\"b\":"u8)) < 0 || (p = FastLevels(json, p, levels, BookSide.Bid)) < 0
            || (p = Key(json, p, ",\"a\":"u8)) < 0 || (p = FastLevels(json, p, levels, BookSide.Ask)) < 0
            || At(json, p) != (byte)'}')
        {
            return -1;
        }

        return p + 1;
    }

    /// <summary>
    /// USDⓈ-M trade in Binance's key order (binance.md §2.6): <c>,"E":…,"T":…,"s":…,"t":…,"p":…,"q":…,"X":"…","m":…</c>
    /// and the closing brace; -1 otherwise.
    /// </summary>
    private int CanonicalTrade(ReadOnlySpan<byte> json, int p, ref MarketEvent slot)
    {
        if ((p = Key(json, p, ",\"E\":"u8)) < 0 || (p = FastInteger(json, p, out slot.EventTimeMs)) < 0
            || (p = Key(json, p, ",\"T\":"u8)) < 0 || (p = FastInteger(json, p, out slot.TransactionTimeMs)) < 0
            || (p = Key(json, p, ",\"s\":"u8)) < 0 || (p = FastSymbol(json, p, ref slot)) < 0
            || (p = Key(json, p, ",\"t\":"u8)) < 0 || (p = FastInteger(json, p, out slot.TradeId)) < 0
            || (p = Key(json, p, ",\"p\":"u8)) < 0 || (p = FastDecimal(json, p, out slot.Price)) < 0
            || (p = Key(json, p, ",\"q\":"u8)) < 0 || (p = FastDecimal(json, p, out slot.Quantity)) < 0
            || (p = Key(json, p, ",\"X\":"u8)) < 0 || (p = FastExecutionType(json, p, ref slot)) < 0
            || (p = Key(json, p, ",\"m\":"u8)) < 0 || (p = FastBoolean(json, p, ref slot)) < 0
            || At(json, p) != (byte)'}')
        {
            return -1;
        }

        return p + 1;
    }

    /// <summary>The optional <c>,"T":…</c> and <c>,"E":…</c> that end a futures bookTicker, then the closing brace.</summary>
    private static int CanonicalTimesAndEnd(ReadOnlySpan<byte> json, int p, ref MarketEvent slot)
    {
        var q = Key(json, p, ",\"T\":"u8);
        if (q >= 0 && (p = FastInteger(json, q, out slot.TransactionTimeMs)) < 0)
        {
            return -1;
        }

        q = Key(json, p, ",\"E\":"u8);
        if (q >= 0 && (p = FastInteger(json, q, out slot.EventTimeMs)) < 0)
        {
            return -1;
        }

        return At(json, p) == (byte)'}' ? p + 1 : -1;
    }

    /// <summary>The index after <paramref name="expected"/> when the input holds it at <paramref name="p"/>, else -1.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int Key(ReadOnlySpan<byte> json, int p, ReadOnlySpan<byte> expected) =>
        (uint)p <= (uint)json.Length && json[p..].StartsWith(expected) ? p + expected.Length : -1;

    /// <summary>Field id of a one-byte key the fast path may meet; -1 for any other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FastField1(byte key) => key switch
    {
        (byte)'e' => Field.EventType,
        (byte)'E' => Field.EventTime,
        (byte)'T' => Field.TransactionTime,
        (byte)'s' => Field.Symbol,
        (byte)'U' => Field.FirstUpdateId,
        (byte)'u' => Field.FinalUpdateId,
        (byte)'b' => Field.BidLevels,
        (byte)'B' => Field.BidQuantity,
        (byte)'a' => Field.AskLevels,
        (byte)'A' => Field.AskQuantity,
        (byte)'p' => Field.Price,
        (byte)'q' => Field.Quantity,
        (byte)'t' => Field.TradeId,
        (byte)'f' => Field.FirstTradeId,
        (byte)'l' => Field.LastTradeId,
        (byte)'m' => Field.BuyerIsMaker,
        (byte)'M' => Field.IgnoreFlag,
        (byte)'X' => Field.ExecutionType,
        _ => -1,
    };

    /// <summary>Field id of a two-byte key the fast path may meet (<c>pu</c>, <c>nq</c>, <c>ps</c>); -1 for any other.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FastField2(byte first, byte second) => (first, second) switch
    {
        ((byte)'p', (byte)'u') => Field.PreviousFinalUpdateId,
        ((byte)'n', (byte)'q') => Field.NormalQuantity,
        ((byte)'p', (byte)'s') => Field.Pair,
        _ => -1,
    };

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static byte At(ReadOnlySpan<byte> json, int p) => (uint)p < (uint)json.Length ? json[p] : (byte)0;

    /// <summary>
    /// Skips string content starting at <paramref name="p"/> (just after the opening quote); returns the index after the
    /// closing quote, or -1 at a backslash, a control character, a byte of 0x80 or more, or the end of the input.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int SkipFastString(ReadOnlySpan<byte> json, int p)
    {
        if ((uint)p > (uint)json.Length)
        {
            return -1;
        }

        var rest = json[p..];
        var q = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (q < 0 || rest[q] != (byte)'"' || rest[..q].ContainsAnyExceptInRange((byte)0x20, (byte)0x7E))
        {
            return -1;
        }

        return p + q + 1;
    }

    /// <summary>
    /// A futures trade's execution type <c>X</c> at <paramref name="p"/> (its opening quote): a plain string; anything
    /// but <c>MARKET</c> sets <see cref="MarketEventFlags.NonMarketTrade"/>. Returns the index after the closing quote,
    /// or -1 (not a plain string: the general path reports it).
    /// </summary>
    private static int FastExecutionType(ReadOnlySpan<byte> json, int p, ref MarketEvent slot)
    {
        if (At(json, p) != (byte)'"')
        {
            return -1;
        }

        var end = SkipFastString(json, p + 1);
        if (end < 0)
        {
            return -1;
        }

        if (!json[(p + 1)..(end - 1)].SequenceEqual("MARKET"u8))
        {
            slot.Flags |= MarketEventFlags.NonMarketTrade;
        }

        return end;
    }

    /// <summary>A tolerated scalar: a plain string, <c>true</c> or <c>false</c>.</summary>
    private static int SkipFastScalar(ReadOnlySpan<byte> json, int p)
    {
        var c = At(json, p);
        if (c == (byte)'"')
        {
            return SkipFastString(json, p + 1);
        }

        var rest = json[p..];
        return rest.StartsWith("true"u8) ? p + 4 : rest.StartsWith("false"u8) ? p + 5 : -1;
    }

    private static int FastBoolean(ReadOnlySpan<byte> json, int p, ref MarketEvent slot)
    {
        var rest = json[p..];
        if (rest.StartsWith("true"u8))
        {
            slot.Flags |= MarketEventFlags.BuyerIsMaker;
            return p + 4;
        }

        return rest.StartsWith("false"u8) ? p + 5 : -1;
    }

    /// <summary>
    /// A JSON integer of 1 to 18 digits (no sign, no leading zero) followed by <c>,</c> or <c>}</c>; returns the index
    /// of that delimiter, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FastInteger(ReadOnlySpan<byte> json, int p, out long value)
    {
        value = 0;
        var start = p;
        var length = ReadDigits(json, ref p, out var magnitude);
        if ((uint)(length - 1) >= 18 || (json[start] == (byte)'0' && length > 1))
        {
            return -1;
        }

        var next = At(json, p);
        if (next != (byte)',' && next != (byte)'}')
        {
            return -1;
        }

        value = (long)magnitude;
        return p;
    }

    /// <summary>
    /// Reads the run of ASCII digits at <paramref name="p"/> (advancing it past them) eight bytes at a time (SWAR: one
    /// unaligned 64-bit load finds the first non-digit and converts up to eight digits with three multiplications);
    /// the last bytes of the input, where eight cannot be loaded, one at a time. Returns the number of digits; the
    /// value is exact for up to 19 digits (callers reject more).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ReadDigits(ReadOnlySpan<byte> json, ref int p, out ulong value)
    {
        const ulong Zeros = 0x3030303030303030;
        var start = p;
        ulong result = 0;
        ref var first = ref MemoryMarshal.GetReference(json);
        while (p <= json.Length - sizeof(ulong))
        {
            var word = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref first, p));

            // A byte is a digit when its high nibble is 3 and its low nibble at most 9; no carry crosses bytes.
            var nonDigit = ((word & 0xF0F0F0F0F0F0F0F0) ^ Zeros) | (((word & 0x0F0F0F0F0F0F0F0F) + 0x0606060606060606) & 0xF0F0F0F0F0F0F0F0);
            var count = BitOperations.TrailingZeroCount(nonDigit) >> 3; // 8 when all eight are digits
            if (count == 0)
            {
                value = result;
                return p - start;
            }

            // Little-endian: the first character is the low byte. Shifting left drops the bytes after the run and
            // puts zeros (leading zero digits) in front of it.
            var digits = (word - Zeros) << ((sizeof(ulong) - count) * 8 & 63);
            result = (result * (ulong)Pow10Digits[count]) + EightDigits(digits);
            p += count;
            if (count < sizeof(ulong))
            {
                value = result;
                return p - start;
            }
        }

        uint digit;
        while ((uint)p < (uint)json.Length && (digit = (uint)(json[p] - '0')) <= 9)
        {
            result = (result * 10) + digit;
            p++;
        }

        value = result;
        return p - start;
    }

    /// <summary>Eight digit values 0–9, one per byte, the most significant in the low byte: their decimal value.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong EightDigits(ulong digits)
    {
        digits = (digits * 10) + (digits >> 8);                       // pairs: d0*10+d1 in bytes 0, 2, 4, 6
        digits = (((digits & 0x000000FF000000FF) * (100 + (1_000_000UL << 32)))
            + (((digits >> 16) & 0x000000FF000000FF) * (1 + (10_000UL << 32)))) >> 32;
        return digits & 0xFFFFFFFF;
    }

    /// <summary>
    /// A quoted decimal starting at the opening quote at <paramref name="p"/>: 1 to 18 digits, optionally a point with
    /// 1 to 8 digits after it, scaled to 10⁻⁸ units; returns the index after the closing quote, or -1.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int FastDecimal(ReadOnlySpan<byte> json, int p, out long value)
    {
        value = 0;
        if (At(json, p) != (byte)'"')
        {
            return -1;
        }

        // Prices and quantities are short (3 to 8 digits each side of the point): one digit at a time beats SWAR here.
        p++;
        var start = p;
        ulong mantissa = 0;
        uint digit;
        while ((uint)p < (uint)json.Length && (digit = (uint)(json[p] - '0')) <= 9)
        {
            mantissa = (mantissa * 10) + digit;
            p++;
        }

        var integerDigits = p - start;
        var fractionDigits = 0;
        if (At(json, p) == (byte)'.')
        {
            p++;
            var fractionStart = p;
            while ((uint)p < (uint)json.Length && (digit = (uint)(json[p] - '0')) <= 9)
            {
                mantissa = (mantissa * 10) + digit;
                p++;
            }

            fractionDigits = p - fractionStart;
            if ((uint)(fractionDigits - 1) >= FixedPoint.Decimals)
            {
                return -1;
            }
        }

        if (integerDigits == 0 || integerDigits + fractionDigits > 18 || At(json, p) != (byte)'"')
        {
            return -1;
        }

        var scale = FastScale[fractionDigits];
        if (mantissa > (ulong)(long.MaxValue / scale))
        {
            return -1;
        }

        value = (long)mantissa * scale;
        return p + 1;
    }

    /// <summary><c>[["price","qty"],…]</c> of one side, straight into the level buffer; returns the index after the closing bracket, or -1.</summary>
    private static int FastLevels(ReadOnlySpan<byte> json, int p, DepthLevelBuffer levels, BookSide side)
    {
        if (At(json, p) != (byte)'[')
        {
            return -1;
        }

        p++;
        if (At(json, p) == (byte)']')
        {
            return p + 1;
        }

        while (true)
        {
            if (At(json, p) != (byte)'[')
            {
                return -1;
            }

            p = FastDecimal(json, p + 1, out var price);
            if (p < 0 || At(json, p) != (byte)',')
            {
                return -1;
            }

            p = FastDecimal(json, p + 1, out var quantity);
            if (p < 0 || At(json, p) != (byte)']' || price == 0)
            {
                return -1; // a zero price leaves the subset: the general path reports NonPositivePrice
            }

            levels.Add(price, quantity, side);
            var c = At(json, p + 1);
            p += 2;
            if (c == (byte)']')
            {
                return p;
            }

            if (c != (byte)',')
            {
                return -1;
            }
        }
    }

    /// <summary>
    /// A plain symbol string at the opening quote at <paramref name="p"/>, found in the table; -1 otherwise (the general
    /// path then reports an unknown symbol, or whatever error comes first, with its offset).
    /// </summary>
    private int FastSymbol(ReadOnlySpan<byte> json, int p, ref MarketEvent slot)
    {
        if (At(json, p) != (byte)'"')
        {
            return -1;
        }

        var end = SkipFastString(json, p + 1);
        if (end < 0 || !TryLookUpSymbol(json.Slice(p + 1, end - p - 2), out slot.SymbolId))
        {
            return -1;
        }

        return end;
    }

    /// <summary>
    /// The symbol's id through a one-entry cache of the last symbol's exact bytes (ids never change in a frozen table, so
    /// a hit is always right), else <see cref="SymbolTable.TryGet"/>. Never adds: the table is frozen. Allocation-free.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool TryLookUpSymbol(ReadOnlySpan<byte> name, out int symbolId)
    {
        if (name.Length == _cachedSymbolLength && name.SequenceEqual(_cachedSymbol.AsSpan(0, name.Length)))
        {
            symbolId = _cachedSymbolId;
            return true;
        }

        return LookUpSymbolSlow(name, out symbolId);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private bool LookUpSymbolSlow(ReadOnlySpan<byte> name, out int symbolId)
    {
        if (!_symbols.TryGet(name, out symbolId))
        {
            return false;
        }

        name.CopyTo(_cachedSymbol); // the table holds at most MaxSymbolLength bytes: it fits
        _cachedSymbolLength = name.Length;
        _cachedSymbolId = symbolId;
        return true;
    }
}
