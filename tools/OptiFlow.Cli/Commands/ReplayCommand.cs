using System.CommandLine;
using System.Globalization;
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
/// <c>optiflow replay DIR [--compare] [--output OUT]</c>: the same core driven single-threaded from a journal; writes
/// the outbound stream it produces (default <c>DIR/replay-outbound</c>) and compares it with the live run.
/// </summary>
internal static class ReplayCommand
{
    /// <summary>Sub-directory of the journal where a replay writes its outbound stream unless --output says otherwise.</summary>
    public const string DefaultOutputName = "replay-outbound";

    public static Command Build(TextWriter output)
    {
        var journal = new Argument<string>("JOURNAL") { Description = "A journal directory written by 'optiflow run' or 'optiflow demo'" };
        var compare = new Option<bool>("--compare")
        {
            Description = "Check the replay's outbound stream byte for byte against the journaled one (JOURNAL/outbound) and print the first divergence",
        };
        var outputDirectory = new Option<string?>("--output")
        {
            Description = $"Directory for the replay's outbound journal (default JOURNAL/{DefaultOutputName}; overwritten)",
        };
        var command = new Command("replay", "Drive the same core from a journal, write the outbound stream it produces, and report whether it equals the live run's.")
        {
            journal,
            compare,
            outputDirectory,
        };
        command.SetAction(parse =>
        {
            var directory = parse.GetValue(journal)!;
            if (!Directory.Exists(directory))
            {
                throw new UsageException($"journal directory not found: {directory}");
            }

            var outDirectory = parse.GetValue(outputDirectory) ?? Path.Combine(directory, DefaultOutputName);
            var replay = JournalReplayer.Replay(directory, outDirectory);
            RunReport.PrintBooks(replay.Core, replay.SymbolName, output);
            output.WriteLine();
            RunReport.PrintReplay(replay, output);
            var requests = replay.OutboundRecords - replay.OutboundSignals;
            output.WriteLine($"outbound stream: {replay.OutboundSignals} signals{(requests > 0 ? $" and {requests} snapshot requests" : "")} written to {replay.OutboundDirectory}");
            var identical = replay.Identical;
            if (parse.GetValue(compare))
            {
                identical &= CompareOutbound(directory, replay, output);
            }

            return identical ? Success : DataErrors;
        });
        return command;
    }

    /// <summary>Compares JOURNAL/outbound with the replay's stream; prints the verdict or the first divergence.</summary>
    internal static bool CompareOutbound(string directory, ReplayResult replay, TextWriter output)
    {
        var expected = Path.Combine(directory, JournalDescriptor.OutboundDirectoryName);
        if (!Directory.Exists(expected))
        {
            output.WriteLine($"compare: no journaled outbound stream at {expected}: nothing to compare with");
            return false;
        }

        var divergence = OutboundStreamComparer.Compare(expected, replay.OutboundDirectory!, out var equal);
        if (divergence is null)
        {
            output.WriteLine($"compare: identical: {equal} outbound records (signals and order commands), byte for byte");
            return true;
        }

        output.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"compare: DIVERGED at outbound record #{divergence.Index} (outbound sequence {divergence.Sequence}) after {equal} identical records; first difference: {divergence.Field}{(divergence.ByteOffset >= 0 ? $" (payload byte {divergence.ByteOffset})" : string.Empty)}"));
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
