namespace OptiFlow.Engine.Evaluators.Triangles;

/// <summary>An instrument's latest bookTicker as the triangle evaluator holds it: best bid and ask with their
/// quantities (10⁻⁸ units) and the recorded receive time.</summary>
/// <remarks>Immutable copy; <see cref="IsKnown"/> is false until the instrument's first bookTicker.</remarks>
/// <param name="BidPrice">Best bid price <c>b</c>, 10⁻⁸ quote units.</param>
/// <param name="BidQuantity">Best bid quantity <c>B</c>, 10⁻⁸ base units.</param>
/// <param name="AskPrice">Best ask price <c>a</c>, 10⁻⁸ quote units.</param>
/// <param name="AskQuantity">Best ask quantity <c>A</c>, 10⁻⁸ base units.</param>
/// <param name="LocalTimestampNs">The bookTicker's <see cref="Model.MarketEvent.LocalTimestampNs"/>, ns since the Unix epoch.</param>
/// <param name="IsKnown">Whether a bookTicker was seen.</param>
public readonly record struct TriangleQuote(long BidPrice, long BidQuantity, long AskPrice, long AskQuantity, long LocalTimestampNs, bool IsKnown);
