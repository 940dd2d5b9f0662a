using System.Text;
using System.Text.Json;
using OptiFlow.Engine.Model;

namespace OptiFlow.Adapters.Binance.Filters;

/// <summary>
/// Parses an exchangeInfo response with <see cref="JsonDocument"/> (start-up only, never on the hot path) into an
/// <see cref="ExchangeInfo"/>. Handles the three generations in <c>shared/data/binance</c> (PROVENANCE §6): spot with
/// legacy <c>MIN_NOTIONAL</c>/<c>PERCENT_PRICE</c> (2021–2022), spot with <c>NOTIONAL</c>/<c>PERCENT_PRICE_BY_SIDE</c>
/// (2023), futures with <c>MIN_NOTIONAL.notional</c> and <c>MAX_NUM_ORDERS.limit</c> (USDⓈ-M 2021/2025, COIN-M 2021
/// with <c>contractStatus</c>).
/// </summary>
/// <remarks>
/// Decimal strings are parsed exactly into 10⁻⁸ units (<see cref="FixedPoint.TryParse"/>). Unknown filters and fields
/// are ignored. Thread-safe (no state). Allocates freely. Errors: <see cref="JsonException"/> for malformed JSON;
/// <see cref="InvalidDataException"/> for a missing required field, a wrong type or a decimal that does not fit.
/// </remarks>
public static class ExchangeInfoParser
{
    /// <summary>Parses a response body.</summary>
    /// <param name="json">UTF-8 JSON.</param>
    /// <returns>The parsed response.</returns>
    public static ExchangeInfo Parse(ReadOnlyMemory<byte> json)
    {
        using var document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        var root = document.RootElement;
        var symbolsElement = Required(root, "symbols", JsonValueKind.Array);
        var market = root.TryGetProperty("futuresType", out _) ? Market.Futures : Market.Spot;
        foreach (var s in symbolsElement.EnumerateArray())
        {
            if (s.TryGetProperty("contractType", out _))
            {
                market = Market.Futures;
            }

            break;
        }

        var rateLimits = new List<RateLimit>();
        if (root.TryGetProperty("rateLimits", out var limits) && limits.ValueKind == JsonValueKind.Array)
        {
            foreach (var limit in limits.EnumerateArray())
            {
                rateLimits.Add(new RateLimit(
                    String(limit, "rateLimitType"),
                    String(limit, "interval"),
                    (int)Integer(limit, "intervalNum"),
                    Integer(limit, "limit")));
            }
        }

        var symbols = new List<SymbolInfo>(symbolsElement.GetArrayLength());
        foreach (var s in symbolsElement.EnumerateArray())
        {
            symbols.Add(ParseSymbol(s, market));
        }

        var serverTime = root.TryGetProperty("serverTime", out var st) && st.ValueKind == JsonValueKind.Number ? st.GetInt64() : 0;
        return new ExchangeInfo(market, serverTime, rateLimits, symbols);
    }

    /// <summary>
    /// Parses a file holding a response body, or a cryptofeed <c>*.0</c> capture whose line 1 is
    /// <c>&lt;url&gt; -&gt; &lt;secs&gt;: &lt;json&gt;</c> (PROVENANCE §3; the later <c>configuration:</c> line is not Binance data and is skipped).
    /// </summary>
    /// <param name="path">The file.</param>
    /// <returns>The parsed response.</returns>
    public static ExchangeInfo ParseFile(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var start = 0;
        while (start < bytes.Length && bytes[start] is (byte)' ' or (byte)'\n' or (byte)'\r' or (byte)'\t')
        {
            start++;
        }

        if (start < bytes.Length && bytes[start] != (byte)'{')
        {
            var span = bytes.AsSpan(start);
            var newline = span.IndexOf((byte)'\n');
            var line = newline < 0 ? span : span[..newline];
            var arrow = line.IndexOf(" -> "u8);
            var colon = arrow < 0 ? -1 : line[arrow..].IndexOf(": "u8);
            if (colon < 0)
            {
                throw new InvalidDataException($"{path}: neither a JSON body nor a '<url> -> <secs>: <json>' capture line");
            }

            var bodyStart = start + arrow + colon + 2;
            return Parse(bytes.AsMemory(bodyStart, line.Length - (arrow + colon + 2)));
        }

        return Parse(bytes.AsMemory(start));
    }

    private static SymbolInfo ParseSymbol(JsonElement s, Market market)
    {
        var name = String(s, "symbol");
        var status = s.TryGetProperty("status", out var st) ? st.GetString() : s.TryGetProperty("contractStatus", out var cs) ? cs.GetString() : null;
        PriceFilter? price = null;
        LotSizeFilter? lot = null;
        LotSizeFilter? marketLot = null;
        NotionalFilter? minNotional = null;
        NotionalFilter? notional = null;
        PercentPriceFilter? percent = null;
        PercentPriceBySideFilter? bySide = null;
        int? maxOrders = null;
        if (s.TryGetProperty("filters", out var filters) && filters.ValueKind == JsonValueKind.Array)
        {
            foreach (var f in filters.EnumerateArray())
            {
                switch (String(f, "filterType"))
                {
                    case "PRICE_FILTER":
                        price = new PriceFilter(Decimal(f, "minPrice"), Decimal(f, "maxPrice"), Decimal(f, "tickSize"));
                        break;
                    case "LOT_SIZE":
                        lot = new LotSizeFilter(Decimal(f, "minQty"), Decimal(f, "maxQty"), Decimal(f, "stepSize"));
                        break;
                    case "MARKET_LOT_SIZE":
                        marketLot = new LotSizeFilter(Decimal(f, "minQty"), Decimal(f, "maxQty"), Decimal(f, "stepSize"));
                        break;
                    case "MIN_NOTIONAL" when f.TryGetProperty("notional", out _):
                        minNotional = new NotionalFilter(Decimal(f, "notional"), 0, ApplyMinToMarket: true, ApplyMaxToMarket: false, AvgPriceMins: 0);
                        break;
                    case "MIN_NOTIONAL":
                        minNotional = new NotionalFilter(Decimal(f, "minNotional"), 0, Bool(f, "applyToMarket"), ApplyMaxToMarket: false, (int)Integer(f, "avgPriceMins"));
                        break;
                    case "NOTIONAL":
                        notional = new NotionalFilter(
                            Decimal(f, "minNotional"), Decimal(f, "maxNotional"), Bool(f, "applyMinToMarket"), Bool(f, "applyMaxToMarket"), (int)Integer(f, "avgPriceMins"));
                        break;
                    case "PERCENT_PRICE":
                        percent = new PercentPriceFilter(
                            Decimal(f, "multiplierUp"),
                            Decimal(f, "multiplierDown"),
                            f.TryGetProperty("avgPriceMins", out _) ? (int)Integer(f, "avgPriceMins") : 0,
                            f.TryGetProperty("multiplierDecimal", out _) ? (int)Integer(f, "multiplierDecimal") : 0);
                        break;
                    case "PERCENT_PRICE_BY_SIDE":
                        bySide = new PercentPriceBySideFilter(
                            Decimal(f, "bidMultiplierUp"), Decimal(f, "bidMultiplierDown"), Decimal(f, "askMultiplierUp"), Decimal(f, "askMultiplierDown"), (int)Integer(f, "avgPriceMins"));
                        break;
                    case "MAX_NUM_ORDERS":
                        maxOrders = (int)Integer(f, f.TryGetProperty("maxNumOrders", out _) ? "maxNumOrders" : "limit");
                        break;
                }
            }
        }

        return new SymbolInfo
        {
            Symbol = name,
            Market = market,
            Status = status ?? throw new InvalidDataException($"{name}: no status or contractStatus"),
            BaseAsset = String(s, "baseAsset"),
            QuoteAsset = String(s, "quoteAsset"),
            ContractType = s.TryGetProperty("contractType", out var ct) ? ct.GetString() : null,
            PriceFilter = price,
            LotSize = lot,
            MarketLotSize = marketLot,
            MinNotional = minNotional,
            Notional = notional,
            PercentPrice = percent,
            PercentPriceBySide = bySide,
            MaxNumOrders = maxOrders,
        };
    }

    private static JsonElement Required(JsonElement e, string name, JsonValueKind kind)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"exchangeInfo: missing '{name}'");
        }

        if (value.ValueKind != kind)
        {
            throw new InvalidDataException($"exchangeInfo: '{name}' is {value.ValueKind}, expected {kind}");
        }

        return value;
    }

    private static string String(JsonElement e, string name) => Required(e, name, JsonValueKind.String).GetString()!;

    private static bool Bool(JsonElement e, string name)
    {
        var value = e.TryGetProperty(name, out var v) ? v : throw new InvalidDataException($"exchangeInfo: missing '{name}'");
        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw new InvalidDataException($"exchangeInfo: '{name}' is {value.ValueKind}, expected a boolean"),
        };
    }

    /// <summary>An integer sent as a JSON number or, as futures <c>multiplierDecimal</c> is (<c>"4"</c>), as a string of digits.</summary>
    private static long Integer(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"exchangeInfo: missing '{name}'");
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var n))
        {
            return n;
        }

        if (value.ValueKind == JsonValueKind.String && long.TryParse(value.GetString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out n))
        {
            return n;
        }

        throw new InvalidDataException($"exchangeInfo: '{name}' is not an int64 ({value.ValueKind})");
    }

    private static long Decimal(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var value))
        {
            throw new InvalidDataException($"exchangeInfo: missing '{name}'");
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString()!,
            JsonValueKind.Number => value.GetRawText(),
            _ => throw new InvalidDataException($"exchangeInfo: '{name}' is {value.ValueKind}, expected a decimal"),
        };
        var status = FixedPoint.TryParse(Encoding.UTF8.GetBytes(text), out var units);
        return status == FixedPointParseStatus.Ok
            ? units
            : throw new InvalidDataException($"exchangeInfo: '{name}' = \"{text}\" is not a decimal with at most 8 places that fits ({status})");
    }
}
