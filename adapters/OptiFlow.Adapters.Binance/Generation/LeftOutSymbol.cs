namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>A TRADING symbol of an asset triangle that the generator left out, and why.</summary>
/// <param name="Symbol">The symbol (<c>ETHBTC</c>).</param>
/// <param name="Reason">Why, in words (no usable PRICE_FILTER, fitted price outside the filter, no triangle left …).</param>
public sealed record LeftOutSymbol(string Symbol, string Reason);
