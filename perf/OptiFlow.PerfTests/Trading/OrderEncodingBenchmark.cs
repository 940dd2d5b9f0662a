using System.Diagnostics;
using System.Globalization;
using System.Text;
using OptiFlow.Adapters.Binance.Trading;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.PerfTests.Harness;

namespace OptiFlow.PerfTests.Trading;

/// <summary>
/// Encode + sign of one order request, on the calling thread (the gateway's hot path, without the socket):
/// <code>
///  OrderCommand[] (limit, limit-maker, market, cancel; rotating) ─► WsApiRequestEncoder.Encode
///      ─► sorted k=v payload ─► IRequestSigner.Sign (HMAC-SHA256 hex | Ed25519 base64) ─► JSON frame in the reused buffer
/// </code>
/// Each order is timed on its own with the monotonic clock (Stopwatch.GetTimestamp before and after; the clock read,
/// ~20–40 ns, is included). Per run: the median and p99 of the per-order times and the bytes allocated on the thread.
/// Reported: the median over runs of each run's median (and p99). Target (issue "order gateway"): HMAC ≤ 2 µs per order.
/// </summary>
internal static class OrderEncodingBenchmark
{
    private const string ApiKey = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A";
    private const string Secret = "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
    private const string Ed25519Pem = "-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIDeV7zAopfZWlzAny9+zISYwRWqgn2K2Kkwc6zU0yktT\n-----END PRIVATE KEY-----\n";

    public static int Run(string[] args)
    {
        var orders = 100_000;
        var runs = 7;
        var gapMs = 0;
        var evictMb = 0;
        var spinGap = false;
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--orders": orders = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--runs": runs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--gap-ms": gapMs = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--evict-mb": evictMb = int.Parse(args[++i], CultureInfo.InvariantCulture); break;
                case "--spin-gap": spinGap = true; break;
                default:
                    Console.Error.WriteLine($"unknown option {args[i]}; usage: order-encoding [--orders N] [--runs N] [--gap-ms MS [--spin-gap]] [--evict-mb MB]");
                    return 2;
            }
        }

        Console.WriteLine($"machine: {MachineInfo.Read()}");
        Console.WriteLine($"order-encoding: {orders:N0} orders per run, {runs} runs, symbol BTCUSDT, spot, recvWindow 5000, gap {gapMs} ms ({(spinGap ? "busy-spinning" : "sleeping")}), evict {evictMb} MB between orders");
        var cold = new ColdOrders(gapMs, spinGap, evictMb);
        var commands = Commands(orders);
        using var hmac = new HmacSha256Signer(Encoding.ASCII.GetBytes(Secret));
        using var ed25519 = Ed25519Signer.FromPem(Encoding.ASCII.GetBytes(Ed25519Pem));
        Measure("HMAC-SHA256", hmac, commands, runs, cold);
        Measure("Ed25519", ed25519, commands, runs, cold);
        return 0;
    }

    private static void Measure(string name, IRequestSigner signer, OrderCommand[] commands, int runs, ColdOrders cold)
    {
        var encoder = new WsApiRequestEncoder(Market.Spot, Encoding.ASCII.GetBytes(ApiKey), signer, "of7-", recvWindowMs: 5000);
        var symbol = "BTCUSDT"u8.ToArray();
        var samples = new long[commands.Length];
        var medians = new List<double>();
        var p99s = new List<double>();
        var bytes = 0L;
        for (var run = -1; run < runs; run++)
        {
            var allocatedBefore = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < commands.Length; i++)
            {
                cold.BeforeOrder();
                var start = Stopwatch.GetTimestamp();
                bytes += encoder.Encode(commands[i], symbol, i, 1_700_000_000_000 + i).Length;
                samples[i] = Stopwatch.GetTimestamp() - start;
            }

            var allocated = GC.GetAllocatedBytesForCurrentThread() - allocatedBefore;
            if (run < 0)
            {
                continue; // warm-up pass
            }

            Array.Sort(samples);
            var toNs = 1e9 / Stopwatch.Frequency;
            var median = samples[samples.Length / 2] * toNs;
            var p99 = samples[(int)(samples.Length * 0.99)] * toNs;
            medians.Add(median);
            p99s.Add(p99);
            Console.WriteLine($"  {name,-12} run {run + 1}: median {median,7:F0} ns  p99 {p99,7:F0} ns  allocated {allocated} B");
        }

        Console.WriteLine($"{name}: encode+sign per order, median of run medians {Stats.Median(medians):F0} ns, median p99 {Stats.Median(p99s):F0} ns ({bytes / ((runs + 1L) * commands.Length)} B per request)");
    }

    /// <summary>Optionally makes each order cold, as a live gateway's are (one order every ~100 ms): sleep between
    /// orders (sleeping: the thread leaves its CPU; or busy-spinning on it, as a pinned gateway does) and read through a buffer larger than the caches (other threads' work).</summary>
    private sealed class ColdOrders(int gapMs, bool spinGap, int evictMb)
    {
        private readonly long[] _evict = new long[evictMb * 1024L * 1024 / sizeof(long)];

        public long Sink { get; private set; }

        public void BeforeOrder()
        {
            if (gapMs > 0 && spinGap)
            {
                var until = Stopwatch.GetTimestamp() + (gapMs * Stopwatch.Frequency / 1000);
                while (Stopwatch.GetTimestamp() < until)
                {
                    Thread.SpinWait(20);
                }
            }
            else if (gapMs > 0)
            {
                Thread.Sleep(gapMs);
            }

            var sum = 0L;
            for (var i = 0; i < _evict.Length; i += 8)
            {
                sum += _evict[i]++;
            }

            Sink += sum;
        }
    }

    private static OrderCommand[] Commands(int count)
    {
        var commands = new OrderCommand[count];
        for (var i = 0; i < count; i++)
        {
            commands[i] = (i % 4) switch
            {
                0 => OrderCommand.NewLimit(0, OrderSide.Buy, 6_512_345_000_000 + i, 1_000 + i, TimeInForce.GoodTillCancelled, i + 1, i, 0),
                1 => OrderCommand.NewLimitMaker(0, OrderSide.Sell, 6_512_345_000_000 - i, 1_000 + i, i + 1, i, 0),
                2 => OrderCommand.NewMarket(0, OrderSide.Buy, 1_000 + i, i + 1, i, 0),
                _ => OrderCommand.Cancel(0, i + 1, i + 2, i, 0),
            };
        }

        return commands;
    }
}
