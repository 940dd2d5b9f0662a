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
}
