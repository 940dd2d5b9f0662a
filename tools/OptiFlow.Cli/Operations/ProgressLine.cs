using System.Globalization;
using OptiFlow.Engine.Hosting.Monitoring;

namespace OptiFlow.Cli.Operations;

/// <summary>
/// A progress line on standard error for a long file run or replay: redrawn in place (<c>\r</c>) every
/// <see cref="Interval"/> from its own control thread (<c>optiflow-progress</c>) with what is done of the total, the
/// rate, the elapsed time and the time left; drawn once more with the final counts when disposed, then cleared.
/// </summary>
/// <remarks>Only shown when standard error is a terminal, or when forced (<c>--progress always</c>): see
/// <see cref="RunOperations.ShowProgress"/>. The thread reads a snapshot (<see cref="SessionProgress"/>) and writes;
/// it never touches the engine's threads. Dispose from the thread that created it.</remarks>
internal sealed class ProgressLine : IDisposable
{
    /// <summary>How often the line is redrawn.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(500);

    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;
    private readonly ErrorOutput _output;
    private readonly Func<string> _render;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;

    /// <summary>Starts the thread; the first line is drawn after one <see cref="Interval"/>.</summary>
    /// <param name="output">Standard error.</param>
    /// <param name="render">Reads the snapshot and formats the line (called on the progress thread, and once more on Dispose).</param>
    public ProgressLine(ErrorOutput output, Func<string> render)
    {
        _output = output;
        _render = render;
        _thread = new Thread(Run) { IsBackground = true, Name = "optiflow-progress" };
        _thread.Start();
    }

    /// <summary>Stops the thread, draws the final line (the totals) and clears it.</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _output.DrawProgress(_render());
        _output.ClearProgress();
        _stop.Dispose();
    }

    /// <summary>The line of a recording run: input bytes of the total, frames, frames/s, elapsed, ETA.</summary>
    /// <param name="label">The verb, e.g. <c>run</c>.</param>
    /// <param name="p">The session's snapshot.</param>
    /// <returns>One line.</returns>
    public static string Recording(string label, SessionProgress p)
    {
        var seconds = p.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? p.Frames / seconds : 0;
        var text = p.InputBytesTotal > 0
            ? string.Create(Invariant, $"{label}: {Megabytes(p.InputBytesRead)} of {Megabytes(p.InputBytesTotal)} MB ({Percent(p.InputBytesRead, p.InputBytesTotal)}), {p.Frames:N0} frames, {rate:N0} frames/s, elapsed {Duration(p.Elapsed)}")
            : string.Create(Invariant, $"{label}: {p.Frames:N0} frames, {rate:N0} frames/s, elapsed {Duration(p.Elapsed)}");
        return text + Eta(p.Elapsed, p.InputBytesRead, p.InputBytesTotal, p.SourceFinished);
    }

    /// <summary>The line of a replay: events of the total (when the journal's run summary gives it), events/s, elapsed, ETA.</summary>
    /// <param name="label">The verb, e.g. <c>replay</c>.</param>
    /// <param name="p">The replay's snapshot.</param>
    /// <returns>One line.</returns>
    public static string Replay(string label, SessionProgress p)
    {
        var seconds = p.Elapsed.TotalSeconds;
        var rate = seconds > 0 ? p.Events / seconds : 0;
        var text = p.ExpectedEvents > 0
            ? string.Create(Invariant, $"{label}: {p.Events:N0} of {p.ExpectedEvents:N0} events ({Percent(p.Events, p.ExpectedEvents)}), {rate:N0} events/s, elapsed {Duration(p.Elapsed)}")
            : string.Create(Invariant, $"{label}: {p.Events:N0} events, {rate:N0} events/s, elapsed {Duration(p.Elapsed)}");
        return text + Eta(p.Elapsed, p.Events, p.ExpectedEvents, p.SourceFinished);
    }

    /// <summary><c>12.3 s</c> below a minute, then <c>m:ss</c>, and <c>h:mm:ss</c> from an hour.</summary>
    internal static string Duration(TimeSpan span) =>
        span.TotalHours >= 1 ? string.Create(Invariant, $"{(int)span.TotalHours}:{span.Minutes:00}:{span.Seconds:00}")
        : span.TotalMinutes >= 1 ? string.Create(Invariant, $"{(int)span.TotalMinutes}:{span.Seconds:00}")
        : string.Create(Invariant, $"{span.TotalSeconds:0.0} s");

    private static string Eta(TimeSpan elapsed, long done, long total, bool finished)
    {
        if (finished || total <= 0 || done <= 0 || done >= total)
        {
            return string.Empty;
        }

        var left = TimeSpan.FromSeconds(elapsed.TotalSeconds * (total - done) / done);
        return ", ETA " + Duration(left);
    }

    private static string Megabytes(long bytes) => (bytes / 1e6).ToString("0.0", Invariant);

    private static string Percent(long done, long total) => string.Create(Invariant, $"{Math.Floor(Math.Min(100, 100.0 * done / total)):0}%");

    private void Run()
    {
        while (!_stop.Wait(Interval))
        {
            _output.DrawProgress(_render());
        }
    }
}
