namespace OptiFlow.Simulator.Tests.Support;

/// <summary>The recording shipped in the repository (tools/OptiFlow.Cli/Data): Binance USDⓈ-M BTCUSDT, 100 s, one snapshot.</summary>
internal static class DemoRecording
{
    public static string Path
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                var candidate = System.IO.Path.Combine(dir.FullName, "tools", "OptiFlow.Cli", "Data", "btcusdt_20230404.dat.gz");
                if (File.Exists(candidate))
                {
                    return candidate;
                }
            }

            throw new FileNotFoundException("tools/OptiFlow.Cli/Data/btcusdt_20230404.dat.gz not found above the test directory");
        }
    }

    /// <summary>The streams the recording holds.</summary>
    public static readonly string[] Streams = ["bookTicker", "depth@0ms", "trade"];
}
