namespace OptiFlow.Adapters.Binance.Generation;

/// <summary>Which way an injected mispricing moves a symbol's quote.</summary>
public enum MispricingDirection : byte
{
    /// <summary>Bid and ask moved up: the base asset is dear in quote terms (sell it here).</summary>
    Rich = 0,

    /// <summary>Bid and ask moved down: the base asset is cheap in quote terms (buy it here).</summary>
    Cheap = 1,
}
