namespace OptiFlow.Engine.Risk;

/// <summary>The USDⓈ-M quantitative-rules indicators <see cref="QuantRulesMonitor"/> tracks (binance.md §9, <c>[QR]</c>).</summary>
public enum QuantIndicator : byte
{
    /// <summary>UFR, Unfilled Ratio: <c>1 − executed base qty / total base qty</c> of orders placed in the cycle.</summary>
    UnfilledRatio = 0,

    /// <summary>
    /// ICR, Invalid Cancellation Ratio: <c>invalid cancels / (GTC + GTX + GTD orders)</c>, an invalid cancel being one less
    /// than 5 s after placement. It replaced GCR (GTC only, 2 s); <see cref="QuantRulesThresholds"/> configures either.
    /// </summary>
    InvalidCancellationRatio = 1,

    /// <summary>IFER, IOC &amp; FOK Expire Ratio: <c>expired IOC+FOK orders / all IOC+FOK orders</c>.</summary>
    IocFokExpireRatio = 2,

    /// <summary>DR, Dust Ratio: <c>dust orders / all orders</c>, dust being below a notional threshold ("$50 for now").</summary>
    DustRatio = 3,
}
