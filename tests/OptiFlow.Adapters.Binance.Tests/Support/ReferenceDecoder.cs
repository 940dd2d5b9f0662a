using System.Globalization;
using System.Text;
using System.Text.Json;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Tests.Support;

/// <summary>One decoded level, for comparisons.</summary>
internal readonly record struct Level(long Price, long Quantity, BookSide Side);

/// <summary>What the reference decoder produced.</summary>
internal sealed class ReferenceResult
{
    public FrameOutcome Outcome { get; init; }

    public MarketEvent Slot;

    public List<Level> Levels { get; } = [];

    public string? Error { get; init; }
}

/// <summary>
/// A deliberately simple, independent decoder built on <see cref="Utf8JsonReader"/>: strings, dictionaries and
/// <see cref="decimal"/> arithmetic. It implements the same rules as <see cref="BinanceFrameDecoder"/> (see its remarks)
/// so the two can be compared frame by frame. Not for production: it allocates freely.
/// </summary>
internal sealed class ReferenceDecoder(Market market, SymbolTable symbols)
{
    /// <summary>Public-stream event types that are valid but not decoded (kept apart from the decoder's own list on purpose).</summary>
    private static readonly HashSet<string> SkippedEvents = new(StringComparer.Ordinal)
    {
        "kline", "continuous_kline", "24hrTicker", "24hrMiniTicker", "1hTicker", "4hTicker", "1dTicker", "avgPrice", "forceOrder",
        "compositeIndex", "contractInfo", "assetIndexUpdate", "indexPriceUpdate", "indexPriceKline", "markPriceKline",
        "serverShutdown", "eventStreamTerminated", "listenKeyExpired",
    };

    private sealed class Token
    {
        public JsonTokenType Type;
        public string Text = "";
        public List<Level>? Levels;
    }

    public ReferenceResult Decode(ReadOnlySpan<byte> frame, int symbolHint)
    {
        try
        {
            return DecodeCore(frame, symbolHint);
        }
        catch (JsonException e)
        {
            return new ReferenceResult { Outcome = FrameOutcome.Error, Error = "json: " + e.Message };
        }
        catch (FormatException e)
        {
            return new ReferenceResult { Outcome = FrameOutcome.Error, Error = "format: " + e.Message };
        }
        catch (OverflowException e)
        {
            return new ReferenceResult { Outcome = FrameOutcome.Error, Error = "overflow: " + e.Message };
        }
        catch (InvalidOperationException e)
        {
            // GetString on invalid UTF-8 ("Cannot transcode invalid UTF-8").
            return new ReferenceResult { Outcome = FrameOutcome.Error, Error = "utf8: " + e.Message };
        }
    }

    private ReferenceResult DecodeCore(ReadOnlySpan<byte> frame, int symbolHint)
    {
        var reader = new Utf8JsonReader(frame, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Disallow });
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            throw new FormatException("not an object");
        }

        var fields = new Dictionary<string, Token>(StringComparer.Ordinal);
        var wrapped = false;
        string? stream = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            reader.Read();
            if (name == "data" && reader.TokenType == JsonTokenType.StartObject)
            {
                wrapped = true;
                while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                {
                    var inner = reader.GetString()!;
                    reader.Read();
                    fields[inner] = ReadValue(ref reader, inner);
                }
            }
            else if (name == "stream" && reader.TokenType == JsonTokenType.String)
            {
                stream = reader.GetString();
                fields[name] = ReadValue(ref reader, name);
            }
            else
            {
                fields[name] = ReadValue(ref reader, name);
            }
        }

        if (reader.Read())
        {
            throw new FormatException("trailing content");
        }

        MarketEventKind kind;
        if (fields.TryGetValue("e", out var e))
        {
            if (e.Type != JsonTokenType.String)
            {
                throw new FormatException("e type");
            }

            kind = e.Text switch
            {
                "depthUpdate" => MarketEventKind.DepthLevel,
                "bookTicker" => MarketEventKind.BookTicker,
                "trade" => MarketEventKind.Trade,
                "aggTrade" => MarketEventKind.AggTrade,
                "markPriceUpdate" => MarketEventKind.MarkPrice,
                _ when SkippedEvents.Contains(e.Text) => MarketEventKind.None,
                _ => throw new FormatException("unknown event type " + e.Text),
            };
        }
        else if (!wrapped && fields.ContainsKey("lastUpdateId"))
        {
            kind = MarketEventKind.SnapshotLevel;
        }
        else if ((stream is not null && stream.EndsWith("@bookTicker", StringComparison.Ordinal))
                 || (Scalar(fields, "b") && fields.ContainsKey("B") && Scalar(fields, "a") && fields.ContainsKey("A")))
        {
            kind = MarketEventKind.BookTicker;
        }
        else
        {
            kind = MarketEventKind.None;
        }

        var result = new ReferenceResult { Outcome = kind == MarketEventKind.None ? FrameOutcome.Ignored : kind is MarketEventKind.DepthLevel or MarketEventKind.SnapshotLevel ? FrameOutcome.Levels : FrameOutcome.Event };
        result.Slot.Market = market;
        result.Slot.SymbolId = -1;
        if (kind == MarketEventKind.None)
        {
            return result;
        }

        ref var slot = ref result.Slot;
        slot.Kind = kind;
        slot.EventTimeMs = OptionalInteger(fields, "E");
        slot.TransactionTimeMs = OptionalInteger(fields, "T");
        switch (kind)
        {
            case MarketEventKind.BookTicker:
                slot.SymbolId = Symbol(fields, "s");
                slot.FinalUpdateId = Integer(fields, "u");
                slot.BidPrice = Decimal8(fields, "b");
                slot.BidQuantity = Decimal8(fields, "B");
                slot.AskPrice = Decimal8(fields, "a");
                slot.AskQuantity = Decimal8(fields, "A");
                slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                break;
            case MarketEventKind.Trade:
            case MarketEventKind.AggTrade:
                slot.SymbolId = Symbol(fields, "s");
                if (kind == MarketEventKind.Trade)
                {
                    slot.TradeId = Integer(fields, "t");
                }
                else
                {
                    slot.TradeId = Integer(fields, "a");
                    slot.FirstTradeId = Integer(fields, "f");
                    slot.LastTradeId = Integer(fields, "l");
                }

                slot.Price = Decimal8(fields, "p");
                slot.Quantity = Decimal8(fields, "q");
                slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                var m = Get(fields, "m");
                slot.Flags |= m.Type switch
                {
                    JsonTokenType.True => MarketEventFlags.BuyerIsMaker,
                    JsonTokenType.False => MarketEventFlags.None,
                    _ => throw new FormatException("m type"),
                };
                if (kind == MarketEventKind.Trade && fields.TryGetValue("X", out var x))
                {
                    // A futures trade's execution type: anything but MARKET is flagged.
                    if (x.Type != JsonTokenType.String)
                    {
                        throw new FormatException("X type");
                    }

                    if (x.Text != "MARKET")
                    {
                        slot.Flags |= MarketEventFlags.NonMarketTrade;
                    }
                }

                break;
            case MarketEventKind.MarkPrice:
                slot.SymbolId = Symbol(fields, "s");
                slot.Price = Decimal8(fields, "p");
                slot.AskPrice = OptionalDecimal8(fields, "i");
                slot.AskQuantity = OptionalDecimal8(fields, "P");
                slot.Quantity = OptionalDecimal8(fields, "r");
                slot.Flags = MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
                break;
            case MarketEventKind.DepthLevel:
                slot.SymbolId = Symbol(fields, "s");
                slot.FirstUpdateId = Integer(fields, "U");
                slot.FinalUpdateId = Integer(fields, "u");
                if (fields.ContainsKey("pu"))
                {
                    slot.PreviousFinalUpdateId = Integer(fields, "pu");
                    slot.Flags |= MarketEventFlags.HasPreviousFinalUpdateId;
                }
                else if (market == Market.Futures)
                {
                    throw new FormatException("missing pu");
                }

                AddLevels(result, fields, "b", "a");
                break;
            default:
                slot.FinalUpdateId = Integer(fields, "lastUpdateId");
                AddLevels(result, fields, "bids", "asks");
                if (fields.ContainsKey("symbol"))
                {
                    slot.SymbolId = Symbol(fields, "symbol");
                }
                else if (symbolHint >= 0)
                {
                    slot.SymbolId = symbolHint;
                }
                else if (symbolHint == BinanceFrameDecoder.AmbiguousSymbolHint)
                {
                    throw new FormatException("ambiguous snapshot symbol");
                }
                else
                {
                    throw new FormatException("unknown snapshot symbol");
                }

                break;
        }

        if (kind != MarketEventKind.SnapshotLevel && wrapped && stream is not null && !StreamNamesSymbol(stream, fields["s"].Text))
        {
            throw new FormatException("stream names another symbol");
        }

        CheckValues(kind, slot, result.Levels);
        if (result.Outcome == FrameOutcome.Levels)
        {
            slot.LevelCount = result.Levels.Count;
            if (result.Levels.Count == 0)
            {
                slot.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage | MarketEventFlags.EmptyMessage;
            }
        }

        return result;
    }

    /// <summary>
    /// The stream-name rule, written independently: the text before the first '@' must equal the symbol, ignoring ASCII
    /// case only; no '@', or a name starting with '!' before its '@', names no symbol.
    /// </summary>
    private static bool StreamNamesSymbol(string stream, string symbol)
    {
        var at = stream.IndexOf('@', StringComparison.Ordinal);
        if (at < 0 || (at > 0 && stream[0] == '!'))
        {
            return true;
        }

        var prefix = stream[..at];
        if (prefix.Length != symbol.Length)
        {
            return false;
        }

        for (var i = 0; i < prefix.Length; i++)
        {
            if (AsciiLower(prefix[i]) != AsciiLower(symbol[i]))
            {
                return false;
            }
        }

        return true;

        static char AsciiLower(char c) => c is >= 'A' and <= 'Z' ? (char)(c + 32) : c;
    }

    /// <summary>The value rules of the decoder's remarks, in decimal terms.</summary>
    private static void CheckValues(MarketEventKind kind, MarketEvent slot, List<Level> levels)
    {
        switch (kind)
        {
            case MarketEventKind.BookTicker:
                CheckSide(slot.BidPrice, slot.BidQuantity);
                CheckSide(slot.AskPrice, slot.AskQuantity);
                break;
            case MarketEventKind.Trade:
            case MarketEventKind.AggTrade:
                if (slot.Price <= 0 || slot.Quantity <= 0)
                {
                    throw new FormatException("trade price or quantity not positive");
                }

                break;
            case MarketEventKind.DepthLevel:
            case MarketEventKind.SnapshotLevel:
                foreach (var level in levels)
                {
                    if (level.Price <= 0 || level.Quantity < 0 || (kind == MarketEventKind.SnapshotLevel && level.Quantity == 0))
                    {
                        throw new FormatException("level price or quantity out of range");
                    }
                }

                break;
        }

        static void CheckSide(long price, long quantity)
        {
            var empty = price == 0 && quantity == 0;
            if (!empty && (price <= 0 || quantity <= 0))
            {
                throw new FormatException("bookTicker side out of range");
            }
        }
    }

    private static bool Scalar(Dictionary<string, Token> fields, string name) =>
        fields.TryGetValue(name, out var t) && t.Levels is null;

    private static void AddLevels(ReferenceResult result, Dictionary<string, Token> fields, string bids, string asks)
    {
        var b = Get(fields, bids).Levels ?? throw new FormatException("bids type");
        var a = Get(fields, asks).Levels ?? throw new FormatException("asks type");
        result.Levels.AddRange(b);
        result.Levels.AddRange(a);
    }

    private static Token Get(Dictionary<string, Token> fields, string name) =>
        fields.TryGetValue(name, out var t) ? t : throw new FormatException("missing " + name);

    private int Symbol(Dictionary<string, Token> fields, string name)
    {
        var t = Get(fields, name);
        if (t.Type != JsonTokenType.String)
        {
            throw new FormatException("symbol type");
        }

        return symbols.TryGetOrAdd(Encoding.UTF8.GetBytes(t.Text), out var id) ? id : throw new FormatException("symbol table full");
    }

    private static long OptionalInteger(Dictionary<string, Token> fields, string name) =>
        fields.ContainsKey(name) ? Integer(fields, name) : 0;

    private static long Integer(Dictionary<string, Token> fields, string name)
    {
        var t = Get(fields, name);
        if (t.Type != JsonTokenType.Number)
        {
            throw new FormatException(name + " type");
        }

        return long.Parse(t.Text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
    }

    private static long OptionalDecimal8(Dictionary<string, Token> fields, string name) =>
        !fields.TryGetValue(name, out var t) || (t.Type == JsonTokenType.String && t.Text.Length == 0) ? 0 : Decimal8(fields, name);

    private static long Decimal8(Dictionary<string, Token> fields, string name)
    {
        var t = Get(fields, name);
        if (t.Type is not (JsonTokenType.String or JsonTokenType.Number))
        {
            throw new FormatException(name + " type");
        }

        return ParseDecimal8(t.Text);
    }

    /// <summary>Exact 10⁻⁸ units via <see cref="decimal"/>: a 9th significant decimal or an overflow throws.</summary>
    public static long ParseDecimal8(string text)
    {
        var value = decimal.Parse(text, NumberStyles.AllowDecimalPoint | NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture);
        var scaled = value * 100_000_000m;
        if (scaled != decimal.Truncate(scaled))
        {
            throw new FormatException("more than 8 decimals");
        }

        var digitsAfterPoint = text.Contains('.', StringComparison.Ordinal) ? text.Length - text.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
        if (digitsAfterPoint > 8)
        {
            throw new FormatException("more than 8 decimals");
        }

        return decimal.ToInt64(scaled);
    }

    private static Token ReadValue(ref Utf8JsonReader reader, string name)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.String:
                return new Token { Type = JsonTokenType.String, Text = reader.GetString()! };
            case JsonTokenType.Number:
                return new Token { Type = JsonTokenType.Number, Text = Encoding.UTF8.GetString(reader.ValueSpan) };
            case JsonTokenType.StartArray when name is "b" or "a" or "bids" or "asks":
                return new Token { Type = JsonTokenType.StartArray, Levels = ReadLevels(ref reader, name is "b" or "bids" ? BookSide.Bid : BookSide.Ask) };
            case JsonTokenType.StartArray:
            case JsonTokenType.StartObject:
                var type = reader.TokenType;
                reader.Skip();
                return new Token { Type = type };
            default:
                return new Token { Type = reader.TokenType };
        }
    }

    private static List<Level> ReadLevels(ref Utf8JsonReader reader, BookSide side)
    {
        var levels = new List<Level>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new FormatException("level type");
            }

            reader.Read();
            var price = ParseDecimal8(ScalarText(ref reader));
            reader.Read();
            var quantity = ParseDecimal8(ScalarText(ref reader));
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
            }

            levels.Add(new Level(price, quantity, side));
        }

        return levels;
    }

    private static string ScalarText(ref Utf8JsonReader reader) => reader.TokenType switch
    {
        JsonTokenType.String => reader.GetString()!,
        JsonTokenType.Number => Encoding.UTF8.GetString(reader.ValueSpan),
        _ => throw new FormatException("level element type"),
    };
}
