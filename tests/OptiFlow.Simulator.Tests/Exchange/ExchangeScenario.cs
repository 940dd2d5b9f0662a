using System.Globalization;
using System.Net.WebSockets;
using System.Text;
using NUnit.Framework;
using OptiFlow.Adapters.Binance.Simulator;
using OptiFlow.Adapters.Binance.Simulator.Exchange;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Testing;

namespace OptiFlow.Simulator.Tests.Exchange;

/// <summary>
/// A simulator with its exchange, a market-data connection that drives the replay, and test keys. The synthetic
/// recording (<see cref="WriteSyntheticRecording"/>) pauses before its first trade, with the book at its snapshot:
/// bids 100.0×5, 99.9×3; asks 100.1×2, 100.2×4, 100.3×10.
/// </summary>
internal sealed class ExchangeScenario : IAsyncDisposable
{
    public const string HmacKey = "hmac-test-key";
    public const string HmacSecret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    public const string EdKey = "ed25519-test-key";

    /// <summary>binance.md §5.8 self-generated Ed25519 seed (not a Binance key).</summary>
    public static readonly byte[] EdSeed = Convert.FromHexString("3795ef3028a5f656973027cbdfb3212630456aa09f62b62a4c1ceb3534ca4b53");

    private readonly TempDirectory _temp;
    private readonly ClientWebSocket _market = new();
    private Task? _drain;

    private ExchangeScenario(TempDirectory temp, BinanceSimulator simulator)
    {
        _temp = temp;
        Simulator = simulator;
    }

    public BinanceSimulator Simulator { get; }

    public Market Market { get; private init; }

    public static IReadOnlyList<SimulatorApiKey> TestKeys()
    {
        using var signer = Ed25519Signer.FromSeed(EdSeed);
        return [SimulatorApiKey.Hmac(HmacKey, HmacSecret), SimulatorApiKey.Ed25519(EdKey, signer.ExportPublicKey())];
    }

    /// <summary>Starts a simulator on the synthetic recording, paused before its first trade.</summary>
    public static async Task<ExchangeScenario> StartSyntheticAsync(Market market, string orderFaults = "", Func<SimulatorOptions, SimulatorOptions>? configure = null)
    {
        var temp = new TempDirectory("exchange");
        var path = temp.File(market == Market.Spot ? "spot.txt" : "usdm.txt");
        WriteSyntheticRecording(path, market);
        var options = new SimulatorOptions
        {
            Files = [path],
            Market = market,
            Faults = SimulatorFault.ParseScript("pause@trade:1"),
            SnapshotRendezvousTimeout = TimeSpan.Zero,
            ApiKeys = TestKeys(),
            OrderFaults = OrderFault.ParseScript(orderFaults),
        };
        options = configure?.Invoke(options) ?? options;
        var scenario = new ExchangeScenario(temp, new BinanceSimulator(options)) { Market = market };
        await scenario.StartAsync("btcusdt@depth@100ms/btcusdt@trade");
        Assert.That(await scenario.Simulator.WaitForFeedPausedAsync(WsApiTestClient.Timeout), Is.True, "the feed pauses before the first trade");
        return scenario;
    }

    /// <summary>Starts a simulator on a real recording with <paramref name="options"/> (its Files and Market).</summary>
    public static async Task<ExchangeScenario> StartAsync(SimulatorOptions options, string streams)
    {
        var scenario = new ExchangeScenario(new TempDirectory("exchange"), new BinanceSimulator(options)) { Market = options.Market };
        await scenario.StartAsync(streams);
        return scenario;
    }

    private async Task StartAsync(string streams)
    {
        await Simulator.StartAsync();
        using var timeout = new CancellationTokenSource(WsApiTestClient.Timeout);
        await _market.ConnectAsync(new Uri(Simulator.StreamBaseAddress, "/stream?streams=" + streams), timeout.Token);
        _drain = DrainAsync();
    }

    /// <summary>A WebSocket API client on the market's trading path, signing with the HMAC test key.</summary>
    public async Task<WsApiTestClient> ConnectTradingAsync(string query = "")
    {
        var client = await WsApiTestClient.ConnectAsync(new Uri(Simulator.StreamBaseAddress, Simulator.TradingPath + query));
        client.ApiKey = HmacKey;
        client.Signer = WsApiTestClient.HmacSigner(HmacSecret);
        return client;
    }

    /// <summary>A client that signs with the Ed25519 test key (the repository's <see cref="Ed25519Signer"/>).</summary>
    public static Func<byte[], string> EdSigner() => payload =>
    {
        using var signer = Ed25519Signer.FromSeed(EdSeed);
        var output = new byte[signer.SignatureLength];
        var length = signer.Sign(payload, output);
        return Encoding.ASCII.GetString(output, 0, length);
    };

    /// <summary>Futures: starts a listenKey and connects <c>/private/ws?listenKey=…</c>.</summary>
    public async Task<WsApiTestClient> ConnectUserDataAsync(WsApiTestClient trading)
    {
        var started = await trading.RequestAsync("userDataStream.start", [new("apiKey", ExchangeScenario.HmacKey)], sign: false, withTimestamp: false);
        Assert.That(started.GetProperty("status").GetInt32(), Is.EqualTo(200), started.GetRawText());
        var listenKey = started.GetProperty("result").GetProperty("listenKey").GetString();
        return await WsApiTestClient.ConnectAsync(new Uri(Simulator.StreamBaseAddress, "/private/ws?listenKey=" + listenKey));
    }

    public static KeyValuePair<string, string> P(string name, string value) => new(name, value);

    public async ValueTask DisposeAsync()
    {
        _market.Abort();
        if (_drain is not null)
        {
            await Task.WhenAny(_drain, Task.Delay(TimeSpan.FromSeconds(2)));
        }

        _market.Dispose();
        await Simulator.DisposeAsync();
        _temp.Dispose();
    }

    private async Task DrainAsync()
    {
        var buffer = new byte[64 * 1024];
        try
        {
            while (_market.State == WebSocketState.Open)
            {
                var result = await _market.ReceiveAsync(buffer, CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception e) when (e is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // Closed.
        }
    }

    /// <summary>
    /// Writes the synthetic session (hftbacktest line format): a diff before the snapshot (dropped), the snapshot
    /// (lastUpdateId 100), then trades at 100.0 of 3, 1 and 4 (sellers hitting the bid) with the diffs that follow
    /// them, and the ask 100.2 removed by a diff without any trade.
    /// </summary>
    public static void WriteSyntheticRecording(string path, Market market)
    {
        var futures = market != Market.Spot;
        var lines = new List<string>();
        var ns = 1_723_161_255_000_000_000L;
        var ms = 1_723_161_256_000L;
        var tradeId = 1;
        void Line(string frame) => lines.Add(string.Create(CultureInfo.InvariantCulture, $"{ns += 1_000_000} {frame}"));
        void Depth(long first, long last, string bids, string asks) => Line(futures
            ? string.Create(CultureInfo.InvariantCulture, $"{{\"stream\":\"btcusdt@depth@0ms\",\"data\":{{\"e\":\"depthUpdate\",\"E\":{++ms},\"T\":{ms},\"s\":\"BTCUSDT\",\"U\":{first},\"u\":{last},\"pu\":{first - 1},\"b\":[{bids}],\"a\":[{asks}]}}}}")
            : string.Create(CultureInfo.InvariantCulture, $"{{\"stream\":\"btcusdt@depth@100ms\",\"data\":{{\"e\":\"depthUpdate\",\"E\":{++ms},\"s\":\"BTCUSDT\",\"U\":{first},\"u\":{last},\"b\":[{bids}],\"a\":[{asks}]}}}}"));
        void Trade(string price, string quantity) => Line(futures
            ? string.Create(CultureInfo.InvariantCulture, $"{{\"stream\":\"btcusdt@trade\",\"data\":{{\"e\":\"trade\",\"E\":{++ms},\"T\":{ms},\"s\":\"BTCUSDT\",\"t\":{tradeId++},\"p\":\"{price}\",\"q\":\"{quantity}\",\"X\":\"MARKET\",\"m\":true}}}}")
            : string.Create(CultureInfo.InvariantCulture, $"{{\"stream\":\"btcusdt@trade\",\"data\":{{\"e\":\"trade\",\"E\":{++ms},\"s\":\"BTCUSDT\",\"t\":{tradeId++},\"p\":\"{price}\",\"q\":\"{quantity}\",\"T\":{ms},\"m\":true,\"M\":true}}}}"));

        Depth(95, 99, "[\"100.0\",\"1\"]", "");
        Line(futures
            ? string.Create(CultureInfo.InvariantCulture, $"{{\"lastUpdateId\":100,\"E\":{ms},\"T\":{ms},\"bids\":[[\"100.0\",\"5\"],[\"99.9\",\"3\"]],\"asks\":[[\"100.1\",\"2\"],[\"100.2\",\"4\"],[\"100.3\",\"10\"]]}}")
            : "{\"lastUpdateId\":100,\"bids\":[[\"100.0\",\"5\"],[\"99.9\",\"3\"]],\"asks\":[[\"100.1\",\"2\"],[\"100.2\",\"4\"],[\"100.3\",\"10\"]]}");
        Trade("100.0", "3");
        Depth(futures ? 100 : 101, 101, "[\"100.0\",\"2\"]", "");
        Trade("100.0", "1");
        Depth(102, 102, "[\"100.0\",\"1\"]", "[\"100.2\",\"0\"]");
        Trade("100.0", "4");
        Depth(103, 103, "[\"100.0\",\"0\"],[\"99.8\",\"7\"]", "");
        File.WriteAllLines(path, lines);
    }
}
