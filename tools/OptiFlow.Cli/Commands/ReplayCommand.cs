using System.CommandLine;
using System.Globalization;
using OptiFlow.Cli.Operations;
using OptiFlow.Cli.Output;
using OptiFlow.Engine.Evaluators;
using OptiFlow.Engine.Hosting;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Outbound;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;
using static OptiFlow.Cli.OptiFlowCommand;

namespace OptiFlow.Cli.Commands;

/// <summary>
/// <c>optiflow replay DIR [--compare] [--output OUT [--overwrite]] [--keep]</c>: the same core driven single-threaded
/// from a journal; writes the outbound stream it produces outside the journal (OUT, or a new private temporary journal
/// removed at the end unless <c>--keep</c>) and compares it with the live run. The journal is only read: a read-only
/// journal replays, and replays of one journal run side by side.
/// </summary>
/// <remarks>
/// A complete session (its journal ends with a run summary) is IDENTICAL or DIFFERENT, and <c>--compare</c> checks the
/// outbound stream byte for byte. An incomplete one (killed, or its journal failed) has no summary to compare with, so
/// the journaled outbound records are compared as a prefix of the replay's, always: "incomplete session: N journaled
/// outbound records reproduced", exit 0; a divergence in that prefix exits 1.
/// </remarks>
internal static class ReplayCommand
{
    public static Command Build(TextWriter output, TextWriter error)
    {
        var journal = new Argument<string>("JOURNAL") { Description = "A journal directory written by 'optiflow run' or 'optiflow demo' (only read)" };
        var compare = new Option<bool>("--compare")
        {
            Description = "Check the replay's outbound stream byte for byte against the journaled one (JOURNAL/outbound) and print the first divergence (an incomplete session is always compared, as a prefix)",
        };
        var outputDirectory = new Option<string?>("--output")
        {
            Description = "Directory for the replay's outbound journal, kept: new or empty (or an OptiFlow journal with --overwrite), outside JOURNAL (default: a private temporary journal, removed at the end unless --keep)",
        };
        var overwrite = OverwriteOption("--output DIR");
        var keep = new Option<bool>("--keep") { Description = "Keep the default temporary outbound journal (its path is printed)" };
        var report = ReportOption();
        var operations = new OperationsOptions(live: false);
        var command = new Command("replay", "Drive the same core from a journal, write the outbound stream it produces, and report whether it equals the live run's.")
        {
            journal,
            compare,
            outputDirectory,
            overwrite,
            keep,
            report,
        };
        foreach (var option in operations.All)
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var settings = operations.Parse(parse, live: false);
            var directory = parse.GetValue(journal)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            var reportDirectory = CheckReport(parse.GetValue(report));
            var given = parse.GetValue(outputDirectory);
            if (given is not null)
            {
                if (JournalDirectories.IsSameOrInside(given, directory))
                {
                    throw new UsageException($"--output '{Path.GetFullPath(given)}' is inside the journal it replays ('{Path.GetFullPath(directory)}'); a replay never writes into its journal: choose a directory outside it");
                }

                JournalDirectories.RequireWritable(given, parse.GetValue(overwrite));
            }

            // The journal is opened (and checked) before the temporary output is chosen: a bad journal leaves nothing.
            using (new JournalReader(directory))
            {
            }

            using var running = RunOperations.Start(settings, error); // binds --metrics-port first: a port in use creates nothing
            var outDirectory = given ?? DefaultJournal("replay");
            try
            {
                var replay = RunOperations.Replay(
                    running,
                    "replay",
                    () => RecordedEventsOrUnknown(directory),
                    followMetrics: true,
                    p => JournalReplayer.Replay(directory, outDirectory, parse.GetValue(overwrite), catalog: null, p));
                RunReport.PrintBooks(replay.Core, replay.SymbolName, output);
                output.WriteLine();
                RunReport.PrintReplay(replay, output);
                var requests = replay.OutboundRecords - replay.OutboundSignals;
                var where = given is null && !parse.GetValue(keep)
                    ? "a temporary journal, removed at the end (--keep keeps it, --output DIR writes it where you say)"
                    : replay.OutboundDirectory;
                if (reportDirectory is not null)
                {
                    var path = Engine.Hosting.Reports.SessionReport.Write(reportDirectory, replay);
                    output.WriteLine($"report: {path}");
                }

                output.WriteLine($"outbound stream: {replay.OutboundSignals} signals{(requests > 0 ? $" and {requests} snapshot requests" : "")} written to {where}");
                if (!replay.IsComplete)
                {
                    return CompareOutbound(directory, replay, output) ? Success : DataErrors;
                }

                var identical = replay.Identical;
                if (parse.GetValue(compare))
                {
                    identical &= CompareOutbound(directory, replay, output);
                }

                return identical ? Success : DataErrors;
            }
            finally
            {
                if (given is null && !parse.GetValue(keep) && Directory.Exists(outDirectory))
                {
                    Directory.Delete(outDirectory, recursive: true);
                }
            }
        });
        return command;
    }

    /// <summary>The events the journal's run summary holds (the progress line's total), or 0 when it has none or its
    /// last segment cannot be read: the replay itself then reports the damage.</summary>
    private static long RecordedEventsOrUnknown(string directory)
    {
        try
        {
            return JournalReplayer.RecordedEvents(directory) ?? 0;
        }
        catch (Exception e) when (e is JournalCorruptException or JournalFormatException or ArgumentOutOfRangeException)
        {
            return 0;
        }
    }

    /// <summary>
    /// Compares JOURNAL/outbound with the replay's stream; prints the verdict or the first divergence. A complete
    /// session's streams must be equal; an incomplete session's journaled stream must be a prefix of the replay's.
    /// </summary>
    internal static bool CompareOutbound(string directory, ReplayResult replay, TextWriter output)
    {
        var expected = Path.Combine(directory, JournalDescriptor.OutboundDirectoryName);
        var label = replay.IsComplete ? "compare" : "incomplete session";
        if (!Directory.Exists(expected) || Directory.GetFiles(expected, "*" + JournalDescriptor.FileExtension).Length == 0)
        {
            output.WriteLine($"{label}: no journaled outbound stream at {expected}: nothing to compare with");
            return false;
        }

        var divergence = JournalReplayer.CompareOutbound(directory, replay, out var equal, out var notReproducible);
        if (divergence is null)
        {
            output.WriteLine(replay.IsComplete
                ? $"compare: identical: {equal} outbound records (signals, evaluator records and order commands), byte for byte"
                : string.Create(
                    CultureInfo.InvariantCulture,
                    $"incomplete session: {equal} journaled outbound records reproduced, byte for byte{(notReproducible > 0 ? $"; {notReproducible} more were journaled for events the inbound journal never committed (not replayable)" : string.Empty)}"));
            return true;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"{label}: DIVERGED at outbound record #{divergence.Index} (outbound sequence {divergence.Sequence}) after {equal} identical records; first difference: {divergence.Field}{(divergence.ByteOffset >= 0 ? $" (payload byte {divergence.ByteOffset})" : string.Empty)}"));
        output.WriteLine($"  expected: {Describe(divergence.ExpectedType, divergence.ExpectedSignal, divergence.ExpectedOrder, divergence.ExpectedRequest, replay)}");
        output.WriteLine($"  actual:   {Describe(divergence.ActualType, divergence.ActualSignal, divergence.ActualOrder, divergence.ActualRequest, replay)}");
        return false;
    }

    private static string Describe(JournalRecordType type, SignalEvent? signal, OrderCommand? order, SnapshotRequest? request, ReplayResult replay)
    {
        if (type == JournalRecordType.SnapshotRequest && request is { } r)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"snapshot request {replay.SymbolName(r.SymbolId)} {r.Reason} caused by event seq {r.CausingSequence}: first buffered U={r.FirstBufferedUpdateId}, last applied u={r.LastAppliedUpdateId}, E={r.EventTimeMs}");
        }

        if (type == JournalRecordType.OrderCommand && order is { } c)
        {
            return string.Create(
                CultureInfo.InvariantCulture,
                $"order {c.Action} {replay.SymbolName(c.SymbolId)} {c.Side} {c.Type} {c.TimeInForce} price={Engine.Model.FixedPoint.ToString(c.Price)} qty={Engine.Model.FixedPoint.ToString(c.Quantity)} id={c.ClientOrderId} orig={c.OriginalClientOrderId} caused by event seq {c.CausingSequence} E={c.EventTimeMs}");
        }

        if (signal is not { } s)
        {
            return "(end of stream)";
        }

        return string.Create(
            CultureInfo.InvariantCulture,
            $"event seq {s.Sequence} {replay.SymbolName(s.SymbolId)} u={s.FinalUpdateId} E={s.EventTimeMs} applied={s.Applied} bid={Engine.Model.FixedPoint.ToString(s.BestBid)} ask={Engine.Model.FixedPoint.ToString(s.BestAsk)} obi1={s.Obi1:R} obi5={s.Obi5:R} obi10={s.Obi10:R} wmid={s.WeightedMid:R}");
    }
}
