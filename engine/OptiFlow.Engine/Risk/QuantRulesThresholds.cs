namespace OptiFlow.Engine.Risk;

/// <summary>
/// Thresholds of the USDⓈ-M quantitative trading rules (binance.md §9). Ratios are in basis points (9900 = 0.99). Defaults
/// are the older published table (<c>[QR-OLD]</c>), which binance.md calls "only a guide": the current per-VIP numbers are
/// unverified, so load them from configuration.
/// </summary>
/// <remarks>Immutable; thread-safe to share.</remarks>
public sealed record QuantRulesThresholds
{
    /// <summary>Cycle length, ms; Binance uses 10-minute cycles (binance.md §9). Cycles are fixed: they start at multiples of this since the epoch.</summary>
    public long CycleMs { get; init; } = 600_000;

    /// <summary>A cancel less than this many ms after placement is invalid: 5000 for ICR; 2000 for the older GCR.</summary>
    public long InvalidCancelMs { get; init; } = 5_000;

    /// <summary>Whether GTX (and GTD) orders count for ICR (true: ICR, the current rule) or only GTC (false: the older GCR).</summary>
    public bool IncludePostOnlyInCancelRatio { get; init; } = true;

    /// <summary>UFR recording threshold: orders per cycle (<c>[QR-OLD]</c>: 10,000).</summary>
    public long UnfilledRecordingOrders { get; init; } = 10_000;

    /// <summary>UFR ban threshold, basis points (<c>[QR-OLD]</c>: 0.99).</summary>
    public int UnfilledBanBps { get; init; } = 9_900;

    /// <summary>ICR/GCR recording threshold: GTC (+GTX/GTD) orders per cycle (<c>[QR-OLD]</c> GCR: 5,000).</summary>
    public long CancelRecordingOrders { get; init; } = 5_000;

    /// <summary>ICR/GCR ban threshold, basis points (<c>[QR-OLD]</c>: 0.99).</summary>
    public int CancelBanBps { get; init; } = 9_900;

    /// <summary>IFER recording threshold: IOC+FOK orders per cycle (<c>[QR-OLD]</c>: 5,000).</summary>
    public long ExpireRecordingOrders { get; init; } = 5_000;

    /// <summary>IFER ban threshold, basis points (<c>[QR-OLD]</c>: 0.99).</summary>
    public int ExpireBanBps { get; init; } = 9_900;

    /// <summary>DR recording threshold: orders per cycle (<c>[QR-OLD]</c>: 10,000).</summary>
    public long DustRecordingOrders { get; init; } = 10_000;

    /// <summary>DR ban threshold, basis points (<c>[QR-OLD]</c>: 0.9).</summary>
    public int DustBanBps { get; init; } = 9_000;

    /// <summary>Dust notional: an order below this is dust, 10⁻⁸ quote units ("$50 for now", binance.md §9).</summary>
    public long DustNotional { get; init; } = 50L * 100_000_000;

    /// <summary>Warning margin on the ratios, basis points: warn from <c>ban − margin</c>.</summary>
    public int WarningMarginBps { get; init; } = 500;

    /// <summary>Warning margin on the recording counts, basis points of the count: warn from <c>recording × (1 − margin)</c>.</summary>
    public int WarningCountMarginBps { get; init; } = 1_000;
}
