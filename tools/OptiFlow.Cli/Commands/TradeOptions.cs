using System.CommandLine;
using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Hosting.Trading;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// The trading options of <c>run</c> and <c>demo</c>: <c>--trade off|paper|sim|live</c>, the exchangeInfo whose filters
/// pre-trade risk enforces, account limits, the paper venue's fees and latency, and the gateway thread.
/// </summary>
internal sealed class TradeOptions
{
    private readonly Option<string?> _trade = new("--trade")
    {
        Description = "Send the strategies' orders: off (default: journal them only), paper (in-process matching engine on the recorded book), sim (the simulator exchange) or live",
    };

    private readonly Option<string?> _filters = new("--filters") { Description = "exchangeInfo JSON (spot or USDⓈ-M) whose filters and rateLimits pre-trade risk enforces (default: --exchange-info)" };

    private readonly Option<string?> _maxPosition = new("--max-position") { Description = "Risk: most position per symbol, base units (default: no limit)" };

    private readonly Option<string?> _maxSymbolNotional = new("--max-symbol-notional") { Description = "Risk: most position + open-order notional per symbol, quote units (default: no limit)" };

    private readonly Option<string?> _maxTotalNotional = new("--max-total-notional") { Description = "Risk: most notional over all symbols, quote units (default: no limit)" };

    private readonly Option<int?> _maxAccountOrders = new("--max-account-orders") { Description = "Risk: most open orders over all symbols (default: no limit beyond MAX_NUM_ORDERS)" };

    private readonly Option<string?> _paperFees = new("--paper-fees") { Description = "Paper venue fees MAKER,TAKER in bps (default 2,5 futures; 10,10 spot)" };

    private readonly Option<long?> _orderLatencyMs = new("--order-latency-ms") { Description = "Paper venue order-entry latency, ms of event time (default 0)" };

    private readonly Option<int?> _gatewayCpu = new("--gateway-cpu") { Description = "Pin the order gateway thread to this CPU" };

    private readonly Option<string?> _gatewayWait = new("--gateway-wait-strategy") { Description = "How the gateway idles: yielding (default), busy-spin or sleeping" };

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [_trade, _filters, _maxPosition, _maxSymbolNotional, _maxTotalNotional, _maxAccountOrders, _paperFees, _orderLatencyMs, _gatewayCpu, _gatewayWait];

    /// <summary>The trading options the command line asks for, or null for <c>--trade off</c>.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="market">The session's market (fee defaults).</param>
    /// <param name="exchangeInfoFallback">The <c>--exchange-info</c> file, used when <c>--filters</c> is absent.</param>
    /// <param name="defaultMode">The mode when <c>--trade</c> is absent.</param>
    /// <param name="defaultFilters">The filters file when neither option names one (the demo's own).</param>
    /// <returns>The options, or null.</returns>
    /// <exception cref="UsageException">A value is invalid, or a trading option is given without <c>--trade</c>.</exception>
    public TradingOptions? Options(ParseResult parse, Market market, string? exchangeInfoFallback, TradingMode defaultMode = TradingMode.Off, string? defaultFilters = null)
    {
        var mode = parse.GetValue(_trade)?.ToLowerInvariant() switch
        {
            null => defaultMode,
            "off" => TradingMode.Off,
            "paper" => TradingMode.Paper,
            "sim" => TradingMode.Simulator,
            "live" => TradingMode.Live,
            var other => throw new UsageException($"--trade: '{other}' is not off, paper, sim or live."),
        };
        if (mode == TradingMode.Off)
        {
            var stray = All.Skip(1).FirstOrDefault(o => parse.GetResult(o) is { Implicit: false });
            if (stray is not null)
            {
                throw new UsageException($"{stray.Name} configures trading: add --trade paper|sim|live.");
            }

            return null;
        }

        if (mode is TradingMode.Simulator or TradingMode.Live)
        {
            throw new UsageException($"--trade {parse.GetValue(_trade)}: the WebSocket API venues are not wired into file runs yet; use --trade paper.");
        }

        var filtersFile = parse.GetValue(_filters) ?? exchangeInfoFallback ?? defaultFilters
            ?? throw new UsageException("--trade needs --filters FILE: the exchangeInfo whose filters pre-trade risk enforces (GET /api/v3/exchangeInfo or /fapi/v1/exchangeInfo).");
        if (!File.Exists(filtersFile))
        {
            throw new UsageException($"--filters: no such file: {filtersFile}");
        }

        ExchangeInfo exchangeInfo;
        try
        {
            exchangeInfo = ExchangeInfoParser.ParseFile(filtersFile);
        }
        catch (Exception e) when (e is FormatException or System.Text.Json.JsonException or InvalidDataException)
        {
            throw new UsageException($"--filters {filtersFile}: not an exchangeInfo response: {e.Message}");
        }

        var (makerBps, takerBps) = Fees(parse.GetValue(_paperFees), market);
        var latency = parse.GetValue(_orderLatencyMs) ?? 0;
        if (latency < 0)
        {
            throw new UsageException($"--order-latency-ms: {latency} is negative.");
        }

        var options = new TradingOptions
        {
            Mode = mode,
            Matching = new MatchingOptions { MakerFeeBasisPoints = makerBps, TakerFeeBasisPoints = takerBps, OrderEntryLatencyMs = latency },
            Limits = new RiskLimits
            {
                MaxPositionPerSymbol = Units(parse.GetValue(_maxPosition), "--max-position"),
                MaxNotionalPerSymbol = Units(parse.GetValue(_maxSymbolNotional), "--max-symbol-notional"),
                MaxTotalNotional = Units(parse.GetValue(_maxTotalNotional), "--max-total-notional"),
                MaxOpenOrders = parse.GetValue(_maxAccountOrders) is { } n ? (n > 0 ? n : throw new UsageException($"--max-account-orders: {n} is not positive.")) : 0,
            },
            GatewayCpu = parse.GetValue(_gatewayCpu),
            GatewayWaitStrategy = OptiFlowCommand.ParseWait(parse.GetValue(_gatewayWait), "--gateway-wait-strategy"),
        }.WithExchangeInfo(exchangeInfo);
        if (options.GatewayWaitStrategy == WaitStrategyKind.Blocking)
        {
            throw new UsageException("--gateway-wait-strategy: the gateway polls two rings and its venue, nothing can wake it: use yielding, busy-spin or sleeping.");
        }

        return options;
    }

    private static (decimal Maker, decimal Taker) Fees(string? text, Market market)
    {
        if (text is null)
        {
            return market == Market.Spot ? (10m, 10m) : (2m, 5m);
        }

        var parts = text.Split(',');
        if (parts.Length == 2
            && decimal.TryParse(parts[0], NumberStyles.Number, CultureInfo.InvariantCulture, out var maker)
            && decimal.TryParse(parts[1], NumberStyles.Number, CultureInfo.InvariantCulture, out var taker)
            && Math.Abs(maker) <= 100 && Math.Abs(taker) <= 100)
        {
            return (maker, taker);
        }

        throw new UsageException($"--paper-fees: '{text}' is not MAKER,TAKER in bps (each within ±100), e.g. 2,5.");
    }

    private static long Units(string? text, string option)
    {
        if (text is null)
        {
            return 0;
        }

        if (FixedPoint.TryParse(Encoding.UTF8.GetBytes(text), out var units) != FixedPointParseStatus.Ok || units <= 0)
        {
            throw new UsageException(string.Create(CultureInfo.InvariantCulture, $"{option}: '{text}' is not a positive decimal with at most {FixedPoint.Decimals} decimals."));
        }

        return units;
    }
}
