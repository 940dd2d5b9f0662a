using System.Diagnostics;
using System.Globalization;
using NUnit.Framework;
using OptiFlow.Engine.Hosting;
using OptiFlow.Replay.Tests.Support;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Crash tests with a real child process: <c>optiflow journal copy --resume</c> re-journals a journal of real
/// recorded events at full speed into 1 MiB segments (a roll every ~6,500 records) and is SIGKILLed at seeded random
/// points; after each kill every record it had reported committed must read back intact, the tail must be one a
/// process crash can leave, and the next round resumes after the last good record.
/// </summary>
/// <remarks>
/// <code>
///  test ──spawn──► dotnet optiflow.dll journal copy SRC DEST --resume ──stdout "committed N seq"──► test
///   │                                 (JournalWriter.Resume, Append at full speed)
///   └── sleep(seeded random) ── SIGKILL ── JournalScanner.Scan(DEST) ── compare with SRC ── next round
/// </code>
/// </remarks>
[TestFixture]
[Category("Data")]
public sealed class JournalCrashTests
{
    private const int Rounds = 8;
    private const int Seed = 20261122;
    private static readonly TimeSpan ChildTimeout = TimeSpan.FromSeconds(60);

    [Test]
    public void ShouldKeepEveryCommittedRecordAndResume_WhenTheWriterIsKilledAtRandomPoints()
    {
        // Arrange: a source journal of real events (usdm BTCUSDT 2024-08-08: ~533k market events).
        var recording = RecordingData.Require("hftbacktest/examples/usdm/btcusdt_20240808");
        using var temp = new TempDirectory("crash");
        var source = temp.File("source");
        HostedRun.Run(Market.Futures, [recording], new EngineOptions { JournalDirectory = source });
        var sourceRecords = JournalScanner.Scan(source).Records;
        var destination = temp.File("copy");
        var random = new Random(Seed);
        var killed = 0;
        var previousCommitted = 0L;

        // Act / Assert: each round resumes the previous one's journal, then dies.
        for (var round = 0; round < Rounds; round++)
        {
            // Up to 50 ms after the first report: a whole copy of this source can finish in well under 250 ms on a quiet
            // machine, and a round that finishes is not killed (a clean-clone CI run saw 0 kills of 8 with 0–250 ms).
            var delayMs = random.Next(0, 50);
            var run = RunChild(source, destination, killAfterFirstReportMs: delayMs);
            killed += run.Killed ? 1 : 0;
            var report = JournalScanner.Scan(destination);
            var context = $"round {round} (kill {delayMs} ms after the first report; last report {run.Committed} records): {string.Join(" | ", report.Damage.Select(d => d.Message))}";
            TestContext.Out.WriteLine($"round {round}: killed={run.Killed} after {delayMs} ms, reported {run.Committed}, tailed live {run.Tailed}, found {report.Records} records, tail {report.Tail}");
            Assert.That(report.HasDamageBeforeTail, Is.False, context);
            Assert.That(
                report.Tail,
                Is.AnyOf(JournalTailState.Clean, JournalTailState.Uncommitted, JournalTailState.IncompleteSegment),
                $"a process crash leaves the page cache intact: no torn record; {context}");
            Assert.That(report.Records, Is.GreaterThanOrEqualTo(run.Committed), $"every record reported committed is there; {context}");
            Assert.That(FirstDifference(source, destination, report.Records), Is.Null, context);
            if (run.Resumed is { } resumed)
            {
                Assert.That(resumed, Is.GreaterThanOrEqualTo(previousCommitted), $"the resumed writer kept the previous round's committed records; {context}");
            }

            previousCommitted = run.Committed;
        }

        // The last run is left to finish: the copy must then equal its source, record for record.
        var last = RunChild(source, destination, killAfterFirstReportMs: null);
        var final = JournalScanner.Scan(destination);
        Assert.That(last.Done, Is.True, "the final run completes");
        Assert.That(final.IsIntact, Is.True, string.Join(" | ", final.Damage.Select(d => d.Message)));
        Assert.That(final.Records, Is.EqualTo(sourceRecords));
        Assert.That(FirstDifference(source, destination, sourceRecords), Is.Null);
        Assert.That(killed, Is.GreaterThan(0), "at least one round must really have been killed mid-copy");
    }

    private static ChildRun RunChild(string source, string destination, int? killAfterFirstReportMs)
    {
        var dll = Path.Combine(AppContext.BaseDirectory, "optiflow.dll");
        var host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        var start = new ProcessStartInfo(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { dll, "journal", "copy", source, destination, "--resume", "--segment-size", "1048576", "--report-every", "500" })
        {
            start.ArgumentList.Add(argument);
        }

        using var child = Process.Start(start)!;
        var run = new ChildRun();
        var firstReport = new ManualResetEventSlim();
        var stderr = child.StandardError.ReadToEndAsync();
        var reading = Task.Run(() =>
        {
            string? line;
            while ((line = child.StandardOutput.ReadLine()) is not null)
            {
                var parts = line.Split(' ');
                switch (parts[0])
                {
                    case "committed":
                        run.Committed = long.Parse(parts[1], CultureInfo.InvariantCulture);
                        firstReport.Set();
                        break;
                    case "resumed":
                        run.Resumed = long.Parse(parts[1], CultureInfo.InvariantCulture);
                        break;
                    case "done":
                        run.Committed = long.Parse(parts[1], CultureInfo.InvariantCulture);
                        run.Done = true;
                        firstReport.Set();
                        break;
                    default:
                        break;
                }
            }

            firstReport.Set();
        });

        // A live tailer in this process follows the child's journal while it writes: every record it sees must be committed and whole.
        using var stopTailing = new CancellationTokenSource();
        var tailing = Task.Run(() => Tail(source, destination, stopTailing.Token));

        if (killAfterFirstReportMs is { } delay)
        {
            Assert.That(firstReport.Wait(ChildTimeout), Is.True, "the child reported no committed record in time");
            Thread.Sleep(delay);
            if (!child.HasExited)
            {
                child.Kill(); // SIGKILL
                run.Killed = true;
            }
        }

        Assert.That(child.WaitForExit(ChildTimeout), Is.True, "the child did not exit in time");
        Assert.That(reading.Wait(ChildTimeout), Is.True, "the child's output did not close in time");
        if (!run.Killed)
        {
            Assert.That(child.ExitCode, Is.Zero, stderr.Result);
        }

        stopTailing.Cancel();
        Assert.That(tailing.Wait(ChildTimeout), Is.True, "the tailer did not stop in time");
        Assert.That(tailing.Result.Mismatch, Is.Null, "the live tailer read a record that differs from the source");
        run.Tailed = tailing.Result.Records;

        return run;
    }

    /// <summary>Follows <paramref name="directory"/> while another process writes it; compares each record with the source.</summary>
    private static (long Records, string? Mismatch) Tail(string source, string directory, CancellationToken stop)
    {
        JournalReader? reader = null;
        try
        {
            while (reader is null)
            {
                try
                {
                    reader = new JournalReader(directory);
                }
                catch (Exception e) when (e is DirectoryNotFoundException or JournalFormatException or FileNotFoundException)
                {
                    if (stop.IsCancellationRequested)
                    {
                        return (0, null);
                    }

                    Thread.Sleep(1);
                }
            }

            using var expected = new JournalReader(source);
            var records = 0L;
            while (true)
            {
                var stopping = stop.IsCancellationRequested;
                while (reader.TryRead(out var a))
                {
                    if (!expected.TryRead(out var e) || a.Type != e.Type || a.Sequence != e.Sequence || !a.Payload.SequenceEqual(e.Payload))
                    {
                        return (records, $"tailed record {records} ({a.Type} #{a.Sequence}) differs from the source");
                    }

                    records++;
                }

                if (stopping)
                {
                    return (records, null);
                }

                Thread.Sleep(0);
            }
        }
        finally
        {
            reader?.Dispose();
        }
    }

    /// <summary>Compares the first <paramref name="count"/> records of both journals field by field; null when equal.</summary>
    private static string? FirstDifference(string expectedDirectory, string actualDirectory, long count)
    {
        using var expected = new JournalReader(expectedDirectory);
        using var actual = new JournalReader(actualDirectory);
        for (var i = 0L; i < count; i++)
        {
            if (!actual.TryRead(out var a))
            {
                return $"the copy ends after {i} records, expected {count}";
            }

            if (!expected.TryRead(out var e))
            {
                return $"the copy has more than the source's {i} records";
            }

            if (a.Type != e.Type || a.Sequence != e.Sequence || a.TimestampNs != e.TimestampNs || !a.Payload.SequenceEqual(e.Payload))
            {
                return $"record {i} differs: {a.Type} #{a.Sequence} vs source {e.Type} #{e.Sequence}";
            }
        }

        return null;
    }

    private sealed class ChildRun
    {
        public long Committed { get; set; }

        public long? Resumed { get; set; }

        public bool Killed { get; set; }

        public bool Done { get; set; }

        public long Tailed { get; set; }
    }
}
