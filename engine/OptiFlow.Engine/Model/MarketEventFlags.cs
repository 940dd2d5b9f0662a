namespace OptiFlow.Engine.Model;

/// <summary>Bit flags of a <see cref="MarketEvent"/> (one byte at <see cref="MarketEventDescriptor.FlagsOffset"/>).</summary>
[Flags]
public enum MarketEventFlags : byte
{
    /// <summary>No flag.</summary>
    None = 0,

    /// <summary>The first slot of a multi-slot message (a depth diff or a snapshot).</summary>
    BeginOfMessage = 1,

    /// <summary>The last slot of a multi-slot message. Single-slot messages carry both Begin and End.</summary>
    EndOfMessage = 2,

    /// <summary>
    /// The message had no levels at all; the slot carries its ids and times but no price level
    /// (a depth diff with empty <c>b</c> and <c>a</c> still advances <c>u</c>).
    /// </summary>
    EmptyMessage = 4,

    /// <summary>Trade and aggTrade: the buyer was the maker (Binance <c>m</c> = true: an aggressive sell).</summary>
    BuyerIsMaker = 8,

    /// <summary>The message carried <c>pu</c> (futures diff depth).</summary>
    HasPreviousFinalUpdateId = 16,

    /// <summary>
    /// Trade (USDⓈ-M and COIN-M futures <c>trade</c> stream): the execution type <c>X</c> was present and not
    /// <c>MARKET</c> (e.g. <c>INSURANCE_FUND</c>, <c>ADL</c>, <c>NA</c>): not an order-book match of an aggressive order,
    /// so order-flow measures skip it. Absent on spot trades (they have no <c>X</c>) and on MARKET trades.
    /// </summary>
    NonMarketTrade = 32,

    /// <summary>Execution report: the fill was on the maker side (Binance <c>m</c>).</summary>
    MakerFill = 64,
}
