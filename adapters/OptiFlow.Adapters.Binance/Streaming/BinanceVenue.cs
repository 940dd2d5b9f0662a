namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Which Binance venue a market-data client talks to (binance.md §1).</summary>
public enum BinanceVenue : byte
{
    /// <summary>Spot: streams <c>wss://stream.binance.com:9443</c>, REST <c>https://api.binance.com</c> `[S-WSS]`, `[S-REST]`.</summary>
    Spot = 0,

    /// <summary>USDⓈ-M futures: streams <c>wss://fstream.binance.com/public|/market</c> `[F-SPLIT]`, REST <c>https://fapi.binance.com</c> `[F-GI]`.</summary>
    UsdmFutures = 1,

    /// <summary>COIN-M futures: streams <c>wss://dstream.binance.com</c>, REST <c>https://dapi.binance.com</c> (same <c>pu</c> rule, `[F-LOB]`).</summary>
    CoinmFutures = 2,
}
