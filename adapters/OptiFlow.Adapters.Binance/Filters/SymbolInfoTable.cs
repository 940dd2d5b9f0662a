using System.Diagnostics.CodeAnalysis;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// The exchangeInfo entry (status and filters) of every symbol <see cref="ExchangeInfo.Intern"/> interned, indexed by
/// symbol id, so the gateway finds a symbol's filters from the id an order carries without a string lookup.
/// </summary>
/// <remarks>
/// Built at configuration (cold; allocates one array); immutable afterwards, so any number of threads may read it.
/// Lookups are allocation-free. Ids interned from elsewhere (<c>--symbols</c>, the data's first pass) that exchangeInfo
/// does not list have no entry.
/// </remarks>
public sealed class SymbolInfoTable
{
    private readonly SymbolInfo?[] _byId;

    internal SymbolInfoTable(SymbolTable symbols, SymbolInfo?[] byId, int count)
    {
        Symbols = symbols;
        _byId = byId;
        Count = count;
    }

    /// <summary>The symbol table whose ids index this one.</summary>
    public SymbolTable Symbols { get; }

    /// <summary>How many symbols have an entry.</summary>
    public int Count { get; }

    /// <summary>The exchangeInfo entry of <paramref name="symbolId"/>.</summary>
    /// <param name="symbolId">An id of <see cref="Symbols"/> (any int: out-of-range ids have no entry).</param>
    /// <param name="info">The entry, or null.</param>
    /// <returns>Whether the id has an entry.</returns>
    /// <remarks>Allocation-free; thread-safe.</remarks>
    public bool TryGet(int symbolId, [NotNullWhen(true)] out SymbolInfo? info)
    {
        info = (uint)symbolId < (uint)_byId.Length ? _byId[symbolId] : null;
        return info is not null;
    }
}
