namespace OptiFlow.Engine.Model;

/// <summary>Side of a price level.</summary>
public enum BookSide : byte
{
    /// <summary>Not a level event.</summary>
    None = 0,

    /// <summary>Bid (buy) side.</summary>
    Bid = 1,

    /// <summary>Ask (sell) side.</summary>
    Ask = 2,
}
