namespace OptiFlow.Adapters.Binance.MarketData;

/// <content>The field names the decoder knows, mapped from their raw key bytes without creating strings.</content>
public sealed partial class BinanceFrameDecoder
{
    private const int FieldCount = Field.Count;

    /// <summary>Field ids: indexes into the token table and bits of the presence mask.</summary>
    private static class Field
    {
        public const int Data = -2;
        public const int Unknown = -1;
        public const int EventType = 0;          // e
        public const int EventTime = 1;          // E
        public const int TransactionTime = 2;    // T
        public const int Symbol = 3;             // s
        public const int FirstUpdateId = 4;      // U
        public const int FinalUpdateId = 5;      // u
        public const int PreviousFinalUpdateId = 6; // pu
        public const int BidLevels = 7;          // b (levels, bid price, or a 2023 trade's buyer order id), bids
        public const int BidQuantity = 8;        // B
        public const int AskLevels = 9;          // a (levels, ask price, aggregate trade id, or seller order id), asks
        public const int AskQuantity = 10;       // A
        public const int Price = 11;             // p
        public const int Quantity = 12;          // q
        public const int TradeId = 13;           // t
        public const int FirstTradeId = 14;      // f
        public const int LastTradeId = 15;       // l
        public const int BuyerIsMaker = 16;      // m
        public const int LastUpdateId = 17;      // lastUpdateId
        public const int SnapshotSymbol = 18;    // symbol
        public const int Stream = 19;            // stream
        public const int SettlePrice = 20;       // P (markPriceUpdate estimated settle price)
        public const int IndexPrice = 21;        // i (markPriceUpdate index price)
        public const int FundingRate = 22;       // r (markPriceUpdate funding rate)
        public const int ExecutionType = 23;     // X (futures trade execution type: MARKET or not, MarketEventFlags.NonMarketTrade)
        public const int Count = 24;             // fields with a token; the tolerated ones below have only a presence bit

        public const int FirstTolerated = 24;    // known, not carried: skipped, but a repeat is still DuplicateField
        public const int IgnoreFlag = 24;        // M (spot trade/aggTrade "ignore")
        public const int Pair = 25;              // ps (COIN-M pair)
        public const int SymbolType = 26;        // st (symbol type)
        public const int NormalQuantity = 27;    // nq (aggTrade quantity without RPI orders)
        public const int SnapshotPair = 28;      // pair (COIN-M snapshot)

        /// <summary>Maps a key's raw bytes to a field id (a switch on length, then on bytes).</summary>
        public static int Lookup(ReadOnlySpan<byte> key)
        {
            switch (key.Length)
            {
                case 1:
                    return key[0] switch
                    {
                        (byte)'e' => EventType,
                        (byte)'E' => EventTime,
                        (byte)'T' => TransactionTime,
                        (byte)'s' => Symbol,
                        (byte)'U' => FirstUpdateId,
                        (byte)'u' => FinalUpdateId,
                        (byte)'b' => BidLevels,
                        (byte)'B' => BidQuantity,
                        (byte)'a' => AskLevels,
                        (byte)'A' => AskQuantity,
                        (byte)'p' => Price,
                        (byte)'q' => Quantity,
                        (byte)'t' => TradeId,
                        (byte)'f' => FirstTradeId,
                        (byte)'l' => LastTradeId,
                        (byte)'m' => BuyerIsMaker,
                        (byte)'P' => SettlePrice,
                        (byte)'i' => IndexPrice,
                        (byte)'r' => FundingRate,
                        (byte)'M' => IgnoreFlag,
                        (byte)'X' => ExecutionType,
                        _ => Unknown,
                    };
                case 2:
                    if (key[0] == (byte)'p' && key[1] == (byte)'u')
                    {
                        return PreviousFinalUpdateId;
                    }

                    return (key[0], key[1]) switch
                    {
                        ((byte)'p', (byte)'s') => Pair,
                        ((byte)'s', (byte)'t') => SymbolType,
                        ((byte)'n', (byte)'q') => NormalQuantity,
                        _ => Unknown,
                    };
                case 4:
                    if (key.SequenceEqual("data"u8))
                    {
                        return Data;
                    }

                    if (key.SequenceEqual("bids"u8))
                    {
                        return BidLevels;
                    }

                    if (key.SequenceEqual("asks"u8))
                    {
                        return AskLevels;
                    }

                    return key.SequenceEqual("pair"u8) ? SnapshotPair : Unknown;
                case 6:
                    if (key.SequenceEqual("stream"u8))
                    {
                        return Stream;
                    }

                    return key.SequenceEqual("symbol"u8) ? SnapshotSymbol : Unknown;
                case 12:
                    return key.SequenceEqual("lastUpdateId"u8) ? LastUpdateId : Unknown;
                default:
                    return Unknown;
            }
        }
    }
}
