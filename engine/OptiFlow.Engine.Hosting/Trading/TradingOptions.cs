using OptiFlow.Engine.Gateway;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>
/// How a session trades: the venue, the pre-trade risk rules and limits, and the order gateway's thread
/// (<see cref="EngineOptions.Trading"/>; null: no gateway).
/// </summary>
/// <remarks>Immutable once built; read by the session on the controlling thread when it is created.</remarks>
public sealed record TradingOptions
{
    /// <summary>Where commands go. <see cref="TradingMode.Paper"/> builds a <see cref="PaperVenue"/>; the others need <see cref="VenueFactory"/>.</summary>
    public TradingMode Mode { get; init; } = TradingMode.Paper;

    /// <summary>Builds the venue for <see cref="TradingMode.Simulator"/> and <see cref="TradingMode.Live"/> from the session's frozen symbol table and market; ignored for paper.</summary>
    public Func<SymbolTable, Market, IOrderVenue>? VenueFactory { get; init; }

    /// <summary>The id of the API key the venue uses (e.g. <c>ApiCredentials.KeyId</c>), recorded in the journal's session header; never the key itself. Null for paper.</summary>
    public string? KeyId { get; init; }

    /// <summary>The paper venue's matching engine: fees (bps), order-entry latency (ms of event time), capacities.</summary>
    public MatchingOptions Matching { get; init; } = new();

    /// <summary>
    /// Price levels per book side the paper venue reserves for each symbol; null (default): the core's
    /// <see cref="Books.OrderBook.DefaultCapacity"/> (8,192) for sessions of up to 64 symbols, else
    /// <see cref="MatchingOptions.BookCapacity"/> (bookTicker universes need a level or two). A book that outgrows it
    /// grows (allocates) on the gateway thread.
    /// </summary>
    public int? PaperBookCapacity { get; init; }

    /// <summary>
    /// Paper trading on a recording: publish each frame only once the core and the gateway have handled everything before
    /// it, execution reports included (default true). A venue's answer then lands right after its cause, as it would live,
    /// and a paper run is the same run after run (same journal, same fills). False lets the producer run a ring ahead:
    /// faster, but reports land up to a ring of events after their cause, wherever the threads put them.
    /// </summary>
    public bool PaperLockstep { get; init; } = true;

    /// <summary>
    /// exchangeInfo filters per symbol name (binance.md §4.3), e.g. from <c>SymbolInfo.ToInstrumentRules</c>. A command on a
    /// symbol without rules is refused by risk (<see cref="RiskReason.UnknownSymbol"/>).
    /// </summary>
    public IReadOnlyDictionary<string, InstrumentRules> Instruments { get; init; } = new Dictionary<string, InstrumentRules>();

    /// <summary>Account limits: position and notional per symbol and in total, open orders, request weights.</summary>
    public RiskLimits Limits { get; init; } = new();

    /// <summary>The order and weight budgets (exchangeInfo <c>rateLimits</c>, binance.md §4.4, §6); empty: none.</summary>
    public IReadOnlyList<RateLimitRule> RateLimits { get; init; } = [];

    /// <summary>USDⓈ-M quantitative-rules thresholds (binance.md §9) the gateway warns against; null: the documented defaults.</summary>
    public QuantRulesThresholds? QuantRules { get; init; }

    /// <summary>
    /// Trips the kill switch when the account's PnL (cash + position × reference price − commission, summed over symbols,
    /// checked after every fill) falls below −<see cref="MaxLoss"/>, in 10⁻⁸ quote units; 0 (default): no loss limit.
    /// </summary>
    public long MaxLoss { get; init; }

    /// <summary>
    /// When the session stops, cancel every order still open (one cancel per order, client order ids of the gateway) and wait (bounded by <see cref="VenueDrainTimeout"/>) for the reports, so the session ends with every
    /// order filled, cancelled, expired or rejected. Default true; false leaves resting orders on the venue.
    /// </summary>
    public bool CancelOpenOrdersOnStop { get; init; } = true;

    /// <summary>CPU to pin the gateway thread to, or null.</summary>
    public int? GatewayCpu { get; init; }

    /// <summary>How the gateway thread idles between events: busy-spin, yielding (default), or sleeping (blocking and
    /// batching sleep too: the gateway polls two rings and its venue, no producer can signal it).</summary>
    public WaitStrategyKind GatewayWaitStrategy { get; init; } = WaitStrategyKind.Yielding;

    /// <summary>Execution reports the gateway can hold while the inbound ring is full (it never blocks on the ring it reads). Default 65,536; a report beyond it is counted and trips the kill switch.</summary>
    public int ReportBacklog { get; init; } = 1 << 16;

    /// <summary>Order commands taken from the outbound ring and waiting for their causing event. Default 65,536.</summary>
    public int PendingCommands { get; init; } = 1 << 16;

    /// <summary>How long <see cref="EngineSession.Stop"/> waits for the venue's in-flight answers. Default 5 s.</summary>
    public TimeSpan VenueDrainTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>These options with the filters of every symbol and the rate limits of an exchangeInfo (binance.md §4).</summary>
    /// <param name="exchangeInfo">The parsed exchangeInfo.</param>
    /// <returns>A copy with <see cref="Instruments"/> and <see cref="RateLimits"/> replaced.</returns>
    public TradingOptions WithExchangeInfo(Adapters.Binance.Filters.ExchangeInfo exchangeInfo)
    {
        ArgumentNullException.ThrowIfNull(exchangeInfo);
        return this with
        {
            Instruments = exchangeInfo.Symbols.ToDictionary(s => s.Symbol, s => s.ToInstrumentRules(), StringComparer.Ordinal),
            RateLimits = [.. exchangeInfo.RateLimits.Select(r => r.ToRule()).OfType<RateLimitRule>()],
        };
    }

    /// <summary>Checks the values.</summary>
    /// <exception cref="ArgumentException">A value is out of range, or a non-paper mode has no venue factory.</exception>
    public void Validate()
    {
        if (Mode == TradingMode.Off)
        {
            throw new ArgumentException("TradingOptions with Mode Off: leave EngineOptions.Trading null instead.", nameof(Mode));
        }

        if (Mode != TradingMode.Paper && VenueFactory is null)
        {
            throw new ArgumentException($"Trading mode {Mode} needs a VenueFactory.", nameof(VenueFactory));
        }

        if (ReportBacklog < 16 || PendingCommands < 16)
        {
            throw new ArgumentException("ReportBacklog and PendingCommands must be at least 16.", nameof(ReportBacklog));
        }

        if (MaxLoss < 0)
        {
            throw new ArgumentException("MaxLoss must not be negative (0: no loss limit).", nameof(MaxLoss));
        }

        if (VenueDrainTimeout < TimeSpan.Zero)
        {
            throw new ArgumentException("VenueDrainTimeout must not be negative.", nameof(VenueDrainTimeout));
        }
    }
}
