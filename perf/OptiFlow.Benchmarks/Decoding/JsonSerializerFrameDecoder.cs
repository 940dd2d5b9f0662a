using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Benchmarks.Decoding;

/// <summary>Combined-stream wrapper as a DTO.</summary>
/// <typeparam name="T">Payload DTO.</typeparam>
public sealed class CombinedDto<T>
{
    /// <summary><c>stream</c>.</summary>
    [JsonPropertyName("stream")]
    public string? Stream { get; set; }

    /// <summary><c>data</c>.</summary>
    [JsonPropertyName("data")]
    public T? Data { get; set; }
}

/// <summary>bookTicker DTO (decimals as strings, as sent).</summary>
public sealed class BookTickerDto
{
    /// <summary><c>u</c>.</summary>
    [JsonPropertyName("u")] public long UpdateId { get; set; }

    /// <summary><c>s</c>.</summary>
    [JsonPropertyName("s")] public string? Symbol { get; set; }

    /// <summary><c>b</c>.</summary>
    [JsonPropertyName("b")] public string? BidPrice { get; set; }

    /// <summary><c>B</c>.</summary>
    [JsonPropertyName("B")] public string? BidQty { get; set; }

    /// <summary><c>a</c>.</summary>
    [JsonPropertyName("a")] public string? AskPrice { get; set; }

    /// <summary><c>A</c>.</summary>
    [JsonPropertyName("A")] public string? AskQty { get; set; }

    /// <summary><c>E</c>.</summary>
    [JsonPropertyName("E")] public long EventTime { get; set; }

    /// <summary><c>T</c>.</summary>
    [JsonPropertyName("T")] public long TransactionTime { get; set; }
}

/// <summary>depthUpdate DTO.</summary>
public sealed class DepthUpdateDto
{
    /// <summary><c>E</c>.</summary>
    [JsonPropertyName("E")] public long EventTime { get; set; }

    /// <summary><c>T</c>.</summary>
    [JsonPropertyName("T")] public long TransactionTime { get; set; }

    /// <summary><c>s</c>.</summary>
    [JsonPropertyName("s")] public string? Symbol { get; set; }

    /// <summary><c>U</c>.</summary>
    [JsonPropertyName("U")] public long FirstUpdateId { get; set; }

    /// <summary><c>u</c>.</summary>
    [JsonPropertyName("u")] public long FinalUpdateId { get; set; }

    /// <summary><c>pu</c>.</summary>
    [JsonPropertyName("pu")] public long? PreviousFinalUpdateId { get; set; }

    /// <summary><c>b</c>.</summary>
    [JsonPropertyName("b")] public string[][]? Bids { get; set; }

    /// <summary><c>a</c>.</summary>
    [JsonPropertyName("a")] public string[][]? Asks { get; set; }
}

/// <summary>trade and aggTrade DTO (<c>a</c> is the aggregate id).</summary>
public sealed class TradeDto
{
    /// <summary><c>E</c>.</summary>
    [JsonPropertyName("E")] public long EventTime { get; set; }

    /// <summary><c>T</c>.</summary>
    [JsonPropertyName("T")] public long TradeTime { get; set; }

    /// <summary><c>s</c>.</summary>
    [JsonPropertyName("s")] public string? Symbol { get; set; }

    /// <summary><c>t</c>.</summary>
    [JsonPropertyName("t")] public long TradeId { get; set; }

    /// <summary><c>a</c>.</summary>
    [JsonPropertyName("a")] public long AggregateId { get; set; }

    /// <summary><c>f</c>.</summary>
    [JsonPropertyName("f")] public long FirstTradeId { get; set; }

    /// <summary><c>l</c>.</summary>
    [JsonPropertyName("l")] public long LastTradeId { get; set; }

    /// <summary><c>p</c>.</summary>
    [JsonPropertyName("p")] public string? Price { get; set; }

    /// <summary><c>q</c>.</summary>
    [JsonPropertyName("q")] public string? Quantity { get; set; }

    /// <summary><c>m</c>.</summary>
    [JsonPropertyName("m")] public bool BuyerIsMaker { get; set; }
}

/// <summary>Source-generated metadata (no reflection at run time).</summary>
[JsonSourceGenerationOptions(GenerationMode = JsonSourceGenerationMode.Metadata)]
[JsonSerializable(typeof(CombinedDto<BookTickerDto>))]
[JsonSerializable(typeof(CombinedDto<DepthUpdateDto>))]
[JsonSerializable(typeof(CombinedDto<TradeDto>))]
public sealed partial class BinanceJsonContext : JsonSerializerContext
{
}

/// <summary>
/// <see cref="JsonSerializer"/> with source generation into DTOs, then copied into the same <see cref="MarketEvent"/>
/// slot and <see cref="DepthLevelBuffer"/> with the same exact <see cref="FixedPoint.TryParse"/>. Allocates (DTOs, strings, arrays).
/// </summary>
public sealed class JsonSerializerFrameDecoder(Market market, SymbolTable symbols)
{
    /// <summary>Decodes one frame of a known payload; false on error.</summary>
    public bool Decode(ReadOnlySpan<byte> frame, DecodePayload payload, ref MarketEvent slot, DepthLevelBuffer levels)
    {
        slot = default;
        slot.Market = market;
        levels.Clear();
        try
        {
            switch (payload)
            {
                case DecodePayload.BookTicker:
                    var t = JsonSerializer.Deserialize(frame, BinanceJsonContext.Default.CombinedDtoBookTickerDto)?.Data;
                    if (t is null)
                    {
                        return false;
                    }

                    slot.Kind = MarketEventKind.BookTicker;
                    slot.FinalUpdateId = t.UpdateId;
                    slot.EventTimeMs = t.EventTime;
                    slot.TransactionTimeMs = t.TransactionTime;
                    return Symbol(t.Symbol, ref slot) && Dec(t.BidPrice, out slot.BidPrice) && Dec(t.BidQty, out slot.BidQuantity)
                        && Dec(t.AskPrice, out slot.AskPrice) && Dec(t.AskQty, out slot.AskQuantity);
                case DecodePayload.DepthUpdate:
                    var d = JsonSerializer.Deserialize(frame, BinanceJsonContext.Default.CombinedDtoDepthUpdateDto)?.Data;
                    if (d?.Bids is null || d.Asks is null)
                    {
                        return false;
                    }

                    slot.Kind = MarketEventKind.DepthLevel;
                    slot.EventTimeMs = d.EventTime;
                    slot.TransactionTimeMs = d.TransactionTime;
                    slot.FirstUpdateId = d.FirstUpdateId;
                    slot.FinalUpdateId = d.FinalUpdateId;
                    slot.PreviousFinalUpdateId = d.PreviousFinalUpdateId ?? 0;
                    return Symbol(d.Symbol, ref slot) && AddLevels(d.Bids, BookSide.Bid, levels) && AddLevels(d.Asks, BookSide.Ask, levels);
                default:
                    var r = JsonSerializer.Deserialize(frame, BinanceJsonContext.Default.CombinedDtoTradeDto)?.Data;
                    if (r is null)
                    {
                        return false;
                    }

                    slot.Kind = payload == DecodePayload.Trade ? MarketEventKind.Trade : MarketEventKind.AggTrade;
                    slot.TradeId = payload == DecodePayload.Trade ? r.TradeId : r.AggregateId;
                    slot.FirstTradeId = r.FirstTradeId;
                    slot.LastTradeId = r.LastTradeId;
                    slot.EventTimeMs = r.EventTime;
                    slot.TransactionTimeMs = r.TradeTime;
                    if (r.BuyerIsMaker)
                    {
                        slot.Flags |= MarketEventFlags.BuyerIsMaker;
                    }

                    return Symbol(r.Symbol, ref slot) && Dec(r.Price, out slot.Price) && Dec(r.Quantity, out slot.Quantity);
            }
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool Symbol(string? name, ref MarketEvent slot)
    {
        if (name is null || name.Length > SymbolTable.MaxSymbolLength)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[SymbolTable.MaxSymbolLength];
        var n = Encoding.UTF8.GetBytes(name, bytes);
        return symbols.TryGet(bytes[..n], out slot.SymbolId);
    }

    private static bool AddLevels(string[][] side, BookSide bookSide, DepthLevelBuffer levels)
    {
        foreach (var level in side)
        {
            if (level.Length < 2 || !Dec(level[0], out var price) || !Dec(level[1], out var quantity))
            {
                return false;
            }

            levels.Add(price, quantity, bookSide);
        }

        return true;
    }

    private static bool Dec(string? text, out long value)
    {
        value = 0;
        if (text is null || text.Length > 64)
        {
            return false;
        }

        Span<byte> bytes = stackalloc byte[64];
        var n = Encoding.UTF8.GetBytes(text, bytes);
        return FixedPoint.TryParse(bytes[..n], out value) == FixedPointParseStatus.Ok;
    }
}
