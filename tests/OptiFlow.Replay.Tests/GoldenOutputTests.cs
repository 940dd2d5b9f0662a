using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// Pins what <c>optiflow book</c>, <c>signals</c>, <c>journal export</c> and <c>replay --compare</c> print on every
/// recording in <c>shared/data/binance</c>: the SHA-256 of each output (after the few normalisations below), its
/// length and the exit code, compared with <c>Golden/outputs.tsv</c>, which was written from commit 783cb1b (the
/// commit before the host library replaced the CLI's own wiring) by <see cref="ShouldWriteTheGoldenFile_WhenRegenerating"/>.
/// </summary>
/// <remarks>
/// <para>
/// Every case runs the command in-process through <c>OptiFlowCommand.Run(args, output, error)</c> and hashes standard
/// output as it is written (<see cref="DigestWriter"/>): the largest journal export is 113 MB. Per case, in this order:
/// <c>book --market M --depth 20 --every 500 FILE...</c>, <c>book --market M FILE...</c>, <c>signals --market M FILE...</c>,
/// <c>run --market M --journal DIR FILE...</c> (its exit code only, see below), <c>journal export DIR --format csv</c>
/// without and with <c>--outbound</c> and <c>--orders</c>, and <c>replay DIR --compare --output OUT</c>. The format is
/// the default <c>auto</c> for every file, so the pin covers format detection too (at 783cb1b it picks hftbacktest,
/// cryptofeed or jsonl for these files; an explicit <c>--format</c> gives the same bytes).
/// </para>
/// <para>
/// Normalisations. Each was found by running every command twice at 783cb1b and diffing; nothing else differed.
/// <list type="bullet">
/// <item><c>replay</c>: the journal and output directories it prints (<c>replay of DIR: …</c>, <c>outbound stream: … written
/// to OUT</c>) are fresh temporary folders each run, so the temporary root becomes <c>&lt;temp&gt;</c>.</item>
/// <item><c>replay</c>: the <c>in N ms</c> of its <c>replay of …</c> line is wall-clock time, so it becomes <c>in &lt;ms&gt; ms</c>.
/// The counts, crc32c digests and verdict on that line and every other line stay as printed.</item>
/// <item><c>run</c>: its report is mostly measurements (latency percentiles, steady-state allocation bytes, GC count,
/// elapsed ms) plus the journal path; only its exit code is pinned (sha256 and bytes are <c>-</c>). What it computed is
/// pinned through its journal: the three exports and the replay.</item>
/// </list>
/// Not normalised, because they are the same run to run: the <c>timestamp_ns</c> column of the exports (inbound: the
/// recording's own receive timestamp, <c>LocalTimestampNs</c>; signals: event time × 10⁶), and every sequence, price,
/// quantity, id, count and digest. Lines end with <c>\n</c> on every platform (the writer's <c>NewLine</c>; the sinks
/// write <c>\n</c> themselves). Numbers that the reports format with <c>N0</c> use the invariant culture everywhere:
/// the build sets <c>InvariantGlobalization</c>. Standard error is not pinned: book and signals write their data-error
/// summary to <c>Console.Error</c> directly at 783cb1b, not to the <c>error</c> writer; it is kept for failure messages.
/// </para>
/// <para>
/// Inputs. Every market-data file in the data folder, as the sessions PROVENANCE.md describes: consecutive-day
/// hftbacktest files form one session read in order; a cryptofeed <c>*.ws.1.0</c> brings its <c>*.http.0.0</c> (the
/// CLI adds it), and each <c>*.http.0.0</c> is also a session of its own (snapshots only: the books stay awaiting their
/// first diff). Market: usdm, cm, collect-binancefutures, BINANCE_FUTURES, BINANCE_DELIVERY, nautilus and Tardis
/// (binance-futures) are futures; spot, BINANCE, BINANCE_US, FinanceTechnologyProjects and halo3mic are spot. On two
/// recordings book, signals and run exit 1 at 783cb1b, deterministically: spot BTCUSDT 2023-04-05 has no snapshot, and
/// FinanceTechnologyProjects depth.json has none either, so their diffs are lost to buffer overflow. The Tardis and
/// nautilus CSVs and halo3mic's pretty-printed books.json are market data in formats the CLI does not read: it reads
/// them anyway (no usage error) and journals every line as a decode error with its file and line, exit 1; no recording
/// here has a decode error, so they are the only cases that pin that path, and they are a separate test.
/// Left out, as not market data (the CLI accepts them too; none gives a usage error): the exchangeInfo files
/// (SM2A-Binance_API/*.json: one frame, not decoded, exit 0; AlphaDogsResearch futures_exchange_info.json, pretty-printed:
/// every line a decode error, exit 1), cryptofeed's exchangeInfo-plus-configuration <c>*.0</c> files (no frame read,
/// exit 0), the LICENSE files and PROVENANCE.md (every line a decode error, exit 1).
/// </para>
/// <para>
/// The <c>wobi10</c> column (journal format 5). <c>signals</c> and <c>journal export --outbound</c> now end with a
/// <c>wobi10</c> column. Their rows <c>signals</c> and <c>journal-export-outbound</c> hash each line with its last
/// column removed and keep the base commit's digests: the proof that every other column is unchanged. The rows
/// <c>signals-with-wobi10</c> and <c>journal-export-outbound-with-wobi10</c> pin the full output (written at the commit
/// that added the column). At that regeneration exactly these other rows changed, each explained: every
/// <c>replay-compare</c> of a case with signals (its <c>crc32c</c> of the signal stream covers the 104-byte records,
/// Wobi10 included), and <c>journal-export-events</c> of hftbacktest/usdm/btcusdt_20230404+0405, whose one
/// <c>"X":"INSURANCE_FUND"</c> trade now carries <c>MarketEventFlags.NonMarketTrade</c> (flags 11 → 43, same length).
/// Regenerated again after merging the evaluator API: only every <c>replay-compare</c> row changed, each by exactly
/// 19 bytes, because its last line now reads "(signals, evaluator records and order commands)".
/// </para>
/// <para>
/// The export schema shared with Parquet (issue 19). <c>journal export</c> (market events) and <c>journal export --outbound</c>
/// now write the columns of <c>JournalExport.Columns</c>: their rows hash each line mapped back to the base commit's
/// columns (<see cref="LegacyMarketEventLine"/>, <see cref="LegacySignalLine"/>: names, column order, markPrice fields
/// moved back, empty back to 0; the new <c>aggressor_side</c> dropped) and keep the digests they had, so every value
/// printed before is still printed. No row of the golden file changed.
/// </para>
/// <para>
/// Regenerate only from a commit whose outputs are right by definition (the acceptance rule compares with 783cb1b):
/// <c>OPTIFLOW_GOLDEN_WRITE=1 dotnet test tests/OptiFlow.Replay.Tests -c Release --filter Name=ShouldWriteTheGoldenFile_WhenRegenerating</c>.
/// It writes <c>Golden/outputs.tsv</c> into the source tree and ends inconclusive, so a write never passes as a check;
/// with the variable set, the comparing tests end inconclusive as well.
/// </para>
/// </remarks>
[TestFixture]
[Category("Data")]
[NonParallelizable]
public sealed partial class GoldenOutputTests
{
    /// <summary>Set to 1 to write <c>Golden/outputs.tsv</c> instead of comparing with it.</summary>
    public const string WriteVariable = "OPTIFLOW_GOLDEN_WRITE";

    private const string GoldenFolder = "Golden";
    private const string GoldenFileName = "outputs.tsv";
    private const string Header = "case\tverb\texit\tsha256\tbytes";
    private const string NotHashed = "-";

    /// <summary>The verbs run on every case (one golden row each), in ordinal order.</summary>
    private static readonly string[] Verbs =
    [
        "book", "book-every-500", "journal-export-events", "journal-export-orders", "journal-export-outbound", "journal-export-outbound-with-wobi10", "replay-compare", "run", "signals", "signals-with-wobi10",
    ];

    /// <summary>Recording sessions: id, market, files in reading order (paths under the data folder).</summary>
    private static readonly (string Id, string Market, string[] Files)[] Recordings =
    [
        ("hftbacktest/usdm/btcusdt_20230404+0405", "futures", ["hftbacktest/examples/usdm/btcusdt_20230404.dat.gz", "hftbacktest/examples/usdm/btcusdt_20230405.dat.gz"]),
        ("hftbacktest/usdm/btcusdt_20240808", "futures", ["hftbacktest/examples/usdm/btcusdt_20240808"]),
        ("hftbacktest/usdm/ethusdt_20240808", "futures", ["hftbacktest/examples/usdm/ethusdt_20240808"]),
        ("hftbacktest/spot/btcusdt_20240808+0809", "spot", ["hftbacktest/examples/spot/btcusdt_20240808", "hftbacktest/examples/spot/btcusdt_20240809"]),
        ("hftbacktest/spot/ethusdt_20240808+0809", "spot", ["hftbacktest/examples/spot/ethusdt_20240808", "hftbacktest/examples/spot/ethusdt_20240809"]),
        ("hftbacktest/spot/btcusdt_20230405", "spot", ["hftbacktest/examples/spot/btcusdt_20230405.dat.gz"]),
        ("hftbacktest/cm/btcusd_perp_20240808+0809", "futures", ["hftbacktest/examples/cm/btcusd_perp_20240808.gz", "hftbacktest/examples/cm/btcusd_perp_20240809.gz"]),
        ("hftbacktest/cm/ethusd_perp_20240808+0809", "futures", ["hftbacktest/examples/cm/ethusd_perp_20240808.gz", "hftbacktest/examples/cm/ethusd_perp_20240809.gz"]),
        ("collect-binancefutures/btcusdt_20220811", "futures", ["collect-binancefutures/sample_data/btcusdt_20220811.dat"]),
        ("cryptofeed/BINANCE.ws.1.0", "spot", ["cryptofeed/sample_data/BINANCE.ws.1.0"]),
        ("cryptofeed/BINANCE_US.ws.1.0", "spot", ["cryptofeed/sample_data/BINANCE_US.ws.1.0"]),
        ("cryptofeed/BINANCE_FUTURES.ws.1.0", "futures", ["cryptofeed/sample_data/BINANCE_FUTURES.ws.1.0"]),
        ("cryptofeed/BINANCE_DELIVERY.ws.1.0", "futures", ["cryptofeed/sample_data/BINANCE_DELIVERY.ws.1.0"]),
        ("cryptofeed/BINANCE.http.0.0", "spot", ["cryptofeed/sample_data/BINANCE.http.0.0"]),
        ("cryptofeed/BINANCE_US.http.0.0", "spot", ["cryptofeed/sample_data/BINANCE_US.http.0.0"]),
        ("cryptofeed/BINANCE_FUTURES.http.0.0", "futures", ["cryptofeed/sample_data/BINANCE_FUTURES.http.0.0"]),
        ("cryptofeed/BINANCE_DELIVERY.http.0.0", "futures", ["cryptofeed/sample_data/BINANCE_DELIVERY.http.0.0"]),
        ("FinanceTechnologyProjects/depth.json", "spot", ["FinanceTechnologyProjects/resources/data/binance/depth.json"]),
    ];

    /// <summary>Market data in formats the CLI does not read: every line is journaled as a decode error.</summary>
    private static readonly (string Id, string Market, string[] Files)[] NotRecordings =
    [
        ("nautilus_trader/binance/btcusdt-depth-snap.csv", "futures", ["nautilus_trader/tests/test_data/binance/btcusdt-depth-snap.csv"]),
        ("nautilus_trader/binance/btcusdt-depth-update.csv", "futures", ["nautilus_trader/tests/test_data/binance/btcusdt-depth-update.csv"]),
        ("nautilus_trader/tardis/book_snapshot_5_BTCUSDT.csv", "futures", ["nautilus_trader/tests/test_data/tardis/binance-futures_book_snapshot_5_BTCUSDT.csv"]),
        ("nautilus_trader/tardis/book_snapshot_25_BTCUSDT.csv", "futures", ["nautilus_trader/tests/test_data/tardis/binance-futures_book_snapshot_25_BTCUSDT.csv"]),
        ("nautilus_trader/tardis/quotes.csv", "futures", ["nautilus_trader/tests/test_data/tardis/quotes.csv"]),
        ("nautilus_trader/tardis/trades.csv", "futures", ["nautilus_trader/tests/test_data/tardis/trades.csv"]),
        ("halo3mic-binance-arb/books.json", "spot", ["halo3mic-binance-arb/data/books.json"]),
    ];

    /// <summary>Files under the data folder that are deliberately not inputs here (see the remarks for why).</summary>
    private static readonly string[] NotMarketData =
    [
        "PROVENANCE.md",
        "cryptofeed/LICENSE",
        "hftbacktest/LICENSE",
        "SM2A-Binance_API/exchangeInfo.json",
        "SM2A-Binance_API/exchangeInfoCompact.json",
        "AlphaDogsResearch-Coinbase-Python/futures_exchange_info.json",
        "cryptofeed/sample_data/BINANCE.0",
        "cryptofeed/sample_data/BINANCE_US.0",
        "cryptofeed/sample_data/BINANCE_FUTURES.0",
        "cryptofeed/sample_data/BINANCE_DELIVERY.0",
    ];

    private static IEnumerable<TestCaseData> RecordingCases => Recordings.Select(ToTestCase);

    private static IEnumerable<TestCaseData> NotRecordingCases => NotRecordings.Select(ToTestCase);

    private static bool WriteMode => Environment.GetEnvironmentVariable(WriteVariable) == "1";

    /// <summary>The <c>replay of DIR: N events through the same core in T ms; …</c> line; group 1 ends before T.</summary>
    [GeneratedRegex("^(replay of .*: [0-9,]+ events through the same core in )[0-9,]+( ms; )")]
    private static partial Regex ReplayElapsed();

    [TestCaseSource(nameof(RecordingCases))]
    public void ShouldPrintWhatTheBaseCommitPrinted_WhenReadingARecording(string id, string market, string[] files)
    {
        // Arrange
        var paths = RequireInputs(files);
        var expected = ExpectedRows(id);

        // Act
        var actual = RunCase(id, market, paths);

        // Assert
        AssertSameRows(id, expected, actual);
    }

    [TestCaseSource(nameof(NotRecordingCases))]
    public void ShouldPrintWhatTheBaseCommitPrinted_WhenEveryLineIsADecodeError(string id, string market, string[] files)
    {
        // Arrange
        var paths = RequireInputs(files);
        var expected = ExpectedRows(id);

        // Act
        var actual = RunCase(id, market, paths);

        // Assert
        AssertSameRows(id, expected, actual);
    }

    [Test]
    public void ShouldHoldRowsForExactlyTheListedCases_WhenTheGoldenFileIsRead()
    {
        // Arrange
        var listed = Recordings.Concat(NotRecordings).Select(c => c.Id).Order(StringComparer.Ordinal).ToList();

        // Act
        var rows = ReadGoldenRows();
        var inFile = rows.Select(r => r.Split('\t')[0]).Distinct().Order(StringComparer.Ordinal).ToList();

        // Assert
        Assert.That(inFile, Is.EqualTo(listed), "cases in Golden/outputs.tsv versus cases listed in this fixture");
        Assert.That(rows, Has.Count.EqualTo(listed.Count * Verbs.Length), "one row per case and verb");
        Assert.That(rows, Is.Ordered.Using((IComparer<string>)StringComparer.Ordinal), "rows are sorted");
    }

    [Test]
    public void ShouldCoverEveryDataFile_WhenCasesAreListed()
    {
        // Arrange
        RecordingData.Require("PROVENANCE.md");
        var root = RecordingData.Root!;
        var covered = Recordings.Concat(NotRecordings).SelectMany(c => c.Files).Concat(NotMarketData).ToHashSet(StringComparer.Ordinal);

        // Act
        var files = Directory.GetFiles(root, "*", SearchOption.AllDirectories)
            .Select(f => Path.GetRelativePath(root, f).Replace(Path.DirectorySeparatorChar, '/'))
            .Order(StringComparer.Ordinal)
            .ToList();

        // Assert
        Assert.That(files.Where(f => !covered.Contains(f)), Is.Empty, "data files that are neither a case nor listed as not market data");
        Assert.That(covered.Where(f => !files.Contains(f)), Is.Empty, "listed files absent from the data folder");
    }

    [Test]
    [Explicit("Writes Golden/outputs.tsv into the source tree; run only from the commit whose outputs are the reference, with OPTIFLOW_GOLDEN_WRITE=1.")]
    public void ShouldWriteTheGoldenFile_WhenRegenerating()
    {
        // Arrange
        if (!WriteMode)
        {
            Assert.Ignore($"set {WriteVariable}=1 to regenerate Golden/outputs.tsv");
        }

        var target = SourceGoldenPath() ?? throw new InvalidOperationException("cannot find the source tree (OptiFlow.Engine.sln above the test binaries)");
        var cases = Recordings.Concat(NotRecordings).Select(c => (c.Id, c.Market, Paths: RequireInputs(c.Files))).ToList();

        // Act
        var rows = cases.SelectMany(c => RunCase(c.Id, c.Market, c.Paths)).Select(r => r.Text).Order(StringComparer.Ordinal).ToList();
        var text = string.Join('\n', rows.Prepend(Header)) + "\n";
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        File.WriteAllText(target, text, new UTF8Encoding(false));
        Directory.CreateDirectory(Path.GetDirectoryName(OutputGoldenPath)!);
        File.WriteAllText(OutputGoldenPath, text, new UTF8Encoding(false));

        // Assert
        Assert.Inconclusive($"wrote {rows.Count} rows to {target}; run again without {WriteVariable} to compare");
    }

    private static string OutputGoldenPath => Path.Combine(AppContext.BaseDirectory, GoldenFolder, GoldenFileName);

    private static TestCaseData ToTestCase((string Id, string Market, string[] Files) c) =>
        new TestCaseData(c.Id, c.Market, c.Files).SetArgDisplayNames(c.Id);

    private static string[] RequireInputs(string[] files)
    {
        foreach (var file in files.Where(f => f.EndsWith(".ws.1.0", StringComparison.Ordinal)))
        {
            // The CLI reads the sibling snapshot file of a cryptofeed capture as part of the session.
            RecordingData.Require(file[..^".ws.1.0".Length] + ".http.0.0");
        }

        return [.. files.Select(RecordingData.Require)];
    }

    private static List<string> ExpectedRows(string id)
    {
        if (WriteMode)
        {
            Assert.Inconclusive($"{WriteVariable}=1: writing, not comparing");
        }

        var rows = ReadGoldenRows().Where(r => r.StartsWith(id + "\t", StringComparison.Ordinal)).ToList();
        Assert.That(rows, Is.Not.Empty, $"no rows for '{id}' in Golden/outputs.tsv");
        return rows;
    }

    private static void AssertSameRows(string id, List<string> expected, List<GoldenRow> actual)
    {
        var actualText = actual.Select(r => r.Text).Order(StringComparer.Ordinal).ToList();
        var message = new StringBuilder($"outputs of '{id}' differ from the base commit's (case, verb, exit, sha256, bytes):");
        foreach (var row in actual.Where(r => !expected.Contains(r.Text)))
        {
            message.Append(CultureInfo.InvariantCulture, $"\n  actual   {row.Text}\n  expected {expected.FirstOrDefault(e => e.StartsWith($"{id}\t{row.Verb}\t", StringComparison.Ordinal)) ?? "(none)"}");
            if (row.Error.Length > 0)
            {
                message.Append(CultureInfo.InvariantCulture, $"\n  stderr: {row.Error.Trim()}");
            }
        }

        Assert.That(actualText, Is.EqualTo(expected), message.ToString());
    }

    /// <summary>Runs every verb on one session and returns one row per verb (unsorted).</summary>
    private static List<GoldenRow> RunCase(string id, string market, string[] paths)
    {
        using var temp = new TempDirectory("golden");
        var journal = temp.File("journal");
        var replayOutput = temp.File("replay-outbound");
        var rows = new List<GoldenRow>
        {
            Hash(id, "book-every-500", ["book", "--market", market, "--depth", "20", "--every", "500", .. paths]),
            Hash(id, "book", ["book", "--market", market, .. paths]),
            ExitCodeOnly(id, "run", ["run", "--market", market, "--journal", journal, .. paths]),
            Hash(id, "journal-export-events", ["journal", "export", journal, "--format", "csv"], LegacyMarketEventLine),
            Hash(id, "journal-export-orders", ["journal", "export", journal, "--format", "csv", "--orders"]),
            Hash(id, "replay-compare", ["replay", journal, "--compare", "--output", replayOutput], line => NormaliseReplayLine(line, temp.Path)),
        };
        rows.AddRange(HashWithAndWithoutLastColumn(id, "signals", ["signals", "--market", market, .. paths]));
        rows.AddRange(HashWithAndWithoutLastColumn(id, "journal-export-outbound", ["journal", "export", journal, "--format", "csv", "--outbound"], LegacySignalLine));
        return rows;
    }

    /// <summary>
    /// Two rows from one run of a command whose CSV ends with the <c>wobi10</c> column: <paramref name="verb"/> hashes
    /// every line with its last column removed (what the base commit printed, so its row keeps the base commit's digest:
    /// the proof that the other columns did not change), <c>VERB-with-wobi10</c> hashes the output as printed.
    /// </summary>
    private static GoldenRow[] HashWithAndWithoutLastColumn(string id, string verb, string[] args, Func<string, string>? normalise = null)
    {
        normalise ??= line => line;
        using var output = new DigestWriter(normalise, line => WithoutLastColumn(normalise(line)));
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = OptiFlowCommand.Run(args, output, error);
        var (sha256, bytes) = output.Finish();
        var (strippedSha256, strippedBytes) = output.FinishAlternate();
        var stderr = error.ToString();
        return
        [
            new GoldenRow(id, verb, exit, strippedSha256, strippedBytes.ToString(CultureInfo.InvariantCulture), stderr),
            new GoldenRow(id, verb + "-with-wobi10", exit, sha256, bytes.ToString(CultureInfo.InvariantCulture), stderr),
        ];
    }

    /// <summary>
    /// A line of <c>journal export</c> (market events) in the columns the base commit printed. The export's schema is
    /// shared with Parquet since then (issue 19): <c>timestamp_ns</c> is named <c>local_timestamp_ns</c>; a markPrice's
    /// funding rate, index price, estimated settle price and next funding time moved from <c>quantity</c>, <c>ask_price</c>,
    /// <c>ask_quantity</c> and <c>transaction_time_ms</c> to their own columns; <c>ask_price</c> and <c>ask_quantity</c>
    /// are empty rather than 0 except on a bookTicker; <c>aggressor_side</c> is new. Mapping them back (and nothing else)
    /// keeps the base commit's digest: the proof that every value it printed is still there.
    /// </summary>
    private static string LegacyMarketEventLine(string line)
    {
        var body = line.TrimEnd('\n');
        var c = body.Split(',');
        if (c[0] == "sequence")
        {
            return "sequence,timestamp_ns,kind,symbol,flags,side,price,quantity,ask_price,ask_quantity,first_update_id,final_update_id,previous_final_update_id,event_time_ms,transaction_time_ms,level_index,level_count,error_code,source_file,source_line" + line[body.Length..];
        }

        var markPrice = c[2] == "MarkPrice";
        string[] legacy =
        [
            c[0], c[1], c[2], c[3], c[4], c[5], c[6],
            markPrice ? c[11] : c[7],
            markPrice ? c[12] : c[8].Length == 0 ? "0" : c[8],
            markPrice ? c[13] : c[9].Length == 0 ? "0" : c[9],
            c[15], c[16], c[17], c[18],
            markPrice ? c[14] : c[19],
            c[20], c[21], c[22], c[23], c[24],
        ];
        return string.Join(',', legacy) + line[body.Length..];
    }

    /// <summary>
    /// A line of <c>journal export --outbound</c> in the columns the base commit printed. Since issue 19 the signals export
    /// has the columns of <c>optiflow signals</c> (an empty side's price and the mid empty, not 0), then
    /// <c>event_sequence,outbound_sequence</c>; the base commit's <c>timestamp_ns</c> was the event time × 10⁶.
    /// </summary>
    private static string LegacySignalLine(string line)
    {
        var body = line.TrimEnd('\n');
        var c = body.Split(',');
        if (c[0] == "symbol")
        {
            return "outbound_sequence,timestamp_ns,event_sequence,symbol,applied,final_update_id,event_time_ms,best_bid,best_ask,mid,obi1,obi5,obi10,weighted_mid,wobi10" + line[body.Length..];
        }

        static string ZeroIfEmpty(string value) => value.Length == 0 ? "0" : value;
        var timestampNs = long.Parse(c[3], CultureInfo.InvariantCulture) * 1_000_000;
        string[] legacy =
        [
            c[13], timestampNs.ToString(CultureInfo.InvariantCulture), c[12], c[0], c[1], c[2], c[3],
            ZeroIfEmpty(c[4]), ZeroIfEmpty(c[5]), ZeroIfEmpty(c[6]), c[7], c[8], c[9], c[10], c[11],
        ];
        return string.Join(',', legacy) + line[body.Length..];
    }

    /// <summary>The line without its last comma-separated column (the line ending kept).</summary>
    private static string WithoutLastColumn(string line)
    {
        var body = line.AsSpan().TrimEnd('\n');
        var comma = body.LastIndexOf(',');
        return comma < 0 ? line : string.Concat(body[..comma], line.AsSpan(body.Length));
    }

    /// <summary>
    /// The replay report's run-to-run differences: the temporary folder it names, and the wall-clock milliseconds of
    /// its first summary line. Everything else (counts, digests, verdict) stays.
    /// </summary>
    private static string NormaliseReplayLine(string line, string tempRoot) =>
        ReplayElapsed().Replace(line.Replace(tempRoot, "<temp>", StringComparison.Ordinal), "$1<ms>$2");

    private static GoldenRow Hash(string id, string verb, string[] args, Func<string, string>? normalise = null)
    {
        using var output = new DigestWriter(normalise ?? (line => line));
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = OptiFlowCommand.Run(args, output, error);
        var (sha256, bytes) = output.Finish();
        return new GoldenRow(id, verb, exit, sha256, bytes.ToString(CultureInfo.InvariantCulture), error.ToString());
    }

    private static GoldenRow ExitCodeOnly(string id, string verb, string[] args)
    {
        using var output = new StringWriter(CultureInfo.InvariantCulture);
        using var error = new StringWriter(CultureInfo.InvariantCulture);
        var exit = OptiFlowCommand.Run(args, output, error);
        return new GoldenRow(id, verb, exit, NotHashed, NotHashed, error.ToString());
    }

    private static List<string> ReadGoldenRows()
    {
        var path = File.Exists(OutputGoldenPath) ? OutputGoldenPath : SourceGoldenPath();
        if (path is null || !File.Exists(path))
        {
            Assert.Fail($"Golden/{GoldenFileName} not found next to the test binaries ({OutputGoldenPath}) nor in the source tree");
        }

        var lines = File.ReadAllLines(path!).Where(l => l.Length > 0).ToList();
        Assert.That(lines[0], Is.EqualTo(Header), $"header of {path}");
        return lines.Skip(1).ToList();
    }

    /// <summary>tests/OptiFlow.Replay.Tests/Golden/outputs.tsv under the folder holding OptiFlow.Engine.sln, or null.</summary>
    private static string? SourceGoldenPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "OptiFlow.Engine.sln")))
            {
                return Path.Combine(dir.FullName, "tests", "OptiFlow.Replay.Tests", GoldenFolder, GoldenFileName);
            }
        }

        return null;
    }

    /// <summary>One line of the golden file, with the command's standard error for failure messages.</summary>
    private sealed record GoldenRow(string Case, string Verb, int Exit, string Sha256, string Bytes, string Error)
    {
        public string Text => string.Create(CultureInfo.InvariantCulture, $"{Case}\t{Verb}\t{Exit}\t{Sha256}\t{Bytes}");
    }

    /// <summary>
    /// A <see cref="TextWriter"/> that keeps no text: it normalises each line, then feeds its UTF-8 bytes to SHA-256 and
    /// counts them, so a 113 MB export is hashed without being held.
    /// </summary>
    private sealed class DigestWriter : TextWriter
    {
        private readonly IncrementalHash _hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly StringBuilder _line = new(256);
        private readonly IncrementalHash _alternateHash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        private readonly Func<string, string> _normalise;
        private readonly Func<string, string>? _alternate;
        private long _bytes;
        private long _alternateBytes;

        /// <param name="normalise">Applied to each line before it is hashed.</param>
        /// <param name="alternate">When given, a second digest (<see cref="FinishAlternate"/>) of every line normalised this way instead.</param>
        public DigestWriter(Func<string, string> normalise, Func<string, string>? alternate = null)
            : base(CultureInfo.InvariantCulture)
        {
            _normalise = normalise;
            _alternate = alternate;
            // WriteLine ends lines with "\n" on every platform, as the sinks do, so the digests do not depend on the OS.
            NewLine = "\n";
        }

        public override Encoding Encoding { get; } = new UTF8Encoding(false);

        public override void Write(char value)
        {
            _line.Append(value);
            if (value == '\n')
            {
                HashLine();
            }
        }

        public override void Write(ReadOnlySpan<char> buffer)
        {
            int end;
            while ((end = buffer.IndexOf('\n')) >= 0)
            {
                _line.Append(buffer[..(end + 1)]);
                HashLine();
                buffer = buffer[(end + 1)..];
            }

            _line.Append(buffer);
        }

        public override void Write(char[] buffer, int index, int count) => Write(buffer.AsSpan(index, count));

        public override void Write(string? value) => Write(value.AsSpan());

        /// <summary>Hashes a last line without a newline; returns the lowercase hex SHA-256 and the byte count.</summary>
        public (string Sha256, long Bytes) Finish()
        {
            if (_line.Length > 0)
            {
                HashLine();
            }

            return (Convert.ToHexStringLower(_hash.GetHashAndReset()), _bytes);
        }

        /// <summary>The second digest and byte count (call after <see cref="Finish"/>).</summary>
        public (string Sha256, long Bytes) FinishAlternate() => (Convert.ToHexStringLower(_alternateHash.GetHashAndReset()), _alternateBytes);

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _hash.Dispose();
                _alternateHash.Dispose();
            }

            base.Dispose(disposing);
        }

        private void HashLine()
        {
            var line = _line.ToString();
            var bytes = Encoding.GetBytes(_normalise(line));
            _hash.AppendData(bytes);
            _bytes += bytes.Length;
            if (_alternate is not null)
            {
                var alternate = Encoding.GetBytes(_alternate(line));
                _alternateHash.AppendData(alternate);
                _alternateBytes += alternate.Length;
            }

            _line.Clear();
        }
    }
}
