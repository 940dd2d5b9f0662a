using System.Globalization;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using NUnit.Framework;
using OptiFlow.Cli;
using OptiFlow.Engine.Hosting.Export;
using OptiFlow.Engine.Orders;
using OptiFlow.Journal;
using OptiFlow.Testing;

namespace OptiFlow.Replay.Tests;

/// <summary>
/// <c>optiflow journal export --format parquet</c> on a real journal (the shipped demo recording, BTCUSDT USDⓈ-M
/// 2023-04-04 with trades and markPrice@1s, run with the OBI maker paper-trading and the VPIN and flow evaluators, so
/// every table has rows except snapshot requests), read back with DuckDB's <c>read_parquet</c>, an independent reader.
/// </summary>
/// <remarks>
/// Each table's Parquet file is compared with its CSV export row for row (DuckDB reads the CSV with the Parquet
/// schema's types, so decimals compare exactly) and, for a few rows, value by value in C#; the trade aggressor side and the
/// funding rate are checked against the recording's own frames; the signals against <c>optiflow signals</c>.
/// </remarks>
[TestFixture]
public sealed class JournalParquetExportTests
{
    private TempDirectory _temp = null!;
    private string _journal = null!;

    [OneTimeSetUp]
    public void JournalTheDemoRecording()
    {
        _temp = new TempDirectory("parquet");
        _journal = _temp.File("journal");
        var (exit, output) = Run(
            "run", "--market", "futures", "--journal", _journal, "--obi-maker", "0.3", "--maker-qty", "0.01", "--cooldown-ms", "200",
            "--trade", "paper", "--filters", OptiFlowCommand.DemoFilters, "--vpin", "5", "--flow-imbalance", "200", OptiFlowCommand.DemoRecording);
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
    }

    [OneTimeTearDown]
    public void RemoveTheJournal() => _temp.Dispose();

    [TestCase(JournalExportKind.MarketEvents, null)]
    [TestCase(JournalExportKind.Signals, "--outbound")]
    [TestCase(JournalExportKind.OrderCommands, "--orders")]
    [TestCase(JournalExportKind.SnapshotRequests, "--requests")]
    [TestCase(JournalExportKind.EvaluatorRecords, "--evaluators")]
    [TestCase(JournalExportKind.ExecutionReports, "--executions")]
    public void ShouldHoldTheCsvExportsRowsExactly_WhenDuckDbReadsTheParquetExport(JournalExportKind kind, string? table)
    {
        // Arrange
        var columns = JournalExport.Columns(kind);
        var csv = _temp.File($"{kind}.csv");
        var parquet = _temp.File($"{kind}.parquet");
        string[] choice = table is null ? [] : [table];

        // Act
        var (csvExit, csvOutput) = Run(["journal", "export", _journal, "--format", "csv", "--output", csv, .. choice]);
        var (parquetExit, parquetOutput) = Run(["journal", "export", _journal, "--format", "parquet", "--output", parquet, .. choice]);

        // Assert
        Assert.That(csvExit, Is.EqualTo(OptiFlowCommand.Success), csvOutput);
        Assert.That(parquetExit, Is.EqualTo(OptiFlowCommand.Success), parquetOutput);
        var csvLines = File.ReadAllLines(csv);
        using var db = OpenDuckDb();
        var schema = Describe(db, parquet);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(csvLines[0], Is.EqualTo(string.Join(',', columns.Select(c => c.Name))), "the CSV header is the schema's column names");
            Assert.That(schema, Is.EqualTo(columns.Select(c => (c.Name, c.ParquetTypeName)).ToList()), "the Parquet schema: names and DuckDB types");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Quote(parquet)})"), Is.EqualTo(csvLines.Length - 1), "row count");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM (SELECT * FROM read_parquet({Quote(parquet)}) EXCEPT ALL SELECT * FROM {ReadCsv(csv, columns)})"), Is.Zero, "Parquet rows not in the CSV");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM (SELECT * FROM {ReadCsv(csv, columns)} EXCEPT ALL SELECT * FROM read_parquet({Quote(parquet)}))"), Is.Zero, "CSV rows not in the Parquet file");
            if (!OperatingSystem.IsWindows())
            {
                Assert.That(File.GetUnixFileMode(parquet), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite), "created 0600");
            }

            if (kind != JournalExportKind.SnapshotRequests)
            {
                Assert.That(csvLines, Has.Length.GreaterThan(10), "the journal holds rows of this table");
            }
        }

        // A few rows value by value, outside DuckDB's CSV reader: first, middle, last.
        foreach (var index in csvLines.Length > 1 ? new[] { 0, (csvLines.Length - 1) / 2, csvLines.Length - 2 } : [])
        {
            AssertRowEquals(db, parquet, columns, index, csvLines[index + 1]);
        }
    }

    [Test]
    public void ShouldGiveEachTradeItsAggressorSide_WhenTheRecordingSaysWhetherTheBuyerWasTheMaker()
    {
        // Arrange: Binance m (buyer is maker) per trade id, from the recording's trade frames.
        var buyerIsMaker = new Dictionary<long, bool>();
        foreach (var data in Frames(OptiFlowCommand.DemoRecording, "trade"))
        {
            buyerIsMaker[data.GetProperty("t").GetInt64()] = data.GetProperty("m").GetBoolean();
        }

        var parquet = _temp.File("aggressor.parquet");

        // Act
        var (exit, output) = Run("journal", "export", _journal, "--format", "parquet", "--output", parquet);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
        using var db = OpenDuckDb();
        var trades = Rows(db, $"SELECT final_update_id, aggressor_side FROM read_parquet({Quote(parquet)}) WHERE kind = 'Trade'", r => (Id: r.GetInt64(0), Side: r.GetString(1)));
        using (Assert.EnterMultipleScope())
        {
            Assert.That(buyerIsMaker, Has.Count.EqualTo(2_197), "the demo recording's trades");
            Assert.That(buyerIsMaker.Values, Has.Some.True.And.Some.False, "both aggressor sides occur");
            Assert.That(trades.Select(t => t.Id), Is.EquivalentTo(buyerIsMaker.Keys), "one row per trade");
            Assert.That(trades.Where(t => t.Side != (buyerIsMaker[t.Id] ? "Sell" : "Buy")), Is.Empty, "aggressor Sell exactly when the buyer was the maker");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Quote(parquet)}) WHERE kind <> 'Trade' AND aggressor_side IS NOT NULL"), Is.Zero, "no aggressor side on other kinds");
        }
    }

    [Test]
    public void ShouldPutTheFundingRateInItsOwnDecimalColumn_WhenTheRecordingHasMarkPriceFrames()
    {
        // Arrange: r, i and T of every markPriceUpdate, by event time E.
        var frames = Frames(OptiFlowCommand.DemoRecording, "markPrice").ToDictionary(
            d => d.GetProperty("E").GetInt64(),
            d => (Funding: decimal.Parse(d.GetProperty("r").GetString()!, CultureInfo.InvariantCulture), Index: decimal.Parse(d.GetProperty("i").GetString()!, CultureInfo.InvariantCulture), Next: d.GetProperty("T").GetInt64()));
        var parquet = _temp.File("funding.parquet");

        // Act
        var (exit, output) = Run("journal", "export", _journal, "--format", "parquet", "--output", parquet);

        // Assert
        Assert.That(exit, Is.EqualTo(OptiFlowCommand.Success), output);
        using var db = OpenDuckDb();
        var rows = Rows(
            db,
            $"SELECT event_time_ms, funding_rate, index_price, next_funding_time_ms, quantity IS NULL, transaction_time_ms IS NULL FROM read_parquet({Quote(parquet)}) WHERE kind = 'MarkPrice'",
            r => (E: r.GetInt64(0), Funding: r.GetDecimal(1), Index: r.GetDecimal(2), Next: r.GetInt64(3), NoQuantity: r.GetBoolean(4), NoTransactionTime: r.GetBoolean(5)));
        var types = Describe(db, parquet).ToDictionary(c => c.Name, c => c.Type);
        using (Assert.EnterMultipleScope())
        {
            Assert.That(frames, Has.Count.EqualTo(99), "the demo recording's markPrice@1s frames");
            Assert.That(types["funding_rate"], Is.EqualTo("DECIMAL(38,8)"));
            Assert.That(types["aggressor_side"], Is.EqualTo("VARCHAR"));
            Assert.That(types["price"], Is.EqualTo("DECIMAL(38,8)"));
            Assert.That(types["local_timestamp_ns"], Is.EqualTo("BIGINT"));
            Assert.That(rows.Select(r => r.E), Is.EquivalentTo(frames.Keys), "one row per markPrice frame");
            Assert.That(rows.Where(r => r.Funding != frames[r.E].Funding || r.Index != frames[r.E].Index || r.Next != frames[r.E].Next), Is.Empty, "r, i and T exactly as sent");
            Assert.That(rows.Select(r => r.Funding), Has.All.Not.Zero, "the 2023 frames carry a funding rate");
            Assert.That(rows.Where(r => !r.NoQuantity || !r.NoTransactionTime), Is.Empty, "no funding rate in quantity, no next funding time in transaction_time_ms");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Quote(parquet)}) WHERE kind <> 'MarkPrice' AND funding_rate IS NOT NULL"), Is.Zero, "no funding rate on other kinds");
        }
    }

    [Test]
    public void ShouldEqualWhatOptiflowSignalsPrints_WhenExportingTheOutboundSignals()
    {
        // Arrange
        var signals = _temp.File("signals-command.csv");
        var (signalsOutput, signalsError) = (new StringWriter(), new StringWriter());
        var signalsExit = OptiFlowCommand.Run(["signals", "--market", "futures", OptiFlowCommand.DemoRecording], signalsOutput, signalsError);
        File.WriteAllText(signals, signalsOutput.ToString());
        var csv = _temp.File("signals-export.csv");
        var parquet = _temp.File("signals-export.parquet");
        var shared = JournalExport.Columns(JournalExportKind.Signals).Take(12).ToList();
        var sharedNames = string.Join(", ", shared.Select(c => $"\"{c.Name}\""));

        // Act
        var (csvExit, csvOutput) = Run("journal", "export", _journal, "--outbound", "--output", csv);
        var (parquetExit, parquetOutput) = Run("journal", "export", _journal, "--outbound", "--format", "parquet", "--output", parquet);

        // Assert
        Assert.That(signalsExit, Is.EqualTo(OptiFlowCommand.Success), signalsError.ToString());
        Assert.That(csvExit, Is.EqualTo(OptiFlowCommand.Success), csvOutput);
        Assert.That(parquetExit, Is.EqualTo(OptiFlowCommand.Success), parquetOutput);
        var expected = File.ReadAllLines(signals);
        var exported = File.ReadAllLines(csv).Select(line => string.Join(',', line.Split(',').Take(12))).ToArray();
        using var db = OpenDuckDb();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(expected[0], Is.EqualTo("symbol,applied,u,E,best_bid,best_ask,mid,obi1,obi5,obi10,wmid,wobi10"));
            Assert.That(expected, Has.Length.GreaterThan(4_000), "the demo's signals");
            Assert.That(exported, Is.EqualTo(expected), "the CSV export's first 12 columns are optiflow signals' output, line for line");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Quote(parquet)})"), Is.EqualTo(expected.Length - 1));
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM (SELECT {sharedNames} FROM read_parquet({Quote(parquet)}) EXCEPT ALL SELECT * FROM {ReadCsv(signals, shared)})"), Is.Zero, "Parquet signals not printed by optiflow signals");
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM (SELECT * FROM {ReadCsv(signals, shared)} EXCEPT ALL SELECT {sharedNames} FROM read_parquet({Quote(parquet)}))"), Is.Zero, "signals printed by optiflow signals missing from the Parquet file");
        }
    }

    [Test]
    public void ShouldWriteManyRowGroupsWithTheSameRows_WhenTheRowGroupIsSmallerThanTheTable()
    {
        // Arrange
        var whole = _temp.File("events-default.parquet");
        var grouped = _temp.File("events-grouped.parquet");

        // Act
        var defaultResult = JournalExport.WriteFile(_journal, JournalExportKind.MarketEvents, JournalExportFormat.Parquet, whole);
        var groupedResult = JournalExport.WriteFile(_journal, JournalExportKind.MarketEvents, JournalExportFormat.Parquet, grouped, new JournalExportOptions { RowGroupRows = 10_000 });

        // Assert
        using var db = OpenDuckDb();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(groupedResult, Is.EqualTo(defaultResult));
            Assert.That(defaultResult.ExecutionReportsLeftOut, Is.Positive, "the paper-trading run journaled execution reports, which are not market events");
            Assert.That(Scalar<long>(db, $"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({Quote(whole)})"), Is.EqualTo(1));
            Assert.That(Scalar<long>(db, $"SELECT count(DISTINCT row_group_id) FROM parquet_metadata({Quote(grouped)})"), Is.EqualTo((defaultResult.Rows + 9_999) / 10_000));
            Assert.That(Scalar<long>(db, $"SELECT max(row_group_num_rows) FROM parquet_metadata({Quote(grouped)})"), Is.EqualTo(10_000));
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM (SELECT * FROM read_parquet({Quote(whole)}) EXCEPT ALL SELECT * FROM read_parquet({Quote(grouped)}))"), Is.Zero);
            Assert.That(Scalar<long>(db, $"SELECT count(*) FROM read_parquet({Quote(grouped)})"), Is.EqualTo(defaultResult.Rows));
        }
    }

    [Test]
    public void ShouldKeepEveryFixedPointValueExactly_WhenPricesAndQuantitiesReachTheEndsOfTheLongRange()
    {
        // Arrange: a journal whose outbound stream holds order commands at the extremes of 10⁻⁸ units.
        using var temp = new TempDirectory("parquet-range");
        var journal = temp.File("journal");
        using (var inbound = new JournalWriter(journal, new JournalOptions { SegmentSize = JournalDescriptor.MinSegmentSize }))
        {
            inbound.AppendSymbol(0, "BTCUSDT"u8);
        }

        (long Price, long Quantity)[] values = [(long.MaxValue, 1), (long.MinValue, -1), (2_814_510_000_000, 1_500_000)];
        using (var outbound = new JournalWriter(Path.Combine(journal, JournalDescriptor.OutboundDirectoryName), new JournalOptions { SegmentSize = JournalDescriptor.MinSegmentSize }))
        {
            for (var i = 0; i < values.Length; i++)
            {
                var command = new OrderCommand { Action = OrderAction.New, Side = OrderSide.Buy, Type = OrderType.Limit, Price = values[i].Price, Quantity = values[i].Quantity, ClientOrderId = i + 1, EventTimeMs = 1_680_566_400_000 };
                outbound.AppendOrderCommand(in command, i);
            }
        }

        var csv = temp.File("orders.csv");
        var parquet = temp.File("orders.parquet");

        // Act
        var (csvExit, csvOutput) = Run("journal", "export", journal, "--orders", "--output", csv);
        var (parquetExit, parquetOutput) = Run("journal", "export", journal, "--orders", "--format", "parquet", "--output", parquet);

        // Assert
        Assert.That(csvExit, Is.EqualTo(OptiFlowCommand.Success), csvOutput);
        Assert.That(parquetExit, Is.EqualTo(OptiFlowCommand.Success), parquetOutput);
        using var db = OpenDuckDb();
        var rows = Rows(db, $"SELECT price::VARCHAR, quantity::VARCHAR FROM read_parquet({Quote(parquet)}) ORDER BY outbound_sequence", r => (r.GetString(0), r.GetString(1)));
        var csvRows = File.ReadAllLines(csv).Skip(1).Select(l => l.Split(',')).Select(c => (c[8], c[9])).ToList();
        using (Assert.EnterMultipleScope())
        {
            Assert.That(rows, Is.EqualTo(new[] { ("92233720368.54775807", "0.00000001"), ("-92233720368.54775808", "-0.00000001"), ("28145.10000000", "0.01500000") }));
            Assert.That(csvRows, Is.EqualTo(new[] { ("92233720368.54775807", "0.00000001"), ("-92233720368.54775808", "-0.00000001"), ("28145.1", "0.015") }));
        }
    }

    [TestCase(new[] { "--format", "parquet" }, "--format parquet writes a binary file, not standard output: give --output FILE")]
    [TestCase(new[] { "--format", "xlsx", "--output", "x.xlsx" }, "--format must be csv or parquet, not 'xlsx'")]
    public void ShouldExitTwoWithOneLine_WhenTheFormatOrItsOutputIsWrong(string[] arguments, string message)
    {
        // Arrange
        var (output, error) = (new StringWriter(), new StringWriter());
        var before = Directory.GetFiles(_temp.Path).Length;

        // Act
        var exit = OptiFlowCommand.Run(["journal", "export", _journal, .. arguments], output, error);

        // Assert
        using (Assert.EnterMultipleScope())
        {
            Assert.That(exit, Is.EqualTo(OptiFlowCommand.BadUsage), error.ToString());
            Assert.That(error.ToString().TrimEnd().Split('\n'), Is.EqualTo(new[] { $"optiflow: {message}" }));
            Assert.That(output.ToString(), Is.Empty);
            Assert.That(Directory.GetFiles(_temp.Path), Has.Length.EqualTo(before), "nothing written");
        }
    }

    /// <summary>The payload (<c>data</c>) of every frame of a stream type (<c>@trade</c>, <c>@markPrice…</c>) in an hftbacktest recording.</summary>
    private static IEnumerable<JsonElement> Frames(string recording, string stream)
    {
        using var gzip = new GZipStream(File.OpenRead(recording), CompressionMode.Decompress);
        using var reader = new StreamReader(gzip, Encoding.UTF8);
        while (reader.ReadLine() is { } line)
        {
            var json = line[(line.IndexOf(' ', StringComparison.Ordinal) + 1)..];
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.TryGetProperty("stream", out var name) && name.GetString()!.Split('@')[1] == stream)
            {
                yield return document.RootElement.GetProperty("data").Clone();
            }
        }
    }

    private static void AssertRowEquals(DuckDBConnection db, string parquet, IReadOnlyList<ExportColumn> columns, int index, string csvLine)
    {
        var fields = csvLine.Split(',');
        using var command = db.CreateCommand();
        command.CommandText = $"SELECT * FROM read_parquet({Quote(parquet)}) LIMIT 1 OFFSET {index}";
        using var reader = command.ExecuteReader();
        Assert.That(reader.Read(), Is.True);
        Assert.That(fields, Has.Length.EqualTo(columns.Count), csvLine);
        using (Assert.EnterMultipleScope())
        {
            for (var i = 0; i < columns.Count; i++)
            {
                var field = fields[i];
                var what = $"row {index}, column {columns[i].Name}";
                if (reader.IsDBNull(i))
                {
                    Assert.That(field, Is.Empty, what);
                    continue;
                }

                switch (columns[i].Type)
                {
                    case ExportColumnType.Int64:
                        Assert.That(reader.GetInt64(i), Is.EqualTo(long.Parse(field, CultureInfo.InvariantCulture)), what);
                        break;
                    case ExportColumnType.Decimal8:
                    case ExportColumnType.HalfDecimal9:
                        Assert.That(reader.GetDecimal(i), Is.EqualTo(decimal.Parse(field, CultureInfo.InvariantCulture)), what);
                        break;
                    case ExportColumnType.Double:
                        Assert.That(reader.GetDouble(i).ToString("R", CultureInfo.InvariantCulture), Is.EqualTo(field), what);
                        break;
                    case ExportColumnType.Boolean:
                        Assert.That(reader.GetBoolean(i) ? "true" : "false", Is.EqualTo(field), what);
                        break;
                    default:
                        Assert.That(reader.GetString(i), Is.EqualTo(field), what);
                        break;
                }
            }
        }
    }

    private static DuckDBConnection OpenDuckDb()
    {
        var db = new DuckDBConnection("DataSource=:memory:");
        db.Open();
        return db;
    }

    /// <summary>A CSV export read by DuckDB with the Parquet schema's types (so decimals are exact, empty fields NULL).</summary>
    private static string ReadCsv(string path, IEnumerable<ExportColumn> columns) =>
        $"read_csv({Quote(path)}, header = true, delim = ',', quote = '\"', auto_detect = false, columns = {{{string.Join(", ", columns.Select(c => $"{Quote(c.Name)}: '{c.ParquetTypeName}'"))}}})";

    private static string Quote(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    private static List<(string Name, string Type)> Describe(DuckDBConnection db, string parquet) =>
        Rows(db, $"DESCRIBE SELECT * FROM read_parquet({Quote(parquet)})", r => (r.GetString(0), r.GetString(1)));

    private static T Scalar<T>(DuckDBConnection db, string sql)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        return (T)Convert.ChangeType(command.ExecuteScalar()!, typeof(T), CultureInfo.InvariantCulture);
    }

    private static List<T> Rows<T>(DuckDBConnection db, string sql, Func<System.Data.Common.DbDataReader, T> read)
    {
        using var command = db.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<T>();
        while (reader.Read())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static (int Exit, string Output) Run(params string[] args)
    {
        var (output, error) = (new StringWriter(), new StringWriter());
        var exit = OptiFlowCommand.Run(args, output, error);
        return (exit, output + error.ToString());
    }
}
