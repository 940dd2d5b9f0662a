namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>The base and quote asset of a symbol name, guessed from its suffix (the recording has no exchangeInfo).</summary>
/// <remarks>Thread-safe (no state). Allocates the returned strings.</remarks>
internal static class SymbolAssets
{
    private static readonly string[] QuoteAssets = ["USDT", "FDUSD", "USDC", "BUSD", "BTC", "ETH", "USD_PERP", "USD"];

    /// <summary>The quote asset (<c>USDT</c> when no known suffix matches; <c>USD_PERP</c> is reported as <c>USD</c>).</summary>
    public static string QuoteOf(string symbol)
    {
        var quote = QuoteSuffixOf(symbol);
        return quote == "USD_PERP" ? "USD" : quote;
    }

    /// <summary>The base asset: the name without its quote suffix.</summary>
    public static string BaseOf(string symbol)
    {
        var suffix = QuoteSuffixOf(symbol);
        return symbol.EndsWith(suffix, StringComparison.Ordinal) && symbol.Length > suffix.Length ? symbol[..^suffix.Length] : symbol;
    }

    private static string QuoteSuffixOf(string symbol) =>
        QuoteAssets.FirstOrDefault(q => symbol.EndsWith(q, StringComparison.Ordinal) && symbol.Length > q.Length) ?? "USDT";
}
