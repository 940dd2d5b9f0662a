using System.CommandLine;
using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.Filters;
using OptiFlow.Adapters.Binance.Trading;
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

    private readonly Option<string?> _credentials = new("--credentials")
    {
        Description = "sim/live: a 0600 file of OPTIFLOW_API_KEY= and OPTIFLOW_API_SECRET= (HMAC) or OPTIFLOW_PRIVATE_KEY_FILE= (Ed25519/RSA PEM) lines (default: those environment variables)",
    };

    private readonly Option<string?> _tradeEndpoint = new("--trade-endpoint") { Description = "sim/live: WebSocket API address override, e.g. ws://127.0.0.1:PORT/ws-fapi/v1 (default: derived from --endpoint for sim, Binance's for live)" };

    /// <summary>Every option, to add to a command.</summary>
    public IEnumerable<Option> All => [_trade, _filters, _maxPosition, _maxSymbolNotional, _maxTotalNotional, _maxAccountOrders, _paperFees, _orderLatencyMs, _gatewayCpu, _gatewayWait, _credentials, _tradeEndpoint];

    /// <summary>The trading options the command line asks for, or null for <c>--trade off</c>.</summary>
    /// <param name="parse">The parse result.</param>
    /// <param name="market">The session's market (fee defaults).</param>
    /// <param name="exchangeInfoFallback">The <c>--exchange-info</c> file, used when <c>--filters</c> is absent.</param>
    /// <param name="defaultMode">The mode when <c>--trade</c> is absent.</param>
    /// <param name="defaultFilters">The filters file when neither option names one (the demo's own).</param>
    /// <param name="liveVenue">The market-data venue of a live run (<c>sim</c>, <c>binance-spot</c>, <c>binance-futures</c>), or null for a file run.</param>
    /// <param name="streamEndpoint">The live run's stream base address (the simulator's), or null.</param>
    /// <returns>The options, or null.</returns>
    /// <exception cref="UsageException">A value is invalid, or a trading option is given without <c>--trade</c>.</exception>
    public TradingOptions? Options(ParseResult parse, Market market, string? exchangeInfoFallback, TradingMode defaultMode = TradingMode.Off, string? defaultFilters = null, string? liveVenue = null, Uri? streamEndpoint = null)
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

        Func<SymbolTable, Market, Engine.Gateway.IOrderVenue>? venueFactory = null;
        string? keyId = null;
        if (mode is TradingMode.Simulator or TradingMode.Live)
        {
            (venueFactory, keyId) = WsApiVenue(parse, mode, liveVenue, streamEndpoint);
        }
        else if (parse.GetResult(_credentials) is { Implicit: false } || parse.GetResult(_tradeEndpoint) is { Implicit: false })
        {
            throw new UsageException("--credentials and --trade-endpoint are for --trade sim or live.");
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
            VenueFactory = venueFactory,
            KeyId = keyId,
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

    /// <summary>
    /// The WebSocket API venue of <c>--trade sim</c> (the simulator exchange on the live run's loopback port) or
    /// <c>--trade live</c> (Binance): credentials from <c>--credentials</c> or the environment, the API address, and a
    /// client order id prefix of this session (ids are unique per session by construction; the prefix keeps them unique
    /// across sessions, binance.md §8.2).
    /// </summary>
    private (Func<SymbolTable, Market, Engine.Gateway.IOrderVenue> Factory, string KeyId) WsApiVenue(ParseResult parse, TradingMode mode, string? liveVenue, Uri? streamEndpoint)
    {
        var isSimFeed = string.Equals(liveVenue, "sim", StringComparison.OrdinalIgnoreCase);
        if (liveVenue is null)
        {
            throw new UsageException($"--trade {(mode == TradingMode.Live ? "live" : "sim")} trades against a live feed: add --venue {(mode == TradingMode.Live ? "binance-spot|binance-futures" : "sim --endpoint ws://127.0.0.1:PORT")} (a file run trades on --trade paper).");
        }

        if (mode == TradingMode.Simulator != isSimFeed)
        {
            throw new UsageException(mode == TradingMode.Simulator
                ? "--trade sim sends orders to the simulator: use it with --venue sim."
                : "--trade live sends real orders to Binance: use it with --venue binance-spot or binance-futures, not the simulator.");
        }

        ApiCredentials credentials;
        try
        {
            credentials = parse.GetValue(_credentials) is { } file ? ApiCredentials.FromFile(file) : ApiCredentials.FromEnvironment();
        }
        catch (ApiCredentialsException e)
        {
            throw new UsageException($"--trade {(mode == TradingMode.Live ? "live" : "sim")}: {e.Message}");
        }

        Uri? apiUri = null;
        if (parse.GetValue(_tradeEndpoint) is { } text)
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out apiUri) || apiUri.Scheme is not ("ws" or "wss"))
            {
                throw new UsageException($"--trade-endpoint: '{text}' is not a ws:// or wss:// address.");
            }
        }

        var prefix = string.Create(CultureInfo.InvariantCulture, $"of{DateTimeOffset.UtcNow.ToUnixTimeSeconds() % 46_656:x}-");
        var endpoint = streamEndpoint;
        return ((symbols, market) =>
        {
            var futures = market == Market.Futures;
            var api = apiUri ?? (isSimFeed ? new Uri(endpoint!, futures ? "/ws-fapi/v1" : "/ws-api/v3") : futures ? OrderVenueOptions.FuturesApiUri : OrderVenueOptions.SpotApiUri);
            var userData = isSimFeed ? new Uri(endpoint!, "/private/ws") : OrderVenueOptions.FuturesPrivateUri;
            return new BinanceOrderVenue(new OrderVenueOptions
            {
                Market = market,
                Credentials = credentials,
                Symbols = symbols,
                ApiUri = api,
                FuturesUserDataUri = futures ? userData : null,
                ClientOrderIdPrefix = prefix,
            });
        }, credentials.KeyId);
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
