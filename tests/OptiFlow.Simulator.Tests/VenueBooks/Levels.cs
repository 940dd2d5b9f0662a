using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Engine.Model;

namespace OptiFlow.Simulator.Tests.VenueBooks;

/// <summary>Builds decoder-shaped level buffers for the venue-book tests.</summary>
internal static class Levels
{
    /// <summary>A buffer holding <paramref name="levels"/> in the order given (prices and quantities in 10⁻⁸ units).</summary>
    public static DepthLevelBuffer Of(params (BookSide Side, long Price, long Quantity)[] levels)
    {
        var buffer = new DepthLevelBuffer(Math.Max(1, levels.Length));
        foreach (var (side, price, quantity) in levels)
        {
            buffer.Add(price, quantity, side);
        }

        return buffer;
    }

    /// <summary>No level (an empty diff still advances <c>u</c>).</summary>
    public static DepthLevelBuffer None => new(1);

    /// <summary>A side as (price, quantity) pairs, best first.</summary>
    public static (long Price, long Quantity)[] Pairs(IEnumerable<KeyValuePair<long, long>> side) =>
        [.. side.Select(level => (level.Key, level.Value))];
}
