namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>What <see cref="SpotUniverseGenerator"/> wrote: the universe, the frames and the mispricings.</summary>
public sealed record SpotGenerationSummary
{
    /// <summary>TRADING symbols in the exchangeInfo.</summary>
    public required int TradingSymbols { get; init; }

    /// <summary>Asset triangles among TRADING symbols (three distinct assets, each pair traded by a TRADING symbol).</summary>
    public required int Triangles { get; init; }

    /// <summary>TRADING symbols that are part of at least one triangle.</summary>
    public required int TriangleSymbols { get; init; }

    /// <summary>The universe's symbols, in exchangeInfo order (a symbol has frames only if there are enough frames for the
    /// uniform draw to reach it: see <see cref="SymbolsWritten"/>).</summary>
    public required IReadOnlyList<string> Symbols { get; init; }

    /// <summary>Triangle symbols that could not be priced sensibly, or lost their last triangle when others were left out.</summary>
    public required IReadOnlyList<LeftOutSymbol> LeftOut { get; init; }

    /// <summary>Triangles whose three symbols are all written.</summary>
    public required int TrianglesCovered { get; init; }

    /// <summary>Frames written.</summary>
    public required long Frames { get; init; }

    /// <summary>Symbols that have at least one frame.</summary>
    public required int SymbolsWritten { get; init; }

    /// <summary>The injected mispricings, in frame order (the sidecar's lines).</summary>
    public required IReadOnlyList<InjectedMispricing> Mispricings { get; init; }

    /// <summary>Mispricings that were asked for but not injected: no symbol with a triangle showing a positive edge after fees was found.</summary>
    public required int MispricingsSkipped { get; init; }

    /// <summary>
    /// The best triangle edge after fees seen at any frame outside the mispricings (over the triangles through the frame's
    /// symbol whose legs are all written and not mispriced), in basis points; negative means no background triangle
    /// ever gains after fees. <see cref="double.NegativeInfinity"/> when no triangle was ever complete.
    /// </summary>
    public required double MaxBackgroundEdgeBps { get; init; }

    /// <summary>
    /// The largest |ln(product of the mids around a triangle)| seen outside the mispricings, in basis points: how far stale
    /// quotes and tick rounding take a triangle from consistency.
    /// </summary>
    public required double MaxBackgroundDeviationBps { get; init; }
}
