namespace OptiFlow.Engine.Model;

/// <summary>
/// The market a symbol trades on. It decides the book-sync rule: spot chains on <c>U == previous u + 1</c>,
/// futures (USDⓈ-M and COIN-M) chain on <c>pu == previous u</c> (ARCHITECTURE "Book sync").
/// </summary>
public enum Market : byte
{
    /// <summary>Unknown or not set.</summary>
    None = 0,

    /// <summary>Binance spot (<c>/api/v3</c>, <c>stream.binance.com</c>).</summary>
    Spot = 1,

    /// <summary>Binance USDⓈ-M or COIN-M futures (<c>/fapi</c>, <c>/dapi</c>).</summary>
    Futures = 2,
}
