namespace OptiFlow.Testing;

/// <summary>One line of a generated spot bookTicker recording, parsed independently of the engine's decoder.</summary>
/// <param name="Line">1-based line (= frame) number.</param>
/// <param name="TimestampNs">The line's local timestamp, ns.</param>
/// <param name="Stream">The combined-stream name (<c>ethbtc@bookTicker</c>).</param>
/// <param name="Symbol">The <c>s</c> field.</param>
/// <param name="UpdateId">The <c>u</c> field.</param>
/// <param name="Bid">Best bid, 10⁻⁸ units.</param>
/// <param name="BidQuantity">Best bid quantity, 10⁻⁸ units.</param>
/// <param name="Ask">Best ask, 10⁻⁸ units.</param>
/// <param name="AskQuantity">Best ask quantity, 10⁻⁸ units.</param>
/// <param name="Text">The numbers' texts as written: b, B, a, A.</param>
public sealed record GeneratedSpotFrame(long Line, long TimestampNs, string Stream, string Symbol, long UpdateId, long Bid, long BidQuantity, long Ask, long AskQuantity, string[] Text);
