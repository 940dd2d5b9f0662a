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
    /// The <c>TRADING</c> symbols (<see cref="SymbolInfo.IsTrading"/>) as engine-neutral instrument descriptions, in
    /// response order: the input of a <see cref="Engine.Evaluators.Triangles.TriangleUniverse"/>.
    /// </summary>
    /// <returns>A new list (cold path; allocates).</returns>
    public IReadOnlyList<Engine.Evaluators.Triangles.InstrumentSpec> TradingInstruments()
    {
        var list = new List<Engine.Evaluators.Triangles.InstrumentSpec>();
        foreach (var symbol in Symbols)
        {
            if (symbol.IsTrading)
            {
                list.Add(symbol.ToInstrumentSpec());
            }
        }

        return list;
    }

    /// <summary>
    /// A capacity for the session's <see cref="SymbolTable"/> that holds every symbol of this response plus
    /// <paramref name="headroom"/> more (symbols from <c>--symbols</c> or from the data that exchangeInfo does not list).
    /// </summary>
    /// <param name="headroom">Room beyond the listed symbols; at least 0.</param>
    /// <returns><c>Symbols.Count + headroom</c>; e.g. 2,292 + 1,024 for the 2023 spot response, whose 1,340 TRADING
    /// symbols alone exceed <see cref="SymbolTable.DefaultCapacity"/>.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="headroom"/> is negative.</exception>
    public int SymbolTableCapacity(int headroom = SymbolTable.DefaultCapacity)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(headroom);
        return checked(Symbols.Count + headroom);
    }

    /// <summary>
    /// Interns the response's symbols into the session's <paramref name="table"/> at configuration, in response order, so
    /// that the decoder finds their <c>s</c> values and stream names without adding, and keeps each one's entry (status
    /// and filters) by symbol id.
    /// </summary>
    /// <param name="table">
    /// The session's table, not frozen yet (freeze it once every source is interned); size it with
    /// <see cref="SymbolTableCapacity"/>. Symbols it already holds keep their ids.
    /// </param>
    /// <param name="include">Which symbols to intern, or null (the default) for every listed one.</param>
    /// <returns>The entries by id.</returns>
    /// <exception cref="InvalidOperationException">The table is frozen, or full.</exception>
    /// <remarks>
    /// <para>Every symbol by default, not only <c>TRADING</c> ones: the table mirrors what the venue lists, so an order
    /// for a symbol in <c>BREAK</c> is refused for its status (<see cref="SymbolInfo.IsTrading"/>) rather than as unknown,
    /// and a status that changes during the session (<c>PENDING_TRADING</c> → <c>TRADING</c>) needs no new symbol in a
    /// frozen table. Pass <c>s =&gt; s.IsTrading</c> to intern those alone.</para>
    /// <para>Cold; allocates. Runs on the configuring thread, before <see cref="SymbolTable.Freeze"/>.</para>
    /// </remarks>
    public SymbolInfoTable Intern(SymbolTable table, Func<SymbolInfo, bool>? include = null)
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

        return new SymbolInfoTable(table, byId, ids.Count);
    }
}
