using System.Globalization;
using System.Text;
using Microsoft.Extensions.Logging;
using OptiFlow.Engine.Hosting.Monitoring;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// The status line of a live run: every interval (<c>--status-interval</c>, default 5 s), from its own control thread
/// (<c>optiflow-status</c>), one Information message through the log: frames/s over the interval, the inbound ring's
/// backlog (published − handled by the core), the frame → core p99 so far, each book's state (synced, resyncing, stale)
/// and, when trading, the gateway's counts.
/// </summary>
/// <remarks>Reads the session's snapshot (<see cref="SessionProgress"/>); never touches the engine's threads. Dispose
/// from the thread that created it (stops and joins the thread; no final line).</remarks>
internal sealed class StatusReporter : IDisposable
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly ILogger _log;
    private readonly Func<SessionProgress> _read;
    private readonly TimeSpan _interval;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    /// <summary>Starts the thread; the first line comes one interval after the start.</summary>
    /// <param name="log">The command line's log.</param>
    /// <param name="read">Takes the session's snapshot.</param>
    /// <param name="interval">Time between lines (positive).</param>
    public StatusReporter(ILogger log, Func<SessionProgress> read, TimeSpan interval)
    {
        _log = log;
        _read = read;
        _interval = interval;
        _thread = new Thread(Run) { IsBackground = true, Name = "optiflow-status" };
        _thread.Start();
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    /// <summary>Writes the status line of <paramref name="now"/> against the previous snapshot.</summary>
    /// <param name="log">The log.</param>
    /// <param name="previous">The snapshot one interval earlier (frames/s is over the time between the two).</param>
    /// <param name="now">The snapshot now.</param>
    public static void Write(ILogger log, SessionProgress previous, SessionProgress now)
    {
        if (!log.IsEnabled(LogLevel.Information))
        {
            return;
        }

        var seconds = (now.Elapsed - previous.Elapsed).TotalSeconds;
        var rate = seconds > 0 ? (now.Frames - previous.Frames) / seconds : 0;
        var frameToCore = now.Latency.FirstOrDefault(s => s.Key == Engine.Hosting.Reports.ReportStage.FrameToCore);
        var p99 = frameToCore is { Count: > 0 } ? Microseconds(frameToCore.P99Ns) : "-";
        var books = string.Join(", ", now.Books.Select(b => $"{b.Symbol} {b.Health.ToString().ToLowerInvariant()}"));
        var framesPerSecond = rate.ToString("N0", Invariant);
        var interval = seconds.ToString("0.0", Invariant);
        var trading = Trading(now.Trading);
        OperationsLog.Status(log, framesPerSecond, interval, now.RingBacklog, p99, books.Length == 0 ? "none" : books, trading);
    }

    private static string Microseconds(long ns) => ns < 1_000_000
        ? (ns / 1e3).ToString("N1", Invariant) + " µs"
        : (ns / 1e6).ToString("N1", Invariant) + " ms";

    private static string Trading(TradingProgress? t)
    {
        if (t is null)
        {
            return string.Empty;
        }

        var text = new StringBuilder("; orders: ");
        text.Append(Invariant, $"{t.NewOrders:N0} new, {t.Cancels:N0} cancels, {t.Sent:N0} sent, {t.Acknowledged:N0} acknowledged, {t.Filled:N0} filled, ");
        text.Append(Invariant, $"{t.Rejected:N0} rejected by the venue, {t.RiskRejected:N0} refused by risk, {t.OpenOrders:N0} open");
        return text.ToString();
    }

    private void Run()
    {
        var previous = _read();
        while (!_stop.Wait(_interval))
        {
            var now = _read();
            Write(_log, previous, now);
            previous = now;
        }
    }
}
