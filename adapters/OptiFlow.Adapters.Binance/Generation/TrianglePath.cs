namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>
/// A triangle through a mispriced symbol, as the asset cycle that gains: start with <c>Assets[0]</c>, trade it for
/// <c>Assets[1]</c> on <c>Symbols[0]</c>, then for <c>Assets[2]</c> on <c>Symbols[1]</c>, then back to <c>Assets[0]</c> on
/// <c>Symbols[2]</c>, each leg as a taker (sell the base at the bid, buy it at the ask).
/// </summary>
/// <param name="Assets">The three distinct assets, in trading order.</param>
/// <param name="Symbols">The symbol of each leg: <c>Symbols[i]</c> trades <c>Assets[i]</c> for <c>Assets[(i + 1) % 3]</c>.</param>
/// <param name="EdgeBps">The cycle's gain after a taker fee on each leg, in basis points, at the quotes of the injection
/// frame: (product of the leg rates × (1 − fee)³ − 1) × 10⁴. Positive means a taker round trip gains. Rates are
/// computed in <see cref="double"/> from the exact quotes.</param>
public sealed record TrianglePath(IReadOnlyList<string> Assets, IReadOnlyList<string> Symbols, double EdgeBps);
