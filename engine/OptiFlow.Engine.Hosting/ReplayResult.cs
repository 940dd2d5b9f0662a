using OptiFlow.Engine.Core;
using OptiFlow.Journal.Session;

namespace OptiFlow.Engine.Hosting;

/// <summary>What a replay (<see cref="JournalReplayer.Replay(string, string?, bool)"/>) produced and how it compares with the recorded session.</summary>
/// <param name="Directory">The replayed journal.</param>
/// <param name="Header">Its session header, or null when absent.</param>
/// <param name="Expected">Its run summary, or null when the session never finished.</param>
/// <param name="Core">The replay's core (books, counters, digests).</param>
/// <param name="Events">Market events replayed.</param>
/// <param name="Elapsed">Time the replay took.</param>
/// <remarks>Immutable after construction: thread-safe to read.</remarks>
public sealed record ReplayResult(string Directory, SessionHeaderRecord? Header, RunSummaryRecord? Expected, MarketCore Core, long Events, TimeSpan Elapsed)
{
    /// <summary>Symbol names from the journal's own Symbol records (index = id).</summary>
    public IReadOnlyList<string> JournalSymbols { get; init; } = [];

    /// <summary>Where the replay wrote its outbound stream, or null.</summary>
    public string? OutboundDirectory { get; init; }

    /// <summary>Signal records the replay wrote to <see cref="OutboundDirectory"/>.</summary>
    public long OutboundSignals { get; init; }

    /// <summary>Outbound records (signals, snapshot requests, evaluator records, order commands) the replay wrote to <see cref="OutboundDirectory"/>.</summary>
    public long OutboundRecords { get; init; }

    /// <summary>Sequence of the last market event replayed; -1 when the journal has none.</summary>
    public long LastEventSequence { get; init; } = -1;

    /// <summary>Whether the session finished: its journal ends with a run summary (<see cref="Expected"/>). Without one
    /// the run was killed or failed, and what it journaled is a prefix of the session
    /// (<see cref="JournalReplayer.CompareOutbound(string, ReplayResult, out long, out long)"/> compares it as such).</summary>
    public bool IsComplete => Expected is not null;

    /// <summary>Final books of every symbol with depth data.</summary>
    public IReadOnlyList<BookResult> Books => BookResult.From(Core, SymbolName);

    /// <summary>True when the journal had a run summary and the replay reproduced its events, signals, snapshot
    /// requests, evaluator output counts and books exactly (the outbound streams themselves are compared byte for byte
    /// by <see cref="JournalReplayer.CompareOutbound(string, ReplayResult, out long)"/>).</summary>
    public bool Identical => Expected is not null && Differences().Count == 0;

    /// <summary>Every difference from the recorded session, one line each; empty when identical.</summary>
    /// <returns>The differences.</returns>
    public IReadOnlyList<string> Differences()
    {
        var differences = new List<string>();
        if (Expected is null)
        {
            differences.Add("the journal has no RunSummary record (the live run did not finish), so there is nothing to compare with");
            return differences;
        }

        if (Expected.Events != Core.EventCount)
        {
            differences.Add($"events: live {Expected.Events}, replay {Core.EventCount}");
        }

        // A journal of format 2 to 4 digested 96-byte signals (no Wobi10): compare the replay's digest of the same bytes.
        var replayDigest = Header is { JournalFormatVersion: < 5 } ? Core.LegacySignalDigest : Core.SignalDigest;
        if (Expected.SignalCount != Core.SignalCount || Expected.SignalDigest != replayDigest)
        {
            differences.Add($"signal stream: live {Expected.SignalCount} signals (crc32c {Expected.SignalDigest:x8}), replay {Core.SignalCount} (crc32c {replayDigest:x8})");
        }

        if (Expected.Version >= 1)
        {
            var requests = Core.Symbols.Sum(s => s.SnapshotRequests);
            if (Expected.SnapshotRequests != requests)
            {
                differences.Add($"snapshot requests: live {Expected.SnapshotRequests}, replay {requests}");
            }
        }

        if (Expected.Version >= 2)
        {
            var status = Core.Evaluators?.Status ?? [];
            var records = status.Sum(s => s.RecordsEmitted);
            var orders = status.Sum(s => s.OrdersEmitted);
            var quarantined = Core.Evaluators?.Quarantined ?? 0;
            if (Expected.EvaluatorRecords != records || Expected.OrderCommands != orders || Expected.QuarantinedEvaluators != quarantined)
            {
                differences.Add($"evaluators: live {Expected.EvaluatorRecords} records, {Expected.OrderCommands} order commands, {Expected.QuarantinedEvaluators} quarantined; replay {records}, {orders}, {quarantined}");
            }
        }

        if (Expected.BooksDigest != Core.BooksDigest())
        {
            differences.Add($"books: live digest {Expected.BooksDigest:x8}, replay {Core.BooksDigest():x8}");
        }

        return differences;
    }

    /// <summary>A symbol's name: from the journal's Symbol records, else the run summary, else <c>#id</c>.</summary>
    /// <param name="symbolId">The id.</param>
    /// <returns>The name.</returns>
    public string SymbolName(int symbolId) =>
        symbolId >= 0 && symbolId < JournalSymbols.Count ? JournalSymbols[symbolId]
        : Expected is not null && symbolId >= 0 && symbolId < Expected.Symbols.Count ? Expected.Symbols[symbolId] : $"#{symbolId}";
}
