namespace OptiFlow.Engine.Risk;

/// <summary>Where a symbol stands against one quantitative-rules indicator in the current cycle (binance.md §9).</summary>
public enum QuantRuleLevel : byte
{
    /// <summary>Below the warning point.</summary>
    Normal = 0,

    /// <summary>
    /// Within the configured margin of the ban threshold: the orders count is at least the recording threshold minus its margin
    /// and the ratio at least the ban ratio minus its margin. Slow down before Binance restricts the symbol.
    /// </summary>
    Warning = 1,

    /// <summary>At or past both the recording threshold (count) and the ban threshold (ratio): Binance would restrict the symbol.</summary>
    Breach = 2,
}
