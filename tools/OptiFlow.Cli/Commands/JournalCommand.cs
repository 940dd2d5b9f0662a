using System.CommandLine;
using System.Globalization;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Hosting.Export;
using OptiFlow.Journal;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow journal verify DIR [--truncate]</c>, <c>optiflow journal export DIR --format csv|parquet</c> (a thin
/// layer over <see cref="JournalExport"/>) and
/// <c>optiflow journal copy SRC DEST [--resume]</c>.
/// </summary>
/// <remarks>
/// verify walks every record of DIR and of DIR/outbound when present (headers, CRC-32C, structure, continuity),
/// prints each damage with its segment file and offset, and exits 0 when intact, 1 when damaged. With --truncate it
/// cuts a damaged tail (torn, uncommitted, truncated file, half-created segment) and verifies again; damage in the
/// middle is never cut. For a session's journal it also says whether the session finished: "session: complete" (a run
/// summary ends it) or "session: incomplete (no run summary)" (the run was killed or failed; every record in it is
/// still checked, and the exit code says only whether they are intact). copy refuses a destination that is the source
/// or inside it, and a non-empty one unless it is an OptiFlow journal and --resume or --overwrite is given.
/// </remarks>
internal static class JournalCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var command = new Command("journal", "Inspect a journal: verify (CRC, structure, torn tail; --truncate) and export (CSV, Parquet).");
        command.Subcommands.Add(BuildVerify(output));
        command.Subcommands.Add(BuildExport(output, error));
        command.Subcommands.Add(BuildCopy(output));
        return command;
    }

    private static Command BuildVerify(TextWriter output)
    {
        var journal = new Argument<string>("DIR") { Description = "Journal directory (its outbound/ sub-journal is verified too)" };
        var truncate = new Option<bool>("--truncate") { Description = "Cut a damaged tail (never damage in the middle), then verify again" };
        var command = new Command("verify", "Walk every record, check CRCs and continuity, report damage with segment and offset. Exit 0 intact, 1 damaged.")
        {
            journal,
            truncate,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(journal)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            var intact = Verify(directory, parse.GetValue(truncate), output);
            var outbound = Path.Combine(directory, JournalDescriptor.OutboundDirectoryName);
            if (Directory.Exists(outbound))
            {
                output.WriteLine();
                intact &= Verify(outbound, parse.GetValue(truncate), output);
            }

            return intact ? Success : DataErrors;
        });
        return command;
    }

    private static bool Verify(string directory, bool truncate, TextWriter output)
    {
        var report = JournalScanner.Scan(directory);
        Print(report, output);
        if (report.IsIntact || !truncate)
        {
            return report.IsIntact && report.SegmentFiles.Count > 0;
        }

        if (report.HasDamageBeforeTail)
        {
            output.WriteLine("not truncated: there is damage in the middle of the journal; cutting there would discard committed records after it.");
            return false;
        }

        var cut = JournalScanner.Truncate(report);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"truncated: {report.Tail} tail cut at {report.TailSegmentFile} offset {report.TailOffset} ({cut} bytes discarded); verifying again"));
        var again = JournalScanner.Scan(directory);
        Print(again, output);
        return again.IsIntact;
    }

    private static void Print(JournalScanReport report, TextWriter output)
    {
        output.WriteLine($"journal {report.Directory}");
        if (report.SegmentFiles.Count == 0)
        {
            output.WriteLine("  no segment files: not a journal");
            return;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"  {report.SegmentFiles.Count} segment(s) of {report.SegmentSize} bytes; {report.Records} good records ({report.MarketEvents} market events, {report.Signals} signals, {report.OrderCommands} order commands{(report.SnapshotRequests > 0 ? $", {report.SnapshotRequests} snapshot requests" : "")}); last sequence {report.LastSequence}; ends at position {report.EndPosition}"));
        if (report.FirstTimestampNs != 0)
        {
            output.WriteLine($"  time {Utc(report.FirstTimestampNs)} .. {Utc(report.LastTimestampNs)}");
        }

        output.WriteLine($"  tail: {report.Tail}");
        switch (report.Session)
        {
            case JournalSessionState.Complete:
                output.WriteLine("  session: complete (session header and run summary)");
                break;
            case JournalSessionState.Incomplete:
                output.WriteLine("  session: incomplete (no run summary): the run was killed or failed before it finished; the records above are what it committed");
                break;
        }

        foreach (var damage in report.Damage)
        {
            output.WriteLine($"  DAMAGE{(damage.IsTail ? " (tail)" : " (middle)")}: {damage.Message}");
        }

        output.WriteLine(report.IsIntact ? "  intact" : $"  damaged: {report.Damage.Count} problem(s)");
    }

    private static string Utc(long ns) =>
        DateTimeOffset.FromUnixTimeMilliseconds(ns / 1_000_000).UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss.fff", CultureInfo.InvariantCulture) + "Z";

    private static Command BuildExport(TextWriter output, TextWriter error)
    {
        var journal = new Argument<string>("DIR") { Description = "Journal directory" };
        var format = new Option<string>("--format") { Description = "Output format: csv or parquet (parquet needs --output)", DefaultValueFactory = _ => "csv" };
        var file = new Option<string?>("--output") { Description = "Write to this file (created 0600) instead of standard output" };
        var outboundOnly = new Option<bool>("--outbound") { Description = "Export the outbound signals (DIR/outbound; the columns of optiflow signals) instead of the inbound market events" };
        var orders = new Option<bool>("--orders") { Description = "Export the outbound order commands (DIR/outbound) instead of the inbound market events" };
        var requests = new Option<bool>("--requests") { Description = "Export the core's outbound snapshot requests (DIR/outbound) instead of the inbound market events" };
        var evaluators = new Option<bool>("--evaluators")
        {
            Description = "Export the evaluators' records (DIR/outbound: triangle opportunities, VPIN buckets, OFI/TFI, faults) instead of the inbound market events; the type's own fields are in the last column as key=value pairs",
        };
        var executions = new Option<bool>("--executions")
        {
            Description = "Export the execution reports the core received (DIR: the order gateway's report slots) instead of the inbound market events; columns follow Binance executionReport fields (E, T, s, c, S, o, f, q, p, X, r, l, z, L, n, t, m) plus the engine's own",
        };
        var command = new Command("export", "Write a journal's records as CSV or Parquet (one row per market event; per signal with --outbound; per order command with --orders; per snapshot request with --requests; per evaluator record with --evaluators; per execution report with --executions) for pandas, DuckDB and spreadsheets.")
        {
            journal,
            format,
            file,
            outboundOnly,
            orders,
            requests,
            evaluators,
            executions,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(journal)!;
            var exportFormat = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                "csv" => JournalExportFormat.Csv,
                "parquet" => JournalExportFormat.Parquet,
                _ => throw new UsageException($"--format must be csv or parquet, not '{parse.GetValue(format)}'"),
            };
            var path = parse.GetValue(file);
            if (exportFormat == JournalExportFormat.Parquet && path is null)
            {
                throw new UsageException("--format parquet writes a binary file, not standard output: give --output FILE");
            }

            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            if ((parse.GetValue(outboundOnly) ? 1 : 0) + (parse.GetValue(orders) ? 1 : 0) + (parse.GetValue(requests) ? 1 : 0) + (parse.GetValue(evaluators) ? 1 : 0) + (parse.GetValue(executions) ? 1 : 0) > 1)
            {
                throw new UsageException("--outbound, --orders, --requests, --evaluators and --executions each choose one table: give one of them");
            }

            var kind = parse.GetValue(outboundOnly) ? JournalExportKind.Signals
                : parse.GetValue(orders) ? JournalExportKind.OrderCommands
                : parse.GetValue(requests) ? JournalExportKind.SnapshotRequests
                : parse.GetValue(evaluators) ? JournalExportKind.EvaluatorRecords
                : parse.GetValue(executions) ? JournalExportKind.ExecutionReports
                : JournalExportKind.MarketEvents;
            JournalExportResult result;
            if (path is not null)
            {
                result = JournalExport.WriteFile(directory, kind, exportFormat, path);
            }
            else
            {
                using var stdout = Console.OpenStandardOutput();
                result = JournalExport.Write(directory, kind, exportFormat, output == Console.Out ? stdout : new TextWriterStream(output), outputName: "standard output");
            }

            if (result.ExecutionReportsLeftOut > 0)
            {
                error.WriteLine($"optiflow: {result.ExecutionReportsLeftOut:N0} execution reports are not market events and were left out: export them with --executions");
            }

            return Success;
        });
        return command;
    }

    private static Command BuildCopy(TextWriter output)
    {
        var source = new Argument<string>("SRC") { Description = "Journal to copy" };
        var destination = new Argument<string>("DEST") { Description = "Journal to write: new or empty, outside SRC (an existing OptiFlow journal only with --resume or --overwrite)" };
        var resume = new Option<bool>("--resume") { Description = "Recover DEST (cut a torn tail) and continue after the records it already holds" };
        var overwrite = OverwriteOption("DEST");
        var segmentSize = new Option<int>("--segment-size") { Description = "DEST segment size in bytes (a power of two)", DefaultValueFactory = _ => JournalDescriptor.DefaultSegmentSize };
        var durability = new Option<int>("--durability") { Description = "0 page cache (default), 1 flush on roll, 2 flush every 4096 records or 100 ms", DefaultValueFactory = _ => 0 };
        var reportEvery = new Option<int>("--report-every") { Description = "Print 'committed RECORDS LAST_SEQUENCE' after every N records (0: only at the end)", DefaultValueFactory = _ => 0 };
        var command = new Command("copy", "Re-journal every record of SRC into DEST at full speed (another segment size or durability); with --resume, continue an interrupted copy.")
        {
            source,
            destination,
            resume,
            overwrite,
            segmentSize,
            durability,
            reportEvery,
        };
        command.SetAction(parse =>
        {
            var level = parse.GetValue(durability);
            if (level is < 0 or > 2)
            {
                throw new UsageException($"--durability must be 0, 1 or 2, not {level}");
            }

            var size = parse.GetValue(segmentSize);
            if (size is < JournalDescriptor.MinSegmentSize or > JournalDescriptor.MaxSegmentSize || (size & (size - 1)) != 0)
            {
                throw new UsageException($"--segment-size must be a power of two from {JournalDescriptor.MinSegmentSize} to {JournalDescriptor.MaxSegmentSize}, not {size}");
            }

            if (parse.GetValue(resume) && parse.GetValue(overwrite))
            {
                throw new UsageException("--resume continues DEST and --overwrite replaces it: give one of them");
            }

            var sourcePath = parse.GetValue(source)!;
            var destinationPath = parse.GetValue(destination)!;
            if (!Directory.Exists(sourcePath))
            {
                throw new UsageException($"journal directory not found: {sourcePath}");
            }

            if (JournalDirectories.IsSameOrInside(destinationPath, sourcePath))
            {
                throw new JournalDirectoryException(
                    JournalDirectoryRefusal.SameAsSource,
                    Path.GetFullPath(destinationPath),
                    $"Cannot copy journal '{Path.GetFullPath(sourcePath)}' onto '{Path.GetFullPath(destinationPath)}': the destination is the source or inside it; nothing was written. Choose a directory outside the source.");
            }

            var options = new JournalOptions { SegmentSize = size, Durability = (JournalDurability)level, Overwrite = parse.GetValue(overwrite) };
            var every = parse.GetValue(reportEvery);
            using var reader = new JournalReader(sourcePath);
            using var writer = parse.GetValue(resume)
                ? JournalWriter.Resume(destinationPath, options)
                : new JournalWriter(destinationPath, options);
            var skip = writer.Recovery?.Records ?? 0;
            if (writer.Recovery is { } recovery)
            {
                output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"resumed {recovery.Records} {recovery.LastSequence} {recovery.Tail}"));
            }

            var records = 0L;
            var lastSequence = -1L;
            while (reader.TryRead(out var record))
            {
                if (records++ < skip)
                {
                    continue;
                }

                switch (record.Type)
                {
                    case JournalRecordType.MarketEvent:
                        var e = record.MarketEvent;
                        writer.Append(ref e, record.Sequence);
                        break;
                    case JournalRecordType.Signal:
                        var signal = record.Signal; // a pre-version-5 signal is widened (Wobi10 NaN)
                        writer.AppendSignal(in signal, record.Sequence);
                        break;
                    case JournalRecordType.OrderCommand:
                        writer.AppendOrderCommand(in record.OrderCommand, record.Sequence);
                        break;
                    case JournalRecordType.SnapshotRequest:
                        writer.AppendSnapshotRequest(in record.SnapshotRequest, record.Sequence);
                        break;
                    case JournalRecordType.Symbol:
                        writer.AppendSymbol(record.SymbolId, record.SymbolUtf8Name);
                        break;
                    default:
                        writer.AppendBlob(record.Type, record.Payload, record.Sequence, record.TimestampNs);
                        break;
                }

                lastSequence = record.Sequence;
                if (every > 0 && records % every == 0)
                {
                    // Printed after the append returned: every record counted here is committed.
                    output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"committed {records} {lastSequence}"));
                    output.Flush();
                }
            }

            // Closed (and at levels 1 and 2 flushed) before "done": a failure there is reported, not printed as success.
            writer.Dispose();
            if (writer.Failure is { } failure)
            {
                throw failure;
            }

            output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"done {records} {lastSequence}"));
            return Success;
        });
        return command;
    }
}
