using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// A parsed exchangeInfo response (spot <c>/api/v3/exchangeInfo</c>, futures <c>/fapi/v1/exchangeInfo</c> and
/// <c>/dapi/v1/exchangeInfo</c>; binance.md §4): server time, rate limits and every symbol with its filters.
/// </summary>
/// <remarks>Built off the hot path (<see cref="ExchangeInfoParser"/>, allocates); immutable afterwards and thread-safe to read.</remarks>
public sealed class ExchangeInfo
{
    private readonly Dictionary<string, SymbolInfo> _bySymbol;

    /// <summary>Creates the table.</summary>
    /// <param name="market">Spot or futures rules.</param>
    /// <param name="serverTimeMs"><c>serverTime</c>, ms since the epoch.</param>
    /// <param name="rateLimits"><c>rateLimits</c>.</param>
    /// <param name="symbols"><c>symbols</c>.</param>
    /// <exception cref="ArgumentException">A symbol is listed twice.</exception>
    public ExchangeInfo(Market market, long serverTimeMs, IReadOnlyList<RateLimit> rateLimits, IReadOnlyList<SymbolInfo> symbols)
    {
        ArgumentNullException.ThrowIfNull(rateLimits);
        ArgumentNullException.ThrowIfNull(symbols);
        Market = market;
        ServerTimeMs = serverTimeMs;
        RateLimits = rateLimits;
        Symbols = symbols;
        _bySymbol = new Dictionary<string, SymbolInfo>(symbols.Count, StringComparer.Ordinal);
        foreach (var symbol in symbols)
        {
            _bySymbol.Add(symbol.Symbol, symbol);
        }
    }

    /// <summary>Spot or futures (from <c>futuresType</c> or <c>contractType</c>).</summary>
    public Market Market { get; }

    /// <summary><c>serverTime</c>, ms since the Unix epoch.</summary>
    public long ServerTimeMs { get; }

    /// <summary>The <c>rateLimits</c> array (binance.md §4.4).</summary>
    public IReadOnlyList<RateLimit> RateLimits { get; }

    /// <summary>Every symbol, in response order.</summary>
    public IReadOnlyList<SymbolInfo> Symbols { get; }

    /// <summary>Finds a symbol by its upper-case name.</summary>
    /// <param name="symbol">E.g. <c>BTCUSDT</c>.</param>
    /// <param name="info">The symbol, or null.</param>
    /// <returns>Whether it is listed.</returns>
    public bool TryGetSymbol(string symbol, out SymbolInfo info) => _bySymbol.TryGetValue(symbol, out info!);

    /// <summary>
    /// Interns every symbol (or those passing <paramref name="include"/>) into <paramref name="table"/> at start-up, so the
    /// decoder maps <c>s</c> values and stream names to ids without adding, and returns the infos indexed by id.
    /// </summary>
    /// <param name="table">The table the decoder uses.</param>
    /// <param name="include">Which symbols to intern (e.g. TRADING only), or null for all.</param>
    /// <returns>An array indexed by symbol id (null where the id belongs to a symbol not in this response).</returns>
    /// <exception cref="InvalidOperationException">The table is full.</exception>
    /// <remarks>Cold; allocates. Call before the producer starts (the table has one writer).</remarks>
    public SymbolInfo?[] Intern(SymbolTable table, Func<SymbolInfo, bool>? include = null)
    {
        ArgumentNullException.ThrowIfNull(table);
        var ids = new List<(int Id, SymbolInfo Info)>();
        foreach (var symbol in Symbols)
        {
            if (include is null || include(symbol))
            {
                ids.Add((table.GetOrAdd(symbol.Symbol), symbol));
            }
        }

        var byId = new SymbolInfo?[table.Count];
        foreach (var (id, info) in ids)
        {
            byId[id] = info;
        }

        return byId;
    }
}
