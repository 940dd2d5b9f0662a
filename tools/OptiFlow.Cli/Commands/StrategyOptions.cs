using System.CommandLine;
using System.Globalization;
using System.Text;
using OptiFlow.Engine.Hosting.Evaluators;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;

namespace OptiFlow.Cli.Commands;

/// <summary>The strategy options of <c>run</c> and <c>demo</c>: which strategies the core runs and their limits.</summary>
internal sealed class StrategyOptions
{
    private readonly Option<double?> _obiMaker = new("--obi-maker")
    {
        Description = "Run the OBI maker: a post-only quote at the touch when OBI reaches ±THRESHOLD (0 < THRESHOLD ≤ 1), cancelled when OBI changes sign; its order commands are journaled and replayed (nothing sends them yet)",
    };

    private readonly Option<string?> _obiMeasure = new("--obi-measure") { Description = "The imbalance the maker reads: obi1, obi5 (default), obi10 or wobi10 (distance-weighted)" };

    private readonly Option<string?> _makerQuantity = new("--maker-qty") { Description = "Quantity of each maker quote, in base units (default 0.001)" };

    private readonly Option<double?> _triangleTaker = new("--triangle-taker")
    {
        Description = "Run the triangle evaluator over --exchange-info and the triangle taker: three IOC legs for every executable plan with edge ≥ MIN_EDGE_BPS after fees; journaled and replayed (nothing sends them yet)",
    };

    private readonly Option<string?> _exchangeInfo = new("--exchange-info") { Description = "Spot exchangeInfo JSON (GET /api/v3/exchangeInfo) for --triangle-taker: the triangle universe and each leg's filters" };

    private readonly Option<double?> _takerFeeBps = new("--taker-fee-bps") { Description = "Taker fee per leg for --triangle-taker, bps (default 10)" };

    private readonly Option<string?> _vpin = new("--vpin")
    {
        Description = "Run the VPIN evaluator: buckets of V base units, a record per completed bucket (as 'optiflow flow' prints)",
    };

    private readonly Option<int?> _vpinWindow = new("--vpin-window") { Description = "Buckets per VPIN window (default 50)" };

    private readonly Option<int?> _flowImbalance = new("--flow-imbalance")
    {
        Description = "Run the OFI/TFI evaluator (windows of 100 best-quote updates and 100 trades), a record every N updates of a symbol",
    };

    private readonly Option<int?> _maxOpenOrders = new("--max-open-orders") { Description = "Per strategy: most orders open at once (default 4)" };

    private readonly Option<string?> _maxNotional = new("--max-notional") { Description = "Per strategy: most open notional, price × quantity, in quote units (default 1000)" };

    private readonly Option<long?> _cooldownMs = new("--cooldown-ms") { Description = "Per strategy: least event time between two new orders on one symbol, ms (default 1000)" };

    /// <summary>The <c>--exchange-info</c> file, or null.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The path as given.</returns>
    public string? ExchangeInfoFile(ParseResult parse) => parse.GetValue(_exchangeInfo);

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [_obiMaker, _obiMeasure, _makerQuantity, _triangleTaker, _exchangeInfo, _takerFeeBps, _vpin, _vpinWindow, _flowImbalance, _maxOpenOrders, _maxNotional, _cooldownMs];

    /// <summary>The factories the command line asks for (empty for none), every value checked.</summary>
    /// <param name="parse">The parse result.</param>
    /// <returns>The factories, in call order.</returns>
    /// <exception cref="UsageException">A value is invalid, or a strategy option is given without its strategy.</exception>
    public IReadOnlyList<EvaluatorFactory> Factories(ParseResult parse)
    {
        var limits = Limits(parse);
        var factories = new List<EvaluatorFactory>();

        // Evaluators first: strategies after them may read their values on the same event.
        if (parse.GetValue(_flowImbalance) is { } every)
        {
            if (every < 1)
            {
                throw new UsageException($"--flow-imbalance: a record every {every} updates is not possible; give 1 or more.");
            }

            factories.Add(new FlowImbalanceFactory(ofiWindow: 100, tfiWindow: 100, emitEvery: every, fromBookTicker: false));
        }

        if (parse.GetValue(_vpin) is { } bucketVolume)
        {
            var window = parse.GetValue(_vpinWindow) ?? 50;
            if (window < 1)
            {
                throw new UsageException($"--vpin-window: {window} is not a window; give 1 or more buckets.");
            }

            factories.Add(new VpinEvaluatorFactory(Units(bucketVolume, "--vpin"), window));
        }
        else if (parse.GetValue(_vpinWindow) is not null)
        {
            throw new UsageException("--vpin-window configures the VPIN evaluator: add --vpin V.");
        }

        if (parse.GetValue(_obiMaker) is { } threshold)
        {
            var options = new ObiMakerOptions
            {
                Threshold = threshold,
                Measure = Measure(parse.GetValue(_obiMeasure)),
                Quantity = parse.GetValue(_makerQuantity) is { } quantity ? Units(quantity, "--maker-qty") : new ObiMakerOptions().Quantity,
                Limits = limits,
            };
            try
            {
                factories.Add(new ObiMakerFactory(options));
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException($"--obi-maker: {e.Message.Split(Environment.NewLine)[0]}");
            }
        }
        else if (parse.GetValue(_obiMeasure) is not null || parse.GetValue(_makerQuantity) is not null)
        {
            throw new UsageException("--obi-measure and --maker-qty configure the OBI maker: add --obi-maker THRESHOLD.");
        }

        if (parse.GetValue(_triangleTaker) is { } minEdge)
        {
            var exchangeInfo = parse.GetValue(_exchangeInfo) ?? throw new UsageException("--triangle-taker needs --exchange-info FILE (a spot exchangeInfo response).");
            var taker = new TriangleTakerOptions { MinEdgeBps = minEdge, Limits = parse.GetValue(_maxOpenOrders) is null ? limits with { MaxOpenOrders = TriangleTaker.LegsPerCycle } : limits };
            try
            {
                taker.Validate();
            }
            catch (ArgumentOutOfRangeException e)
            {
                throw new UsageException($"--triangle-taker: {e.Message.Split(Environment.NewLine)[0]}");
            }

            // The evaluator emits what the taker may trade (edge ≥ its threshold), so the journal holds every opportunity it saw.
            factories.Add(new TriangleEvaluatorFactory(exchangeInfo, parse.GetValue(_takerFeeBps) ?? 10, minEdge));
            factories.Add(new TriangleTakerFactory(taker));
        }
        else if (parse.GetValue(_exchangeInfo) is not null || parse.GetValue(_takerFeeBps) is not null)
        {
            throw new UsageException("--exchange-info and --taker-fee-bps configure the triangle taker: add --triangle-taker MIN_EDGE_BPS.");
        }

        return factories;
    }

    private StrategyLimits Limits(ParseResult parse)
    {
        var defaults = new StrategyLimits();
        var limits = new StrategyLimits
        {
            MaxOpenOrders = parse.GetValue(_maxOpenOrders) ?? defaults.MaxOpenOrders,
            MaxNotional = parse.GetValue(_maxNotional) is { } notional ? Units(notional, "--max-notional") : defaults.MaxNotional,
            CooldownMs = parse.GetValue(_cooldownMs) ?? defaults.CooldownMs,
        };
        try
        {
            limits.Validate();
        }
        catch (ArgumentOutOfRangeException e)
        {
            throw new UsageException($"strategy limits: {e.ParamName} must be positive ({e.ActualValue ?? "given"}); cooldown may be 0.");
        }

        return limits;
    }

    private static ImbalanceMeasure Measure(string? text) => text?.ToLowerInvariant() switch
    {
        null or "obi5" => ImbalanceMeasure.Obi5,
        "obi1" => ImbalanceMeasure.Obi1,
        "obi10" => ImbalanceMeasure.Obi10,
        "wobi10" => ImbalanceMeasure.Wobi10,
        _ => throw new UsageException($"--obi-measure: '{text}' is not obi1, obi5, obi10 or wobi10."),
    };

    private static long Units(string text, string option)
    {
        if (FixedPoint.TryParse(Encoding.UTF8.GetBytes(text), out var units) != FixedPointParseStatus.Ok || units <= 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option}: '{text}' is not a positive decimal with at most {FixedPoint.Decimals} decimals."));
        }

        return units;
    }
}
