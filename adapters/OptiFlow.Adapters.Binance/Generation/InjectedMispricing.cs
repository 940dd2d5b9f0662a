namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>One injected mispricing, as the sidecar (<c>&lt;recording&gt;.mispricings.jsonl</c>) lists it.</summary>
/// <remarks>
/// <para>Prices are in 10⁻⁸ units (the engine's fixed point); frames are 1-based counts of bookTicker frames in the file,
/// which are also its line numbers (one frame per line, nothing else).</para>
/// <para>The sidecar has one JSON object per line, in frame order; prices are decimal strings with 8 decimals, as in the
/// recording, and a triangle's <c>path</c> is its asset cycle (back to the first asset after the third leg):</para>
/// <code>
/// {"frame":10173,"line":10173,"timestampNs":1704067201017200000,"symbol":"LRCBTC","u":1934877208,"direction":"rich",
///  "shiftBps":60,"endFrame":10223,"bid":"0.00009169","ask":"0.00009171","fairBid":"0.00009115","fairAsk":"0.00009117",
///  "triangles":[{"path":["BTC","USDT","LRC"],"symbols":["BTCUSDT","LRCUSDT","LRCBTC"],"edgeBps":28.096887}, …]}
/// </code>
/// </remarks>
public sealed record InjectedMispricing
{
    /// <summary>The frame (1-based) that first carries the shifted quote.</summary>
    public required long Frame { get; init; }

    /// <summary>The line (1-based) of that frame in the uncompressed file.</summary>
    public required long Line { get; init; }

    /// <summary>Local timestamp of that frame, ns.</summary>
    public required long TimestampNs { get; init; }

    /// <summary>The mispriced symbol (<c>ETHBTC</c>).</summary>
    public required string Symbol { get; init; }

    /// <summary>The <c>u</c> (order-book update id) of that frame.</summary>
    public required long UpdateId { get; init; }

    /// <summary>Up (<see cref="MispricingDirection.Rich"/>) or down (<see cref="MispricingDirection.Cheap"/>).</summary>
    public required MispricingDirection Direction { get; init; }

    /// <summary>The shift applied to the fair mid, in basis points (the quote is then put on ticks again).</summary>
    public required double ShiftBps { get; init; }

    /// <summary>The frame (1-based) at which the symbol's fair quote is written again: the mispricing is visible in frames
    /// [<see cref="Frame"/>, <see cref="EndFrame"/>).</summary>
    public required long EndFrame { get; init; }

    /// <summary>Bid written at <see cref="Frame"/>, 10⁻⁸ units.</summary>
    public required long Bid { get; init; }

    /// <summary>Ask written at <see cref="Frame"/>, 10⁻⁸ units.</summary>
    public required long Ask { get; init; }

    /// <summary>The bid the fair value would have given at <see cref="Frame"/>, 10⁻⁸ units.</summary>
    public required long FairBid { get; init; }

    /// <summary>The ask the fair value would have given at <see cref="Frame"/>, 10⁻⁸ units.</summary>
    public required long FairAsk { get; init; }

    /// <summary>Every asset triangle that includes the symbol and whose two other legs had already been written, each in
    /// its better direction with its edge after fees; best edge first.</summary>
    public required IReadOnlyList<TrianglePath> Triangles { get; init; }
}
