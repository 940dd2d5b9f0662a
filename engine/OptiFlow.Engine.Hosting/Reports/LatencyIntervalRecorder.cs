using System.Diagnostics;
using System.Globalization;
using HdrHistogram;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting.Reports;

/// <summary>
/// Writes <c>latency.hlog</c> while a session runs: every <see cref="Period"/> of wall clock (1 s by default), one
/// interval histogram per latency stage, tagged with the stage's key, in HdrHistogram's interval log format, written by
/// the HdrHistogram package's <see cref="HistogramLogWriter"/> (readable by its <see cref="HistogramLogReader"/>).
/// </summary>
/// <remarks>
/// <para>Zero cost on the hot path: the engine's threads keep recording into their own <see cref="LatencyHistogram"/>s,
/// unchanged. A control thread of its own (<c>optiflow-intervals</c>, never a hot one) wakes once per period, reads each
/// stage histogram's cumulative bucket counts into a preallocated snapshot (<see cref="LatencyHistogram.AddCountsTo"/>:
/// one atomic 64-bit read per bucket) and takes the difference with the previous snapshot as the interval. The
/// inconsistency window is the few µs of one scan: a value recorded while its stage is being scanned lands in this
/// interval or the next, never in both and never nowhere. The intervals of a stage therefore add up to exactly the
/// stage's final count once <see cref="Stop"/> has closed the last interval after the session stopped (its threads
/// joined).</para>
/// <para>Values: each interval holds the same values as <c>latency/&lt;stage&gt;.hgrm</c>: each of our buckets at its
/// highest equivalent value (capped at the stage's maximum when that lies in the bucket), recorded in <b>ns</b> into a
/// histogram of <see cref="SignificantDigits"/> significant digits (finer than our buckets), from 0 to
/// <see cref="HighestTrackableValueNs"/> (larger values are counted at that value). The <c>.hgrm</c> prints these ns
/// histograms in µs (output value unit ratio 1000); read the log with the same ratio to get µs (the log format has no
/// unit, and integer µs would turn every sub-µs stage into 0). The package writes the <c>Interval_Max</c> column with
/// its fixed ratio 10⁶, so that column reads in ms. The log's header comment says all this. The file is UTF-8 (the
/// package's writer produces UTF-16; each line is transcoded, so HdrHistogram's Java and Python tools read it too) and
/// is flushed after every interval, so a killed run keeps the intervals it closed.</para>
/// <para>Allocation: two snapshots per stage are allocated at start (121 KiB per stage), and one HdrHistogram table per
/// stage (an <see cref="IntHistogram"/>: 32-bit counts, ample for one interval of one stage) sized to the largest value
/// seen so far (re-made, twice as large, when an interval goes beyond it); each interval then allocates what the
/// package's writer takes: about three copies of that table and the text, a few KiB to a few tens of KiB per stage,
/// never on the large-object heap. Measured on the demo (10 stages): 0.5 to 0.65 MB per interval on the control thread,
/// which the gen-0 collector reclaims; a collection pauses every managed thread briefly, hot ones included, so compare
/// latency with and without <c>--report</c> when that matters. The thread is not pinned: it runs where the process mask lets the kernel put it, once
/// a second (a scan of each stage's 61 KiB table and the package's encoding; isolate the core's CPU, tuning.md, to keep
/// it off that CPU). Thread-safety: <see cref="Stop"/> and <see cref="Dispose"/> from one thread; read
/// <see cref="Intervals"/> after <see cref="Stop"/>.</para>
/// </remarks>
/// <example><code>
/// session.Start();
/// using var intervals = LatencyIntervalRecorder.Start(session, reportDirectory);
/// session.PublishRecording();
/// var result = session.Stop();
/// intervals.Stop();                      // closes the last interval: the counts are final now
/// SessionReport.Write(reportDirectory, "run", result, replay: null, intervals);
/// </code></example>
public sealed class LatencyIntervalRecorder : IDisposable
{
    /// <summary>The log's file name inside the report directory.</summary>
    public const string FileName = "latency.hlog";

    /// <summary>The highest value an interval histogram tracks (ns, 2⁴⁵ ≈ 9.8 h); larger values are counted at it.</summary>
    public const long HighestTrackableValueNs = 1L << 45;

    /// <summary>
    /// Significant decimal digits of the interval histograms: 2, i.e. 128 linear sub-buckets per power of two, still
    /// twice as fine as the engine's own 64 (the source of every value), so nothing is lost; 3 digits would make each
    /// interval's table 8 times larger, and the package's writer allocates and deflates the whole table per interval.
    /// </summary>
    public const int SignificantDigits = 2;

    /// <summary>The smallest range an interval histogram is made for (ns, 2²⁰ ≈ 1 ms); it grows by powers of two as needed.</summary>
    private const long InitialRangeNs = 1L << 20;

    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    private readonly Stage[] _stages;
    private IntervalLogFile? _log;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _stopRequested = new(false);
    private readonly Stopwatch _clock = new();
    private readonly List<LatencyInterval> _intervals = [];
    private long _startMs;
    private long _intervalStartMs;
    private Exception? _failure;
    private bool _stopped;

    private LatencyIntervalRecorder(IReadOnlyList<(string Key, Func<IReadOnlyList<LatencyHistogram>?> Sources)> stages, string path, TimeSpan period)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(period, TimeSpan.Zero);
        Period = period;
        Path = System.IO.Path.GetFullPath(path);
        _stages = [.. stages.Select(s => new Stage(s.Key, s.Sources))];
        _thread = new Thread(Run) { IsBackground = true, Name = "optiflow-intervals" };
    }

    /// <summary>The interval length (wall clock).</summary>
    public TimeSpan Period { get; }

    /// <summary>The full path of the log.</summary>
    public string Path { get; }

    /// <summary>Every closed interval, per stage, in order (stages interleaved within an interval, in report order).</summary>
    /// <remarks>Complete after <see cref="Stop"/>; allocates a copy.</remarks>
    public IReadOnlyList<LatencyInterval> Intervals
    {
        get
        {
            lock (_intervals)
            {
                return [.. _intervals];
            }
        }
    }

    /// <summary>Starts recording the intervals of a started session's stages (<see cref="ReportStage.Sources"/>) into
    /// <c><paramref name="directory"/>/latency.hlog</c>.</summary>
    /// <param name="session">A started session (its histograms are read, never written).</param>
    /// <param name="directory">The report directory (created when missing).</param>
    /// <param name="period">The interval length; default 1 s.</param>
    /// <returns>The running recorder: call <see cref="Stop"/> after <see cref="EngineSession.Stop"/>.</returns>
    /// <exception cref="IOException">The log cannot be created.</exception>
    public static LatencyIntervalRecorder Start(EngineSession session, string directory, TimeSpan? period = null)
    {
        ArgumentNullException.ThrowIfNull(session);
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Directory.CreateDirectory(directory);
        return Start(ReportStage.Sources(session), System.IO.Path.Combine(directory, FileName), period ?? TimeSpan.FromSeconds(1));
    }

    /// <summary>Starts recording the intervals of any histograms (each stage the sum of its sources) into <paramref name="path"/>.</summary>
    /// <param name="stages">Each stage's key (the tag) and a function returning its histograms, or null while they do not exist yet (asked again at the next interval).</param>
    /// <param name="path">The log file (replaced).</param>
    /// <param name="period">The interval length.</param>
    /// <returns>The running recorder.</returns>
    /// <exception cref="IOException">The log cannot be created.</exception>
    public static LatencyIntervalRecorder Start(IReadOnlyList<(string Key, Func<IReadOnlyList<LatencyHistogram>?> Sources)> stages, string path, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(stages);
        var recorder = new LatencyIntervalRecorder(stages, path, period);
        recorder._startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        recorder._intervalStartMs = recorder._startMs;
        recorder._log = new IntervalLogFile(recorder.Path, recorder._startMs, $"{period.TotalSeconds.ToString("0.###", CultureInfo.InvariantCulture)} s of wall clock", recorder._stages.Select(s => s.Key));
        recorder._clock.Start();
        recorder._thread.Start();
        return recorder;
    }

    /// <summary>Closes the last interval (from the previous one's end to now) and the log. Call it after the session's
    /// <see cref="EngineSession.Stop"/>, so the last interval holds every value the drain recorded; calling it again
    /// does nothing.</summary>
    /// <remarks>An I/O failure of the log is not thrown here (the run's own results come first): it is kept for
    /// <see cref="ThrowIfFailed"/>, which <see cref="SessionReport.Write(string, string, SessionResult, ReplayResult?, LatencyIntervalRecorder?)"/> calls.</remarks>
    /// <exception cref="TimeoutException">The control thread did not finish within 30 s.</exception>
    public void Stop()
    {
        if (!_stopped)
        {
            _stopped = true;
            _stopRequested.Set();
            if (!_thread.Join(StopTimeout))
            {
                throw new TimeoutException($"The latency interval thread did not stop within {StopTimeout.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Throws the I/O failure of the control thread, if any.</summary>
    /// <exception cref="IOException">Writing the log failed.</exception>
    public void ThrowIfFailed()
    {
        if (_failure is { } failure)
        {
            throw new IOException($"{Path}: cannot write the latency interval log: {failure.Message}", failure);
        }
    }

    /// <summary>Stops the control thread (as <see cref="Stop"/>, without throwing) and closes the file.</summary>
    public void Dispose()
    {
        if (!_stopped)
        {
            _stopped = true;
            _stopRequested.Set();
            _thread.Join(StopTimeout);
        }

        _stopRequested.Dispose();
    }

    private void Run()
    {
        try
        {
            var due = Period;
            while (true)
            {
                var wait = due - _clock.Elapsed;
                var stopping = _stopRequested.Wait(wait > TimeSpan.Zero ? wait : TimeSpan.Zero);
                CloseInterval();
                if (stopping)
                {
                    break;
                }

                // A late wake-up (a loaded machine) makes one longer interval, not a burst of short ones.
                due += Period;
                if (due < _clock.Elapsed)
                {
                    due = _clock.Elapsed + Period;
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            _failure = e;
        }
        finally
        {
            _log!.Dispose();
        }
    }

    private void CloseInterval()
    {
        var endMs = _startMs + _clock.ElapsedMilliseconds;
        foreach (var stage in _stages)
        {
            var summary = stage.Close(_intervalStartMs, endMs);
            _log!.Append(stage.Interval);
            lock (_intervals)
            {
                _intervals.Add(summary);
            }
        }

        _intervalStartMs = endMs;
        _log!.Flush();
    }

    /// <summary>The value the .hgrm records for bucket <paramref name="index"/>: its top, capped at the maximum when that lies inside it, and at <see cref="HighestTrackableValueNs"/>.</summary>
    private static long ValueOf(int index, long max)
    {
        var value = LatencyHistogram.BucketHighestValueNs(index);
        if (max >= LatencyHistogram.BucketLowestValueNs(index) && max < value)
        {
            value = max;
        }

        return Math.Min(value, HighestTrackableValueNs);
    }

    /// <summary>One stage: its sources, the previous and current cumulative snapshots, and the reused interval histogram.</summary>
    private sealed class Stage(string key, Func<IReadOnlyList<LatencyHistogram>?> resolve)
    {
        private long[] _previous = new long[LatencyHistogram.BucketTableLength];
        private long[] _current = new long[LatencyHistogram.BucketTableLength];
        private IReadOnlyList<LatencyHistogram>? _sources;

        public string Key => key;

        public IntHistogram Interval { get; private set; } = new(InitialRangeNs, SignificantDigits) { Tag = key };

        public LatencyInterval Close(long startMs, long endMs)
        {
            _sources ??= resolve();
            Array.Clear(_current);
            long max = 0;
            if (_sources is not null)
            {
                foreach (var source in _sources)
                {
                    source.AddCountsTo(_current);
                    max = Math.Max(max, source.MaxSnapshot);
                }
            }

            // The table must reach the interval's highest value: made larger (by powers of two) only when it does not.
            for (var i = _current.Length - 1; i >= 0; i--)
            {
                if (_current[i] > _previous[i])
                {
                    var needed = ValueOf(i, max);
                    if (needed > Interval.HighestTrackableValue)
                    {
                        var range = Interval.HighestTrackableValue;
                        while (range < needed && range < HighestTrackableValueNs)
                        {
                            range <<= 1;
                        }

                        Interval = new IntHistogram(range, SignificantDigits) { Tag = key };
                    }

                    break;
                }
            }

            Interval.Reset();
            for (var i = 0; i < _current.Length; i++)
            {
                var delta = _current[i] - _previous[i];
                for (var value = ValueOf(i, max); delta > 0; delta -= int.MaxValue)
                {
                    Interval.RecordValueWithCount(value, Math.Min(delta, int.MaxValue)); // 32-bit counts
                }
            }

            (_previous, _current) = (_current, _previous);
            Interval.StartTimeStamp = startMs;
            Interval.EndTimeStamp = endMs;
            var count = Interval.TotalCount;
            return count == 0
                ? new LatencyInterval(key, startMs, endMs, 0, 0, 0, 0)
                : new LatencyInterval(key, startMs, endMs, count, Interval.GetValueAtPercentile(50), Interval.GetValueAtPercentile(99), Interval.GetMaxValue());
        }
    }
}
