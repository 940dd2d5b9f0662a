using System.Globalization;
using System.Text;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Strategies;
using OptiFlow.Journal;
using OptiFlow.Journal.Session;
using static OptiFlow.Engine.Hosting.Export.JournalExportTables;

namespace OptiFlow.Engine.Hosting.Export;

/// <summary>
/// Writes a table of a journal (market events, signals, order commands, snapshot requests, evaluator records or
/// execution reports) as CSV or Parquet, for pandas, DuckDB, Polars and spreadsheets. What <c>optiflow journal export</c> runs.
/// </summary>
/// <remarks>
/// <para>
/// One schema per table (<see cref="Columns"/>), shared by both formats: the same columns in the same order, CSV text
/// and Parquet types as <see cref="ExportColumnType"/> says. Prices and quantities are exact: CSV prints the fixed-point
/// value's decimal, Parquet stores DECIMAL(38,8) (the mid DECIMAL(38,9)). Times are int64: <c>…_ms</c> and <c>E</c> in ms,
/// <c>…_timestamp_ns</c> in ns, since the Unix epoch.
/// </para>
/// <para>
/// Reads the journal (and DIR/outbound for the outbound tables) with <see cref="JournalReader"/>, taking no lock and
/// needing no write access; streams rows, so memory is bounded by one Parquet row group
/// (<see cref="JournalExportOptions.RowGroupRows"/>) whatever the journal's size. Runs on the calling thread, never on
/// an engine thread. Not thread-safe per call; calls on different outputs may run in parallel.
/// </para>
/// <para>
/// Errors: <see cref="JournalFormatException"/> or <see cref="JournalCorruptException"/> for a journal it cannot read;
/// <see cref="IOException"/> when the output cannot be written (CSV: the message names the output);
/// <see cref="JournalIOException"/> from <see cref="WriteFile"/> when the file cannot be created; <see cref="ArgumentException"/>
/// for Parquet on a stream that cannot seek.
/// </para>
/// </remarks>
public static class JournalExport
{
    /// <summary>The columns of a table, in order: the CSV header and the Parquet schema.</summary>
    /// <param name="kind">The table.</param>
    /// <returns>The columns (name, type, nullability, units).</returns>
    public static IReadOnlyList<ExportColumn> Columns(JournalExportKind kind) => kind switch
    {
        JournalExportKind.MarketEvents => MarketEvents,
        JournalExportKind.Signals => Signals,
        JournalExportKind.OrderCommands => OrderCommands,
        JournalExportKind.SnapshotRequests => SnapshotRequests,
        JournalExportKind.EvaluatorRecords => EvaluatorRecords,
        JournalExportKind.ExecutionReports => ExecutionReports,
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown export table."),
    };

    /// <summary>Creates (or truncates) <paramref name="path"/>, mode 0600 when it creates it, and writes the table into it.</summary>
    /// <param name="journalDirectory">The journal directory (its <c>outbound/</c> sub-journal for the outbound tables).</param>
    /// <param name="kind">The table.</param>
    /// <param name="format">CSV or Parquet.</param>
    /// <param name="path">The file to write.</param>
    /// <param name="options">Row-group size; null for the defaults.</param>
    /// <returns>What was written.</returns>
    /// <exception cref="JournalIOException">The file could not be created (one line with the path and the OS error).</exception>
    public static JournalExportResult WriteFile(string journalDirectory, JournalExportKind kind, JournalExportFormat format, string path, JournalExportOptions? options = null)
    {
        using var file = CreateFile(path);
        var result = Write(journalDirectory, kind, format, file, options, Path.GetFullPath(path));
        file.Flush();
        return result;
    }

    /// <summary>Writes the table to <paramref name="output"/>, which stays open.</summary>
    /// <param name="journalDirectory">The journal directory (its <c>outbound/</c> sub-journal for the outbound tables).</param>
    /// <param name="kind">The table.</param>
    /// <param name="format">CSV or Parquet (which needs a seekable stream).</param>
    /// <param name="output">Where the bytes go (not owned).</param>
    /// <param name="options">Row-group size; null for the defaults.</param>
    /// <param name="outputName">What the output is, for error messages (a path, "standard output").</param>
    /// <returns>What was written.</returns>
    public static JournalExportResult Write(string journalDirectory, JournalExportKind kind, JournalExportFormat format, Stream output, JournalExportOptions? options = null, string outputName = "the export output")
    {
        ArgumentNullException.ThrowIfNull(output);
        if (format == JournalExportFormat.Parquet && !output.CanSeek)
        {
            throw new ArgumentException("A Parquet export needs a seekable stream (a file), not a pipe or a terminal.", nameof(output));
        }

        options ??= new JournalExportOptions();
        var outbound = Path.Combine(journalDirectory, JournalDescriptor.OutboundDirectoryName);
        return kind switch
        {
            JournalExportKind.MarketEvents => Run(MarketEvents, w => ExportEvents(journalDirectory, w)),
            JournalExportKind.Signals => Run(Signals, w => ExportSignals(outbound, ReadSymbols(journalDirectory), w)),
            JournalExportKind.OrderCommands => Run(OrderCommands, w => ExportOrderCommands(outbound, ReadSymbols(journalDirectory), w)),
            JournalExportKind.SnapshotRequests => Run(SnapshotRequests, w => ExportSnapshotRequests(outbound, ReadSymbols(journalDirectory), w)),
            JournalExportKind.EvaluatorRecords => Run(EvaluatorRecords, w => ExportEvaluatorRecords(journalDirectory, w)),
            JournalExportKind.ExecutionReports => Run(ExecutionReports, w => ExportExecutionReports(journalDirectory, w)),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Unknown export table."),
        };

        JournalExportResult Run<TSource>(IReadOnlyList<ExportColumn<TSource>> columns, Func<ITableWriter<TSource>, JournalExportResult> export)
        {
            using ITableWriter<TSource> writer = format == JournalExportFormat.Parquet
                ? new ParquetTableWriter<TSource>(columns, output, options.RowGroupRows, Metadata(kind))
                : new CsvTableWriter<TSource>(columns, output, outputName);
            var result = export(writer);
            writer.Complete();
            return result;
        }
    }

    /// <summary>The key-value metadata of a Parquet export: the table and each column's units.</summary>
    private static Dictionary<string, string> Metadata(JournalExportKind kind)
    {
        var columns = new StringBuilder();
        foreach (var column in Columns(kind))
        {
            columns.Append(column.Name).Append(": ").Append(column.Description).Append('\n');
        }

        return new Dictionary<string, string>
        {
            ["optiflow.table"] = kind.ToString(),
            ["optiflow.columns"] = columns.ToString(),
        };
    }

    private static FileStream CreateFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.ReadWrite, Share = FileShare.Read };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        try
        {
            return new FileStream(path, options);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw JournalIOException.From("create export file", Path.GetFullPath(path), e);
        }
    }

    private static Dictionary<int, string> ReadSymbols(string directory)
    {
        var symbols = new Dictionary<int, string>();
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.Symbol)
            {
                Learn(symbols, record);
            }
        }

        return symbols;
    }

    private static void Learn(Dictionary<int, string> symbols, JournalRecord record) =>
        symbols[record.SymbolId] = Encoding.UTF8.GetString(record.SymbolUtf8Name);

    private static string Name(Dictionary<int, string> symbols, int id)
    {
        if (!symbols.TryGetValue(id, out var name))
        {
            name = id.ToString(CultureInfo.InvariantCulture);
            symbols[id] = name;
        }

        return name;
    }

    /// <summary>Market events in one pass: a symbol record comes before the first event that uses its id.</summary>
    private static JournalExportResult ExportEvents(string directory, ITableWriter<MarketEventRow> writer)
    {
        var symbols = new Dictionary<int, string>();
        long rows = 0, reports = 0;
        var row = default(MarketEventRow);
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.Symbol)
            {
                Learn(symbols, record);
                continue;
            }

            if (record.Type != JournalRecordType.MarketEvent)
            {
                continue;
            }

            if (record.MarketEvent.Kind == MarketEventKind.ExecutionReport)
            {
                reports++;
                continue;
            }

            row.Sequence = record.Sequence;
            row.LocalTimestampNs = record.TimestampNs;
            row.Event = record.MarketEvent;
            row.Symbol = Name(symbols, row.Event.SymbolId);
            writer.Write(in row);
            rows++;
        }

        return new JournalExportResult(rows, reports);
    }

    private static JournalExportResult ExportSignals(string directory, Dictionary<int, string> symbols, ITableWriter<SignalRow> writer) =>
        ExportOutbound(directory, JournalRecordType.Signal, writer, symbols, static (in JournalRecord record, ref SignalRow row, Dictionary<int, string> names) =>
        {
            row.OutboundSequence = record.Sequence;
            row.Signal = record.Signal;
            row.Symbol = Name(names, row.Signal.SymbolId);
        });

    private static JournalExportResult ExportOrderCommands(string directory, Dictionary<int, string> symbols, ITableWriter<OrderCommandRow> writer) =>
        ExportOutbound(directory, JournalRecordType.OrderCommand, writer, symbols, static (in JournalRecord record, ref OrderCommandRow row, Dictionary<int, string> names) =>
        {
            row.OutboundSequence = record.Sequence;
            row.TimestampNs = record.TimestampNs;
            row.Command = record.OrderCommand;
            row.Symbol = Name(names, row.Command.SymbolId);
        });

    private static JournalExportResult ExportSnapshotRequests(string directory, Dictionary<int, string> symbols, ITableWriter<SnapshotRequestRow> writer) =>
        ExportOutbound(directory, JournalRecordType.SnapshotRequest, writer, symbols, static (in JournalRecord record, ref SnapshotRequestRow row, Dictionary<int, string> names) =>
        {
            row.OutboundSequence = record.Sequence;
            row.TimestampNs = record.TimestampNs;
            row.Request = record.SnapshotRequest;
            row.Symbol = Name(names, row.Request.SymbolId);
        });

    /// <summary>Fills a table row from one outbound record of the type being exported.</summary>
    private delegate void FillRow<TRow>(in JournalRecord record, ref TRow row, Dictionary<int, string> symbols);

    /// <summary>One row per outbound record of <paramref name="type"/>, in journal order; other records are skipped.</summary>
    private static JournalExportResult ExportOutbound<TRow>(string directory, JournalRecordType type, ITableWriter<TRow> writer, Dictionary<int, string> symbols, FillRow<TRow> fill)
        where TRow : struct
    {
        long rows = 0;
        var row = default(TRow);
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type != type)
            {
                continue;
            }

            fill(in record, ref row, symbols);
            writer.Write(in row);
            rows++;
        }

        return new JournalExportResult(rows, 0);
    }

    private static JournalExportResult ExportEvaluatorRecords(string directory, ITableWriter<EvaluatorRecordRow> writer)
    {
        // The evaluators' names, by index, from the session header of the inbound journal; the symbols from its symbol records.
        IReadOnlyList<EvaluatorSpecRecord> specs = [];
        var symbols = new Dictionary<int, string>();
        using (var inbound = new JournalReader(directory))
        {
            while (inbound.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.SessionHeader && specs.Count == 0)
                {
                    specs = SessionHeaderRecord.Parse(record.Payload).Evaluators;
                }
                else if (record.Type == JournalRecordType.Symbol)
                {
                    Learn(symbols, record);
                }
            }
        }

        long rows = 0;
        var row = default(EvaluatorRecordRow);
        using var reader = new JournalReader(Path.Combine(directory, JournalDescriptor.OutboundDirectoryName));
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.EvaluatorRecord)
            {
                continue;
            }

            row.OutboundSequence = record.Sequence;
            row.TimestampNs = record.TimestampNs;
            row.Record = record.EvaluatorRecord;
            row.Symbol = Name(symbols, row.Record.SymbolId);
            row.Evaluator = row.Record.EvaluatorId < specs.Count ? specs[row.Record.EvaluatorId].Name : null;
            row.Fields = Fields(ref row.Record);
            writer.Write(in row);
            rows++;
        }

        return new JournalExportResult(rows, 0);
    }

    /// <summary>A record body's fields as <c>key=value</c> pairs separated by spaces (no commas: one CSV column).</summary>
    private static string Fields(ref EvaluatorRecord r)
    {
        switch (r.Type)
        {
            case EvaluatorRecordType.TriangleOpportunity:
                ref readonly var t = ref r.BodyAs<OptiFlow.Engine.Evaluators.Triangles.TriangleOpportunity>();
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"n={t.N} u={t.U} triangle={t.TriangleId} direction={t.Direction} edge_bps={t.EdgeBps:R} max_start_qty={t.MaxStartQty:R} status={t.Status} qty0={FixedPoint.ToString(t.Quantity0)} qty1={FixedPoint.ToString(t.Quantity1)} qty2={FixedPoint.ToString(t.Quantity2)} age_ns0={t.AgeNs0} age_ns1={t.AgeNs1} age_ns2={t.AgeNs2}");
            case EvaluatorRecordType.VpinBucket:
                ref readonly var v = ref r.BodyAs<VpinBucket>();
                return string.Create(CultureInfo.InvariantCulture, $"bucket={v.Bucket} buy_volume={FixedPoint.ToString(v.BuyVolume)} sell_volume={FixedPoint.ToString(v.SellVolume)} vpin={v.Vpin:R}");
            case EvaluatorRecordType.OrderFlowImbalance:
                ref readonly var o = ref r.BodyAs<OrderFlowImbalanceBody>();
                return string.Create(CultureInfo.InvariantCulture, $"ofi_units={o.Ofi} last_e_units={o.LastEvent} updates={o.Updates} window={o.Window} best_bid={FixedPoint.ToString(o.BestBid)} best_ask={FixedPoint.ToString(o.BestAsk)}");
            case EvaluatorRecordType.TradeFlowImbalance:
                ref readonly var f = ref r.BodyAs<TradeFlowImbalanceBody>();
                return string.Create(CultureInfo.InvariantCulture, $"tfi={f.Tfi:R} buy_volume={FixedPoint.ToString(f.BuyVolume)} sell_volume={FixedPoint.ToString(f.SellVolume)} trades={f.Trades} window={f.Window}");
            case EvaluatorRecordType.Fault:
                ref readonly var e = ref r.BodyAs<EvaluatorFault>();
                return string.Create(CultureInfo.InvariantCulture, $"hresult=0x{e.HResult:x8} input={e.Input} type_hash=0x{e.TypeNameHash:x8}");
            default:
                return "body=" + Convert.ToHexStringLower(r.BodyBytesSpan());
        }
    }

    private static JournalExportResult ExportExecutionReports(string directory, ITableWriter<ExecutionReportRow> writer)
    {
        var symbols = new Dictionary<int, string>();
        long rows = 0;
        var row = default(ExecutionReportRow);
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.Symbol)
            {
                Learn(symbols, record);
                continue;
            }

            if (record.Type != JournalRecordType.MarketEvent || record.MarketEvent.Kind != MarketEventKind.ExecutionReport)
            {
                continue;
            }

            ExecutionReportEvent.Read(in record.MarketEvent, out row.Report);
            row.Sequence = record.Sequence;
            row.TimestampNs = record.TimestampNs;
            row.Symbol = Name(symbols, row.Report.SymbolId);
            row.EvaluatorId = ClientOrderIds.Parse(row.Report.ClientOrderId).EvaluatorId;
            writer.Write(in row);
            rows++;
        }

        return new JournalExportResult(rows, 0);
    }
}
