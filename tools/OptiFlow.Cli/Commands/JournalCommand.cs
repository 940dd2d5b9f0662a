using System.CommandLine;
using System.Globalization;
using System.Text;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow journal verify DIR [--truncate]</c>, <c>optiflow journal export DIR --format csv</c> and
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
        var command = new Command("journal", "Inspect a journal: verify (CRC, structure, torn tail; --truncate) and export (CSV).");
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
        var format = new Option<string>("--format") { Description = "Output format: csv", DefaultValueFactory = _ => "csv" };
        var file = new Option<string?>("--output") { Description = "Write to this file instead of standard output" };
        var outboundOnly = new Option<bool>("--outbound") { Description = "Export the outbound signals (DIR/outbound) instead of the inbound market events" };
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
        var command = new Command("export", "Write a journal's records as CSV (one row per market event; per signal with --outbound; per order command with --orders; per snapshot request with --requests; per evaluator record with --evaluators; per execution report with --executions) for pandas and spreadsheets.")
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
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            if (!string.Equals(parse.GetValue(format), "csv", StringComparison.OrdinalIgnoreCase))
            {
                throw new UsageException($"--format must be csv, not '{parse.GetValue(format)}'");
            }

            if ((parse.GetValue(outboundOnly) ? 1 : 0) + (parse.GetValue(orders) ? 1 : 0) + (parse.GetValue(requests) ? 1 : 0) + (parse.GetValue(evaluators) ? 1 : 0) + (parse.GetValue(executions) ? 1 : 0) > 1)
            {
                throw new UsageException("--outbound, --orders, --requests, --evaluators and --executions each choose one table: give one of them");
            }

            var path = parse.GetValue(file);
            using var stream = path is null ? null : new StreamWriter(CreateExportFile(path), new UTF8Encoding(false));
            var writer = (TextWriter?)stream ?? output;
            var symbols = ReadSymbols(directory);
            if (parse.GetValue(outboundOnly))
            {
                ExportSignals(Path.Combine(directory, JournalDescriptor.OutboundDirectoryName), symbols, writer);
            }
            else if (parse.GetValue(orders))
            {
                ExportOrderCommands(Path.Combine(directory, JournalDescriptor.OutboundDirectoryName), symbols, writer);
            }
            else if (parse.GetValue(requests))
            {
                ExportSnapshotRequests(Path.Combine(directory, JournalDescriptor.OutboundDirectoryName), symbols, writer);
            }
            else if (parse.GetValue(evaluators))
            {
                ExportEvaluatorRecords(directory, symbols, writer);
            }
            else if (parse.GetValue(executions))
            {
                ExportExecutionReports(directory, symbols, writer);
            }
            else if (ExportEvents(directory, symbols, writer) is > 0 and var reports)
            {
                error.WriteLine($"optiflow: {reports:N0} execution reports are not market events and were left out: export them with --executions");
            }

            return Success;
        });
        return command;
    }

    /// <summary>Creates (or truncates) an export file, mode 0600 when created: a journal's contents stay private to its owner.</summary>
    private static FileStream CreateExportFile(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, Share = FileShare.Read };
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
                symbols[record.SymbolId] = Encoding.UTF8.GetString(record.SymbolUtf8Name);
            }
        }

        return symbols;
    }

    private static string Name(Dictionary<int, string> symbols, int id) => symbols.TryGetValue(id, out var name) ? name : id.ToString(CultureInfo.InvariantCulture);

    /// <summary>One row per market event of the inbound journal; execution-report slots are left out (their layout is not a market event's).</summary>
    /// <returns>How many execution reports were left out.</returns>
    private static long ExportEvents(string directory, Dictionary<int, string> symbols, TextWriter writer)
    {
        long reports = 0;
        writer.WriteLine("sequence,timestamp_ns,kind,symbol,flags,side,price,quantity,ask_price,ask_quantity,first_update_id,final_update_id,previous_final_update_id,event_time_ms,transaction_time_ms,level_index,level_count,error_code,source_file,source_line");
        using var reader = new JournalReader(directory);
        var line = new StringBuilder(256);
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.MarketEvent)
            {
                continue;
            }

            ref readonly var e = ref record.MarketEvent;
            if (e.Kind == MarketEventKind.ExecutionReport)
            {
                reports++;
                continue;
            }

            line.Clear();
            line.Append(CultureInfo.InvariantCulture, $"{record.Sequence},{record.TimestampNs},{e.Kind},{Name(symbols, e.SymbolId)},{(int)e.Flags},{e.Side},");
            line.Append(CultureInfo.InvariantCulture, $"{FixedPoint.ToString(e.Price)},{FixedPoint.ToString(e.Quantity)},{FixedPoint.ToString(e.AskPrice)},{FixedPoint.ToString(e.AskQuantity)},");
            line.Append(CultureInfo.InvariantCulture, $"{e.FirstUpdateId},{e.FinalUpdateId},{e.PreviousFinalUpdateId},{e.EventTimeMs},{e.TransactionTimeMs},{e.LevelIndex},{e.LevelCount},{e.ErrorCode},{e.SourceFileIndex},{e.SourceLine}");
            writer.WriteLine(line);
        }

        return reports;
    }

    private static void ExportSignals(string directory, Dictionary<int, string> symbols, TextWriter writer)
    {
        writer.WriteLine("outbound_sequence,timestamp_ns,event_sequence,symbol,applied,final_update_id,event_time_ms,best_bid,best_ask,mid,obi1,obi5,obi10,weighted_mid,wobi10");
        using var reader = new JournalReader(directory);
        Span<byte> mid = stackalloc byte[32];
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.Signal)
            {
                continue;
            }

            var s = record.Signal;
            var midText = Encoding.ASCII.GetString(mid[..FixedPoint.FormatHalf(s.MidDoubled, mid)]);
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Sequence},{record.TimestampNs},{s.Sequence},{Name(symbols, s.SymbolId)},{s.Applied},{s.FinalUpdateId},{s.EventTimeMs},{FixedPoint.ToString(s.BestBid)},{FixedPoint.ToString(s.BestAsk)},{midText},{s.Obi1:R},{s.Obi5:R},{s.Obi10:R},{s.WeightedMid:R},{s.Wobi10:R}"));
        }
    }

    private static void ExportSnapshotRequests(string directory, Dictionary<int, string> symbols, TextWriter writer)
    {
        writer.WriteLine("outbound_sequence,timestamp_ns,causing_sequence,symbol,reason,first_buffered_update_id,last_applied_update_id,event_time_ms");
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.SnapshotRequest)
            {
                continue;
            }

            ref readonly var r = ref record.SnapshotRequest;
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Sequence},{record.TimestampNs},{r.CausingSequence},{Name(symbols, r.SymbolId)},{r.Reason},{r.FirstBufferedUpdateId},{r.LastAppliedUpdateId},{r.EventTimeMs}"));
        }
    }

    private static void ExportEvaluatorRecords(string directory, Dictionary<int, string> symbols, TextWriter writer)
    {
        // The evaluators' names, by index, from the session header of the inbound journal.
        IReadOnlyList<Journal.Session.EvaluatorSpecRecord> specs = [];
        using (var inbound = new JournalReader(directory))
        {
            while (inbound.TryRead(out var record))
            {
                if (record.Type == JournalRecordType.SessionHeader)
                {
                    specs = Journal.Session.SessionHeaderRecord.Parse(record.Payload).Evaluators;
                    break;
                }
            }
        }

        writer.WriteLine("outbound_sequence,timestamp_ns,type,evaluator_id,evaluator,symbol,causing_sequence,event_time_ms,local_timestamp_ns,fields");
        using var reader = new JournalReader(Path.Combine(directory, JournalDescriptor.OutboundDirectoryName));
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.EvaluatorRecord)
            {
                continue;
            }

            var r = record.EvaluatorRecord;
            var name = r.EvaluatorId < specs.Count ? specs[r.EvaluatorId].Name : string.Empty;
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Sequence},{record.TimestampNs},{r.Type},{r.EvaluatorId},{name},{Name(symbols, r.SymbolId)},{r.CausingSequence},{r.EventTimeMs},{r.LocalTimestampNs},{Fields(ref r)}"));
        }
    }

    /// <summary>A record body's fields as <c>key=value</c> pairs separated by spaces (no commas: one CSV column).</summary>
    private static string Fields(ref Engine.Evaluators.EvaluatorRecord r)
    {
        switch (r.Type)
        {
            case Engine.Evaluators.EvaluatorRecordType.TriangleOpportunity:
                ref readonly var t = ref r.BodyAs<Engine.Evaluators.Triangles.TriangleOpportunity>();
                return string.Create(
                    CultureInfo.InvariantCulture,
                    $"n={t.N} u={t.U} triangle={t.TriangleId} direction={t.Direction} edge_bps={t.EdgeBps:R} max_start_qty={t.MaxStartQty:R} status={t.Status} qty0={FixedPoint.ToString(t.Quantity0)} qty1={FixedPoint.ToString(t.Quantity1)} qty2={FixedPoint.ToString(t.Quantity2)} age_ns0={t.AgeNs0} age_ns1={t.AgeNs1} age_ns2={t.AgeNs2}");
            case Engine.Evaluators.EvaluatorRecordType.VpinBucket:
                ref readonly var v = ref r.BodyAs<Engine.Evaluators.VpinBucket>();
                return string.Create(CultureInfo.InvariantCulture, $"bucket={v.Bucket} buy_volume={FixedPoint.ToString(v.BuyVolume)} sell_volume={FixedPoint.ToString(v.SellVolume)} vpin={v.Vpin:R}");
            case Engine.Evaluators.EvaluatorRecordType.OrderFlowImbalance:
                ref readonly var o = ref r.BodyAs<Engine.Evaluators.OrderFlowImbalanceBody>();
                return string.Create(CultureInfo.InvariantCulture, $"ofi_units={o.Ofi} last_e_units={o.LastEvent} updates={o.Updates} window={o.Window} best_bid={FixedPoint.ToString(o.BestBid)} best_ask={FixedPoint.ToString(o.BestAsk)}");
            case Engine.Evaluators.EvaluatorRecordType.TradeFlowImbalance:
                ref readonly var f = ref r.BodyAs<Engine.Evaluators.TradeFlowImbalanceBody>();
                return string.Create(CultureInfo.InvariantCulture, $"tfi={f.Tfi:R} buy_volume={FixedPoint.ToString(f.BuyVolume)} sell_volume={FixedPoint.ToString(f.SellVolume)} trades={f.Trades} window={f.Window}");
            case Engine.Evaluators.EvaluatorRecordType.Fault:
                ref readonly var e = ref r.BodyAs<Engine.Evaluators.EvaluatorFault>();
                return string.Create(CultureInfo.InvariantCulture, $"hresult=0x{e.HResult:x8} input={e.Input} type_hash=0x{e.TypeNameHash:x8}");
            default:
                return "body=" + Convert.ToHexStringLower(r.BodyBytesSpan());
        }
    }

    /// <summary>
    /// One row per <see cref="MarketEventKind.ExecutionReport"/> slot of the inbound journal. Columns named after Binance's
    /// <c>executionReport</c> fields (binance.md §7.1) in snake case: event_time_ms (<c>E</c>), transaction_time_ms (<c>T</c>),
    /// symbol (<c>s</c>), client_order_id (<c>c</c>), side (<c>S</c>), order_type (<c>o</c>), time_in_force (<c>f</c>),
    /// quantity (<c>q</c>), price (<c>p</c>), order_status (<c>X</c>), reject_reason (<c>r</c>, or the expiry reason),
    /// last_executed_quantity (<c>l</c>), cumulative_filled_quantity (<c>z</c>), last_executed_price (<c>L</c>),
    /// commission (<c>n</c>), trade_id (<c>t</c>), is_maker (<c>m</c>); then the engine's own: the command's client order
    /// id, the causing sequence, the strategy (evaluator id parsed from the client order id), the risk reason, the Binance
    /// error code and the origin.
    /// </summary>
    private static void ExportExecutionReports(string directory, Dictionary<int, string> symbols, TextWriter writer)
    {
        writer.WriteLine("sequence,timestamp_ns,event_time_ms,transaction_time_ms,symbol,client_order_id,side,order_type,time_in_force,quantity,price,order_status,reject_reason,last_executed_quantity,cumulative_filled_quantity,last_executed_price,commission,trade_id,is_maker,command_client_order_id,causing_sequence,evaluator_id,risk_reason,venue_error_code,origin");
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.MarketEvent || record.MarketEvent.Kind != MarketEventKind.ExecutionReport)
            {
                continue;
            }

            Engine.Matching.ExecutionReportEvent.Read(in record.MarketEvent, out var r);
            var evaluatorId = Engine.Strategies.ClientOrderIds.Parse(r.ClientOrderId).EvaluatorId;
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Sequence},{record.TimestampNs},{r.EventTimeMs},{r.TransactionTimeMs},{Name(symbols, r.SymbolId)},{r.ClientOrderId},{r.Side},{r.Type},{r.TimeInForce},{FixedPoint.ToString(r.Quantity)},{FixedPoint.ToString(r.Price)},{r.Status},{r.Reason},{FixedPoint.ToString(r.LastQuantity)},{FixedPoint.ToString(r.CumulativeQuantity)},{FixedPoint.ToString(r.LastPrice)},{FixedPoint.ToString(r.Commission)},{r.TradeId},{(r.IsMaker ? "true" : "false")},{r.CommandClientOrderId},{r.CausingSequence},{(evaluatorId >= 0 ? evaluatorId.ToString(CultureInfo.InvariantCulture) : string.Empty)},{r.RiskReason},{r.VenueErrorCode},{r.Origin}"));
        }
    }

    private static void ExportOrderCommands(string directory, Dictionary<int, string> symbols, TextWriter writer)
    {
        writer.WriteLine("outbound_sequence,timestamp_ns,causing_sequence,symbol,action,side,type,time_in_force,price,quantity,client_order_id,original_client_order_id,event_time_ms");
        using var reader = new JournalReader(directory);
        while (reader.TryRead(out var record))
        {
            if (record.Type != JournalRecordType.OrderCommand)
            {
                continue;
            }

            ref readonly var c = ref record.OrderCommand;
            writer.WriteLine(string.Create(
                CultureInfo.InvariantCulture,
                $"{record.Sequence},{record.TimestampNs},{c.CausingSequence},{Name(symbols, c.SymbolId)},{c.Action},{c.Side},{c.Type},{c.TimeInForce},{FixedPoint.ToString(c.Price)},{FixedPoint.ToString(c.Quantity)},{c.ClientOrderId},{c.OriginalClientOrderId},{c.EventTimeMs}"));
        }
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
