using System.Text.Json;
using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Benchmarks.Decoding;

/// <summary>
/// The comparison decoder: the best general-purpose way to read these frames in .NET, a single forward pass of
/// <see cref="Utf8JsonReader"/> with <c>ValueTextEquals</c> on property names, decimals parsed from <c>ValueSpan</c>
/// with the same exact <see cref="FixedPoint.TryParse"/>, writing the same <see cref="MarketEvent"/> slot and
/// <see cref="DepthLevelBuffer"/>. Allocation-free. It covers the four benchmarked payloads in the combined-stream
/// wrapper (not every corner the production decoder handles: escaped symbols, a <c>data</c> before <c>stream</c>, spot
/// bookTicker without <c>e</c>), so it is, if anything, flattered.
/// </summary>
public sealed class Utf8JsonReaderFrameDecoder(Market market, SymbolTable symbols)
{
    private static readonly JsonReaderOptions Options = new() { CommentHandling = JsonCommentHandling.Disallow };

    /// <summary>Decodes one frame; false on any error.</summary>
    public bool Decode(ReadOnlySpan<byte> frame, ref MarketEvent slot, DepthLevelBuffer levels)
    {
        slot = default;
        slot.Market = market;
        slot.SymbolId = -1;
        levels.Clear();
        var reader = new Utf8JsonReader(frame, Options);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("data"u8))
                {
                    reader.Read();
                    if (!Payload(ref reader, ref slot, levels))
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }

            return reader.TokenType == JsonTokenType.EndObject && !reader.Read();
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private bool Payload(ref Utf8JsonReader reader, ref MarketEvent slot, DepthLevelBuffer levels)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        var kind = MarketEventKind.None;
        var ok = true;
        while (ok && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var span = reader.ValueSpan;
            reader.Read();
            if (span.Length == 1)
            {
                switch (span[0])
                {
                    case (byte)'e':
                        kind = reader.ValueTextEquals("bookTicker"u8) ? MarketEventKind.BookTicker
                            : reader.ValueTextEquals("depthUpdate"u8) ? MarketEventKind.DepthLevel
                            : reader.ValueTextEquals("trade"u8) ? MarketEventKind.Trade
                            : reader.ValueTextEquals("aggTrade"u8) ? MarketEventKind.AggTrade
                            : MarketEventKind.None;
                        break;
                    case (byte)'E':
                        ok = reader.TryGetInt64(out slot.EventTimeMs);
                        break;
                    case (byte)'T':
                        ok = reader.TryGetInt64(out slot.TransactionTimeMs);
                        break;
                    case (byte)'s':
                        ok = symbols.TryGet(reader.ValueSpan, out slot.SymbolId);
                        break;
                    case (byte)'U':
                        ok = reader.TryGetInt64(out slot.FirstUpdateId);
                        break;
                    case (byte)'u':
                        ok = reader.TryGetInt64(out slot.FinalUpdateId);
                        break;
                    case (byte)'t':
                        ok = reader.TryGetInt64(out slot.TradeId);
                        break;
                    case (byte)'f':
                        ok = reader.TryGetInt64(out slot.FirstTradeId);
                        break;
                    case (byte)'l':
                        ok = reader.TryGetInt64(out slot.LastTradeId);
                        break;
                    case (byte)'p':
                        ok = Decimal(ref reader, out slot.Price);
                        break;
                    case (byte)'q':
                        ok = Decimal(ref reader, out slot.Quantity);
                        break;
                    case (byte)'B':
                        ok = Decimal(ref reader, out slot.BidQuantity);
                        break;
                    case (byte)'A':
                        ok = Decimal(ref reader, out slot.AskQuantity);
                        break;
                    case (byte)'m':
                        if (reader.TokenType == JsonTokenType.True)
                        {
                            slot.Flags |= MarketEventFlags.BuyerIsMaker;
                        }

                        break;
                    case (byte)'b':
                        ok = reader.TokenType == JsonTokenType.StartArray ? Levels(ref reader, levels, BookSide.Bid)
                            : reader.TokenType == JsonTokenType.String ? Decimal(ref reader, out slot.BidPrice)
                            : true; // 2023 spot trade buyer order id
                        break;
                    case (byte)'a':
                        ok = reader.TokenType == JsonTokenType.StartArray ? Levels(ref reader, levels, BookSide.Ask)
                            : reader.TokenType == JsonTokenType.String ? Decimal(ref reader, out slot.AskPrice)
                            : reader.TryGetInt64(out slot.TradeId); // aggTrade id
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
            else if (span.Length == 2 && span[0] == (byte)'p' && span[1] == (byte)'u')
            {
                ok = reader.TryGetInt64(out slot.PreviousFinalUpdateId);
                slot.Flags |= MarketEventFlags.HasPreviousFinalUpdateId;
            }
            else
            {
                reader.Skip();
            }
        }

        if (!ok || kind == MarketEventKind.None)
        {
            return false;
        }

        slot.Kind = kind;
        if (kind == MarketEventKind.DepthLevel)
        {
            slot.LevelCount = levels.Count;
        }
        else
        {
            slot.Flags |= MarketEventFlags.BeginOfMessage | MarketEventFlags.EndOfMessage;
        }

        return true;
    }

    private static bool Levels(ref Utf8JsonReader reader, DepthLevelBuffer levels, BookSide side)
    {
        while (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            reader.Read();
            if (!Decimal(ref reader, out var price))
            {
                return false;
            }

            reader.Read();
            if (!Decimal(ref reader, out var quantity))
            {
                return false;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.EndArray)
            {
                return false;
            }

            levels.Add(price, quantity, side);
        }

        return reader.TokenType == JsonTokenType.EndArray;
    }

    private static bool Decimal(ref Utf8JsonReader reader, out long value)
    {
        value = 0;
        return reader.TokenType is JsonTokenType.String or JsonTokenType.Number
            && !reader.ValueIsEscaped
            && FixedPoint.TryParse(reader.ValueSpan, out value) == FixedPointParseStatus.Ok;
    }
}
