namespace OptiFlow.Benchmarks.Decoding;

/// <summary>The market payloads benchmarked, each a set of real frames from the recordings (see <see cref="DecodeCorpus"/>).</summary>
public enum DecodePayload
{
    /// <summary>USDⓈ-M BTCUSDT <c>bookTicker</c>, hftbacktest 2024-08-08.</summary>
    BookTicker,

    /// <summary>USDⓈ-M BTCUSDT <c>depthUpdate</c> (<c>@depth@0ms</c>), hftbacktest 2024-08-08.</summary>
    DepthUpdate,

    /// <summary>USDⓈ-M BTCUSDT <c>trade</c>, hftbacktest 2024-08-08.</summary>
    Trade,

    /// <summary>Every <c>aggTrade</c> of the four cryptofeed captures (155 frames; spot, US, USDⓈ-M, COIN-M).</summary>
    AggTrade,
}
