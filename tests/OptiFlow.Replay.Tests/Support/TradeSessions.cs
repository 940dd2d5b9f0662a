using NUnit.Framework;
using OptiFlow.Engine.Model;

namespace OptiFlow.Replay.Tests.Support;

/// <summary>Recorded sessions of <c>shared/data/binance</c> for the flow and wobi10 data tests (paths under the data folder, in reading order).</summary>
internal static class TradeSessions
{
    /// <summary>Sessions that hold <c>trade</c> streams (every hftbacktest example, collect-binancefutures).</summary>
    public static readonly (string Id, Market Market, string[] Files)[] WithTrades =
    [
        ("hftbacktest/usdm/btcusdt_20230404+0405", Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", "hftbacktest/examples/usdm/btcusdt_20230405.dat.gz"]),
        ("hftbacktest/usdm/btcusdt_20240808", Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20240808"]),
        ("hftbacktest/usdm/ethusdt_20240808", Market.Futures, ["hftbacktest/examples/usdm/ethusdt_20240808"]),
        ("hftbacktest/spot/btcusdt_20240808+0809", Market.Spot, ["hftbacktest/examples/spot/btcusdt_20240808", "hftbacktest/examples/spot/btcusdt_20240809"]),
        ("hftbacktest/spot/ethusdt_20240808+0809", Market.Spot, ["hftbacktest/examples/spot/ethusdt_20240808", "hftbacktest/examples/spot/ethusdt_20240809"]),
        ("hftbacktest/spot/btcusdt_20230405", Market.Spot, ["hftbacktest/examples/spot/btcusdt_20230405.dat.gz"]),
        ("hftbacktest/cm/btcusd_perp_20240808+0809", Market.Futures, ["hftbacktest/examples/cm/btcusd_perp_20240808.gz", "hftbacktest/examples/cm/btcusd_perp_20240809.gz"]),
        ("hftbacktest/cm/ethusd_perp_20240808+0809", Market.Futures, ["hftbacktest/examples/cm/ethusd_perp_20240808.gz", "hftbacktest/examples/cm/ethusd_perp_20240809.gz"]),
        ("collect-binancefutures/btcusdt_20220811", Market.Futures, ["collect-binancefutures/sample_data/btcusdt_20220811.dat"]),
    ];

    /// <summary>
    /// Every session <c>optiflow signals</c> reads clean (exit 0; GoldenOutputTests lists them all): the trade sessions
    /// above but spot btcusdt_20230405 (no snapshot), and the cryptofeed captures.
    /// </summary>
    public static readonly (string Id, Market Market, string[] Files)[] SignalsClean =
    [
        .. WithTrades.Where(s => s.Id != "hftbacktest/spot/btcusdt_20230405"),
        ("cryptofeed/BINANCE.ws.1.0", Market.Spot, ["cryptofeed/sample_data/BINANCE.ws.1.0"]),
        ("cryptofeed/BINANCE_US.ws.1.0", Market.Spot, ["cryptofeed/sample_data/BINANCE_US.ws.1.0"]),
        ("cryptofeed/BINANCE_FUTURES.ws.1.0", Market.Futures, ["cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0"]),
        ("cryptofeed/BINANCE_DELIVERY.ws.1.0", Market.Futures, ["cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0"]),
    ];

    public static IEnumerable<TestCaseData> Cases((string Id, Market Market, string[] Files)[] sessions) =>
        sessions.Select(s => new TestCaseData(s.Market, s.Files).SetArgDisplayNames(s.Id));
}
