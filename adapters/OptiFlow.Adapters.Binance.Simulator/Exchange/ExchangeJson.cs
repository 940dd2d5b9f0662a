using System.Buffers;
using System.Globalization;
using System.Text.Json;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>
/// The JSON shapes of the simulated exchange: order results (binance.md §5.3 spot ACK/RESULT/FULL, §5.4 USDⓈ-M),
/// spot <c>executionReport</c> (§7.1), USDⓈ-M <c>ORDER_TRADE_UPDATE</c> and <c>ACCOUNT_UPDATE</c> (§7.2). Prices and
/// quantities are exact decimal strings from 10⁻⁸ units: spot with 8 decimals as Binance prints them
/// (<c>"23416.10000000"</c>), USDⓈ-M canonical (<c>"42088"</c>, <c>"0.1"</c>); never a double.
/// </summary>
/// <remarks>Thread-safe (no state). Allocates (not a hot path).</remarks>
internal static class ExchangeJson
{
    public static readonly JsonWriterOptions WriterOptions = new() { Indented = false };

    /// <summary>Spot's 8-decimal text of 10⁻⁸ units.</summary>
    public static string Fixed8(long units)
    {
        var negative = units < 0;
        var magnitude = negative ? (ulong)(-(units + 1)) + 1 : (ulong)units;
        return string.Create(CultureInfo.InvariantCulture, $"{(negative ? "-" : "")}{magnitude / FixedPoint.Scale}.{magnitude % FixedPoint.Scale:D8}");
    }

    /// <summary>The market's decimal text: <see cref="Fixed8"/> on spot, canonical (<see cref="FixedPoint.ToString(long)"/>) on futures.</summary>
    public static string Decimal(Market market, long units) => market == Market.Spot ? Fixed8(units) : FixedPoint.ToString(units);

    /// <summary>Runs <paramref name="write"/> on a fresh writer and returns the UTF-8 bytes.</summary>
    public static byte[] Build(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions))
        {
            write(writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string SideText(OrderSide side) => side == OrderSide.Buy ? "BUY" : "SELL";

    public static string StatusText(OrderStatus status) => status switch
    {
        OrderStatus.New => "NEW",
        OrderStatus.PartiallyFilled => "PARTIALLY_FILLED",
        OrderStatus.Filled => "FILLED",
        OrderStatus.Canceled => "CANCELED",
        OrderStatus.Expired => "EXPIRED",
        _ => "REJECTED",
    };

    /// <summary>Spot <c>eR</c> (§7.1) of an expired order.</summary>
    public static string ExpiryReasonText(ExecutionReason reason) => reason switch
    {
        ExecutionReason.UnfilledIocQuantityExpired => "UNFILLED_IOC_QUANTITY_EXPIRED",
        ExecutionReason.UnfilledFokOrderExpired => "UNFILLED_FOK_ORDER_EXPIRED",
        ExecutionReason.InsufficientLiquidity => "INSUFFICIENT_LIQUIDITY",
        _ => "EXCHANGE_CANCELED",
    };

    /// <summary>Average fill price, 10⁻⁸ units (0 without fills).</summary>
    public static long AveragePrice(ExchangeOrder order) =>
        order.Executed == 0 ? 0 : (long)((Int128)order.CumulativeQuote * FixedPoint.Scale / order.Executed);

    /// <summary>Spot <c>order.place</c> result (§5.3): ACK, RESULT or FULL.</summary>
    public static void WriteSpotOrder(Utf8JsonWriter w, ExchangeOrder order, string respType, string commissionAsset)
    {
        w.WriteStartObject();
        w.WriteString("symbol", order.Symbol);
        w.WriteNumber("orderId", order.OrderId);
        w.WriteNumber("orderListId", -1);
        w.WriteString("clientOrderId", order.ClientOrderId);
        w.WriteNumber("transactTime", order.CreatedMs);
        if (respType != "ACK")
        {
            WriteSpotCommon(w, order);
            if (order.WorkingMs > 0)
            {
                w.WriteNumber("workingTime", order.WorkingMs);
            }

            w.WriteString("selfTradePreventionMode", "NONE");
            if (respType == "FULL")
            {
                w.WriteStartArray("fills");
                foreach (var fill in order.Fills)
                {
                    w.WriteStartObject();
                    w.WriteString("price", Fixed8(fill.Price));
                    w.WriteString("qty", Fixed8(fill.Quantity));
                    w.WriteString("commission", Fixed8(fill.Commission));
                    w.WriteString("commissionAsset", commissionAsset);
                    w.WriteNumber("tradeId", fill.TradeId);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }
        }

        w.WriteEndObject();
    }

    /// <summary>Spot <c>order.cancel</c> result (§5.3): RESULT fields with <c>origClientOrderId</c>.</summary>
    public static void WriteSpotCancel(Utf8JsonWriter w, ExchangeOrder order, string cancelClientOrderId, long nowMs)
    {
        w.WriteStartObject();
        w.WriteString("symbol", order.Symbol);
        w.WriteString("origClientOrderId", order.ClientOrderId);
        w.WriteNumber("orderId", order.OrderId);
        w.WriteNumber("orderListId", -1);
        w.WriteString("clientOrderId", cancelClientOrderId);
        w.WriteNumber("transactTime", nowMs);
        WriteSpotCommon(w, order);
        w.WriteString("selfTradePreventionMode", "NONE");
        w.WriteEndObject();
    }

    /// <summary>Spot <c>order.status</c> result (§5.3).</summary>
    public static void WriteSpotStatus(Utf8JsonWriter w, ExchangeOrder order)
    {
        w.WriteStartObject();
        w.WriteString("symbol", order.Symbol);
        w.WriteNumber("orderId", order.OrderId);
        w.WriteNumber("orderListId", -1);
        w.WriteString("clientOrderId", order.ClientOrderId);
        WriteSpotCommon(w, order);
        w.WriteString("stopPrice", Fixed8(0));
        w.WriteString("icebergQty", Fixed8(0));
        w.WriteNumber("time", order.CreatedMs);
        w.WriteNumber("updateTime", order.UpdateMs);
        w.WriteBoolean("isWorking", order.WorkingMs > 0);
        w.WriteNumber("workingTime", order.WorkingMs > 0 ? order.WorkingMs : -1);
        w.WriteString("selfTradePreventionMode", "NONE");
        w.WriteEndObject();
    }

    private static void WriteSpotCommon(Utf8JsonWriter w, ExchangeOrder order)
    {
        w.WriteString("price", Fixed8(order.Price));
        w.WriteString("origQty", Fixed8(order.Quantity));
        w.WriteString("executedQty", Fixed8(order.Executed));
        w.WriteString("origQuoteOrderQty", Fixed8(0));
        w.WriteString("cummulativeQuoteQty", Fixed8(order.CumulativeQuote));
        w.WriteString("status", StatusText(order.Status));
        w.WriteString("timeInForce", order.TimeInForceText);
        w.WriteString("type", order.TypeText);
        w.WriteString("side", SideText(order.Side));
    }

    /// <summary>
    /// USDⓈ-M order (§5.4): the <c>order.place</c> / <c>order.cancel</c> result (<paramref name="forStatus"/> false:
    /// no <c>avgPrice</c>/<c>cumQuote</c>, as since 2026-07-15) or the <c>order.status</c> result (with them and <c>time</c>).
    /// </summary>
    public static void WriteFuturesOrder(Utf8JsonWriter w, ExchangeOrder order, bool forStatus, bool ack)
    {
        var status = ack ? OrderStatus.New : order.Status;
        var executed = ack ? 0 : order.Executed;
        w.WriteStartObject();
        w.WriteNumber("orderId", order.OrderId);
        w.WriteString("symbol", order.Symbol);
        w.WriteString("status", StatusText(status));
        w.WriteString("clientOrderId", order.ClientOrderId);
        w.WriteString("price", FixedPoint.ToString(order.Price));
        if (forStatus)
        {
            w.WriteString("avgPrice", FixedPoint.ToString(AveragePrice(order)));
        }

        w.WriteString("origQty", FixedPoint.ToString(order.Quantity));
        w.WriteString("executedQty", FixedPoint.ToString(executed));
        w.WriteString("cumQty", FixedPoint.ToString(executed));
        if (forStatus)
        {
            w.WriteString("cumQuote", FixedPoint.ToString(order.CumulativeQuote));
        }

        w.WriteString("timeInForce", order.TimeInForceText);
        w.WriteString("type", order.TypeText);
        w.WriteBoolean("reduceOnly", false);
        w.WriteBoolean("closePosition", false);
        w.WriteString("side", SideText(order.Side));
        w.WriteString("positionSide", "BOTH");
        w.WriteString("stopPrice", "0");
        w.WriteString("workingType", "CONTRACT_PRICE");
        w.WriteBoolean("priceProtect", false);
        w.WriteString("origType", order.TypeText);
        w.WriteString("priceMatch", "NONE");
        w.WriteString("selfTradePreventionMode", "NONE");
        w.WriteNumber("goodTillDate", 0);
        if (forStatus)
        {
            w.WriteNumber("time", order.CreatedMs);
        }

        w.WriteNumber("updateTime", ack ? order.CreatedMs : order.UpdateMs);
        w.WriteEndObject();
    }

    /// <summary>Spot <c>executionReport</c> (§7.1).</summary>
    public static byte[] SpotExecutionReport(ExchangeOrder order, string executionType, string clientOrderId, string originalClientOrderId, OrderFill fill, bool isFill, long executionId, long nowMs, string commissionAsset) =>
        Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("e", "executionReport");
            w.WriteNumber("E", nowMs);
            w.WriteString("s", order.Symbol);
            w.WriteString("c", clientOrderId);
            w.WriteString("S", SideText(order.Side));
            w.WriteString("o", order.TypeText);
            w.WriteString("f", order.TimeInForceText);
            w.WriteString("q", Fixed8(order.Quantity));
            w.WriteString("p", Fixed8(order.Price));
            w.WriteString("P", Fixed8(0));
            w.WriteString("F", Fixed8(0));
            w.WriteNumber("g", -1);
            w.WriteString("C", originalClientOrderId);
            w.WriteString("x", executionType);
            w.WriteString("X", StatusText(order.Status));
            w.WriteString("r", "NONE");
            w.WriteNumber("i", order.OrderId);
            w.WriteString("l", Fixed8(isFill ? fill.Quantity : 0));
            w.WriteString("z", Fixed8(order.Executed));
            w.WriteString("L", Fixed8(isFill ? fill.Price : 0));
            w.WriteString("n", Fixed8(isFill ? fill.Commission : 0));
            if (isFill)
            {
                w.WriteString("N", commissionAsset);
            }
            else
            {
                w.WriteNull("N");
            }

            w.WriteNumber("T", nowMs);
            w.WriteNumber("t", isFill ? fill.TradeId : -1);
            w.WriteNumber("I", executionId);
            w.WriteBoolean("w", order.IsOpen && order.WorkingMs > 0);
            w.WriteBoolean("m", isFill && fill.IsMaker);
            w.WriteBoolean("M", false);
            w.WriteNumber("O", order.CreatedMs);
            w.WriteString("Z", Fixed8(order.CumulativeQuote));
            w.WriteString("Y", Fixed8(isFill ? MatchingMath.NotionalFloor(fill.Price, fill.Quantity) : 0));
            w.WriteString("Q", Fixed8(0));
            if (order.WorkingMs > 0)
            {
                w.WriteNumber("W", order.WorkingMs);
            }

            w.WriteString("V", "NONE");
            if (order.Status == OrderStatus.Expired)
            {
                w.WriteString("eR", ExpiryReasonText(order.Reason));
            }

            w.WriteEndObject();
        });

    /// <summary>USDⓈ-M <c>ORDER_TRADE_UPDATE</c> (§7.2).</summary>
    public static byte[] FuturesOrderTradeUpdate(ExchangeOrder order, string executionType, OrderFill fill, bool isFill, long nowMs, string commissionAsset) =>
        Build(w =>
        {
            w.WriteStartObject();
            w.WriteString("e", "ORDER_TRADE_UPDATE");
            w.WriteNumber("E", nowMs);
            w.WriteNumber("T", nowMs);
            w.WriteStartObject("o");
            w.WriteString("s", order.Symbol);
            w.WriteString("c", order.ClientOrderId);
            w.WriteString("S", SideText(order.Side));
            w.WriteString("o", order.TypeText);
            w.WriteString("f", order.TimeInForceText);
            w.WriteString("q", FixedPoint.ToString(order.Quantity));
            w.WriteString("p", FixedPoint.ToString(order.Price));
            w.WriteString("ap", FixedPoint.ToString(AveragePrice(order)));
            w.WriteString("sp", "0");
            w.WriteString("x", executionType);
            w.WriteString("X", StatusText(order.Status));
            w.WriteNumber("i", order.OrderId);
            w.WriteString("l", FixedPoint.ToString(isFill ? fill.Quantity : 0));
            w.WriteString("z", FixedPoint.ToString(order.Executed));
            w.WriteString("L", FixedPoint.ToString(isFill ? fill.Price : 0));
            w.WriteString("N", commissionAsset);
            w.WriteString("n", FixedPoint.ToString(isFill ? fill.Commission : 0));
            w.WriteNumber("T", nowMs);
            w.WriteNumber("t", isFill ? fill.TradeId : 0);
            w.WriteString("b", "0");
            w.WriteString("a", "0");
            w.WriteBoolean("m", isFill && fill.IsMaker);
            w.WriteBoolean("R", false);
            w.WriteString("wt", "CONTRACT_PRICE");
            w.WriteString("ot", order.TypeText);
            w.WriteString("ps", "BOTH");
            w.WriteBoolean("cp", false);
            w.WriteString("rp", "0");
            w.WriteBoolean("pP", false);
            w.WriteNumber("si", 0);
            w.WriteNumber("ss", 0);
            w.WriteString("V", "NONE");
            w.WriteString("pm", "NONE");
            w.WriteNumber("gtd", 0);
            w.WriteEndObject();
            w.WriteEndObject();
        });

    /// <summary>
    /// USDⓈ-M <c>ACCOUNT_UPDATE</c> after a fill (§7.2, reason <c>ORDER</c>), simplified: the wallet is
    /// <paramref name="walletBalance"/> less the commissions paid, <c>ep</c>/<c>bep</c> the position's cost basis
    /// (−cash ÷ quantity), unrealized and realized PnL 0.
    /// </summary>
    public static byte[] FuturesAccountUpdate(string symbol, Position position, long walletBalance, long commissionChange, long nowMs, string asset) =>
        Build(w =>
        {
            var wallet = walletBalance - position.Commission;
            var entry = position.NetQuantity == 0 ? 0 : (long)(-(Int128)position.Cash * FixedPoint.Scale / position.NetQuantity);
            w.WriteStartObject();
            w.WriteString("e", "ACCOUNT_UPDATE");
            w.WriteNumber("E", nowMs);
            w.WriteNumber("T", nowMs);
            w.WriteStartObject("a");
            w.WriteString("m", "ORDER");
            w.WriteStartArray("B");
            w.WriteStartObject();
            w.WriteString("a", asset);
            w.WriteString("wb", FixedPoint.ToString(wallet));
            w.WriteString("cw", FixedPoint.ToString(wallet));
            w.WriteString("bc", FixedPoint.ToString(-commissionChange));
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteStartArray("P");
            w.WriteStartObject();
            w.WriteString("s", symbol);
            w.WriteString("pa", FixedPoint.ToString(position.NetQuantity));
            w.WriteString("ep", FixedPoint.ToString(Math.Abs(entry)));
            w.WriteString("bep", FixedPoint.ToString(Math.Abs(entry)));
            w.WriteString("cr", "0");
            w.WriteString("up", "0");
            w.WriteString("mt", "cross");
            w.WriteString("iw", "0");
            w.WriteString("ps", "BOTH");
            w.WriteEndObject();
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteEndObject();
        });
}
