using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// One recorded session of shared/data/binance/hftbacktest/examples (files read in order) and what PROVENANCE.md
/// documents for it: the number of buffered diffs dropped before the snapshot, or that it has no snapshot.
/// </summary>
public sealed record RecordedSession(string Name, Market Market, string[] RelativePaths, int? DroppedBeforeSnapshot)
{
    /// <summary>Every hftbacktest example session (PROVENANCE §1).</summary>
    public static readonly RecordedSession[] All =
    [
        new("usdm BTCUSDT 2023-04-04/05", Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", "hftbacktest/examples/usdm/btcusdt_20230405.dat.gz"], 0),
        new("usdm BTCUSDT 2024-08-08", Market.Futures, ["hftbacktest/examples/usdm/btcusdt_20240808"], 4),
        new("usdm ETHUSDT 2024-08-08", Market.Futures, ["hftbacktest/examples/usdm/ethusdt_20240808"], 5),
        new("spot BTCUSDT 2024-08-08/09", Market.Spot, ["hftbacktest/examples/spot/btcusdt_20240808", "hftbacktest/examples/spot/btcusdt_20240809"], 2),
        new("spot ETHUSDT 2024-08-08/09", Market.Spot, ["hftbacktest/examples/spot/ethusdt_20240808", "hftbacktest/examples/spot/ethusdt_20240809"], 2),
        new("cm BTCUSD_PERP 2024-08-08/09", Market.Futures, ["hftbacktest/examples/cm/btcusd_perp_20240808.gz", "hftbacktest/examples/cm/btcusd_perp_20240809.gz"], 23),
        new("cm ETHUSD_PERP 2024-08-08/09", Market.Futures, ["hftbacktest/examples/cm/ethusd_perp_20240808.gz", "hftbacktest/examples/cm/ethusd_perp_20240809.gz"], 22),
        new("spot BTCUSDT 2023-04-05 (no snapshot)", Market.Spot, ["hftbacktest/examples/spot/btcusdt_20230405.dat.gz"], null),
    ];

    /// <summary>Full paths; ignores or fails the test (OPTIFLOW_REQUIRE_DATA=1) when a file is absent.</summary>
    public string[] RequirePaths() => [.. RelativePaths.Select(RecordingData.Require)];

    public override string ToString() => Name;
}
