using System.Diagnostics;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;
using OptiFlow.Journal.Session;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// Replays a journal through the same <see cref="MarketCore"/> a session runs, single-threaded and as fast as it goes,
/// then compares its books, signal stream and snapshot requests with what the session recorded in the journal's run
/// summary; optionally writes the outbound stream it produces, for a byte-for-byte comparison with the journaled one
/// (<see cref="CompareOutbound(string, ReplayResult, out long, out long)"/>).
/// </summary>
/// <remarks>
/// The core cannot tell a replay from a live run: it sees the same events in the same order and emits through the same
/// <see cref="Outbound.IOutboundSink"/> contract, so every decision (signal, snapshot request) is reproduced. Stateless:
/// thread-safe; each call allocates its core and readers (cold path).
/// </remarks>
public static class JournalReplayer
{
    /// <summary>
    /// How <see cref="Replay(string, string?, bool, Evaluators.EvaluatorCatalog?, Monitoring.ReplayProgress?)"/> reads the
    /// journal: with <see cref="JournalReaderOptions.ReadAhead"/> when the process may use more than one CPU
    /// (<see cref="JournalReaderOptions.HasSpareCpu"/>; a replay pinned to one CPU with <c>taskset</c> reads without),
    /// so the replay thread runs the core while another checks the frames and maps and unmaps the segments
    /// (perf/ARCHIVE.md, "Replay read-ahead"). Every record is still checked before the core sees it.
    /// </summary>
    public static JournalReaderOptions ReadOptions { get; } = new() { ReadAhead = JournalReaderOptions.HasSpareCpu };

    /// <summary>Replays <paramref name="directory"/>.</summary>
    /// <param name="directory">A journal written by a session (its inbound records). Only read: a read-only journal replays.</param>
    /// <param name="outboundDirectory">Where to write the outbound stream the replay produces (a new journal), or null
    /// for none. It must be missing, empty, or an OptiFlow journal with <paramref name="overwriteOutbound"/>, and must
    /// not be <paramref name="directory"/> or inside it (a replay never writes into the journal it reads).</param>
    /// <param name="overwriteOutbound">Whether an existing journal at <paramref name="outboundDirectory"/> may be replaced.</param>
    /// <returns>What the replay produced and how it compares.</returns>
    /// <exception cref="JournalFormatException">The directory is not a readable journal, or a session record is malformed.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalDirectoryException">The output directory is refused (inside the journal, not empty, an existing journal without leave, or in use).</exception>
    /// <exception cref="JournalIOException">The OS refuses to read the journal or write the output.</exception>
    public static ReplayResult Replay(string directory, string? outboundDirectory = null, bool overwriteOutbound = false) =>
        Replay(directory, outboundDirectory, overwriteOutbound, catalog: null);

    /// <summary>Replays <paramref name="directory"/>, rebuilding the evaluators its session header lists through <paramref name="catalog"/>.</summary>
    /// <param name="directory">A journal written by a session (its inbound records). Only read.</param>
    /// <param name="outboundDirectory">Where to write the replay's outbound stream, or null (see the other overload).</param>
    /// <param name="overwriteOutbound">Whether an existing journal at <paramref name="outboundDirectory"/> may be replaced.</param>
    /// <param name="catalog">Rebuilds the recorded evaluators (name and configuration); null for <see cref="Evaluators.EvaluatorCatalog.Builtin"/>.</param>
    /// <returns>What the replay produced and how it compares.</returns>
    /// <exception cref="Evaluators.EvaluatorConfigurationException">A recorded evaluator cannot be rebuilt (unknown name, a changed or missing input file).</exception>
    /// <exception cref="JournalFormatException">The directory is not a readable journal, or a session record is malformed.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalDirectoryException">The output directory is refused.</exception>
    /// <exception cref="JournalIOException">The OS refuses to read the journal or write the output.</exception>
    public static ReplayResult Replay(string directory, string? outboundDirectory, bool overwriteOutbound, Evaluators.EvaluatorCatalog? catalog) =>
        Replay(directory, outboundDirectory, overwriteOutbound, catalog, progress: null);

    /// <summary>Replays <paramref name="directory"/> (as the overload without <paramref name="progress"/>), reporting
    /// its progress to <paramref name="progress"/>, which another thread may read while it runs.</summary>
    /// <param name="directory">A journal written by a session (its inbound records). Only read.</param>
    /// <param name="outboundDirectory">Where to write the replay's outbound stream, or null.</param>
    /// <param name="overwriteOutbound">Whether an existing journal at <paramref name="outboundDirectory"/> may be replaced.</param>
    /// <param name="catalog">Rebuilds the recorded evaluators; null for <see cref="Evaluators.EvaluatorCatalog.Builtin"/>.</param>
    /// <param name="progress">Follows the replay (one release store per event on this thread), or null.</param>
    /// <returns>What the replay produced and how it compares.</returns>
    /// <exception cref="Evaluators.EvaluatorConfigurationException">A recorded evaluator cannot be rebuilt.</exception>
    /// <exception cref="JournalFormatException">The directory is not a readable journal, or a session record is malformed.</exception>
    /// <exception cref="JournalCorruptException">A record is damaged.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    /// <exception cref="JournalDirectoryException">The output directory is refused.</exception>
    /// <exception cref="JournalIOException">The OS refuses to read the journal or write the output.</exception>
    public static ReplayResult Replay(string directory, string? outboundDirectory, bool overwriteOutbound, Evaluators.EvaluatorCatalog? catalog, Monitoring.ReplayProgress? progress)
    {
        ArgumentNullException.ThrowIfNull(directory);
        if (!Directory.Exists(directory))
        {
            throw new DirectoryNotFoundException($"Journal directory not found: {directory}");
        }

        if (outboundDirectory is not null)
        {
            if (JournalDirectories.IsSameOrInside(outboundDirectory, directory))
            {
                var full = Path.GetFullPath(outboundDirectory);
                throw new JournalDirectoryException(
                    JournalDirectoryRefusal.SameAsSource,
                    full,
                    $"Replay output '{full}' is inside the journal it replays ('{Path.GetFullPath(directory)}'); a replay never writes into its journal. Choose a directory outside it.");
            }

            JournalDirectories.RequireWritable(outboundDirectory, overwriteOutbound);
        }

        var clock = Stopwatch.StartNew();
        progress?.Started();
        SessionHeaderRecord? header = null;
        RunSummaryRecord? expected = null;
        MarketCore? core = null;
        var symbols = new List<string>();
        long events = 0;
        using var outbound = outboundDirectory is null
            ? null
            : new JournalWriter(outboundDirectory, new JournalOptions { Overwrite = overwriteOutbound, SegmentSize = OutboundSegmentSizeOf(directory) });
        long lastEventSequence = -1;
        var appender = outbound is null ? null : new OutboundJournalAppender(outbound);
        using (var reader = new JournalReader(directory, ReadOptions))
        {
            while (reader.TryRead(out var record))
            {
                switch (record.Type)
                {
                    case JournalRecordType.SessionHeader:
                        header = SessionHeaderRecord.Parse(record.Payload);
                        break;
                    case JournalRecordType.RunSummary:
                        expected = RunSummaryRecord.Parse(record.Payload);
                        break;
                    case JournalRecordType.Symbol:
                        while (symbols.Count <= record.SymbolId)
                        {
                            symbols.Add($"#{symbols.Count}");
                        }

                        symbols[record.SymbolId] = System.Text.Encoding.UTF8.GetString(record.SymbolUtf8Name);
                        break;
                    case JournalRecordType.MarketEvent:
                        if (core is null)
                        {
                            core = CreateCore(header, appender, catalog);
                            progress?.Attach(core, header?.Symbols ?? []);
                        }

                        var e = record.MarketEvent;
                        core.OnEvent(ref e, record.Sequence);
                        lastEventSequence = record.Sequence;
                        events++;
                        progress?.SetEvents(events);
                        break;
                    default:
                        break;
                }
            }
        }

        if (core is null)
        {
            core = CreateCore(header, appender, catalog);
            progress?.Attach(core, header?.Symbols ?? []);
        }

        outbound?.Flush();
        progress?.Finished();
        var signals = outbound is null ? 0 : core.SignalCount;
        return new ReplayResult(directory, header, expected, core, events, clock.Elapsed)
        {
            JournalSymbols = symbols,
            OutboundDirectory = outbound?.Directory,
            OutboundSignals = signals,
            OutboundRecords = appender?.Published ?? 0,
            LastEventSequence = lastEventSequence,
        };
    }

    /// <summary>
    /// The inbound events a finished session handled, from its journal's run summary (the total a replay of it will
    /// reach), or null when the session never finished (no run summary). Reads the last segment only (the summary is the
    /// journal's last record): cold path, a few milliseconds for a 64 MiB segment.
    /// </summary>
    /// <param name="directory">A journal directory.</param>
    /// <returns>The session's event count, or null.</returns>
    /// <exception cref="JournalFormatException">The directory is not a readable journal, or the summary is malformed.</exception>
    /// <exception cref="JournalCorruptException">A record of the last segment is damaged.</exception>
    /// <exception cref="DirectoryNotFoundException">The directory does not exist.</exception>
    public static long? RecordedEvents(string directory)
    {
        using var reader = new JournalReader(directory);
        long lastBase = -1;
        foreach (var file in Directory.GetFiles(reader.Directory, "*" + JournalDescriptor.FileExtension))
        {
            var stem = Path.GetFileNameWithoutExtension(file);
            if (stem.Length == JournalDescriptor.FileNameDigits && long.TryParse(stem, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var position))
            {
                lastBase = Math.Max(lastBase, position);
            }
        }

        if (lastBase < 0)
        {
            return null;
        }

        reader.SeekToPosition(lastBase + JournalDescriptor.HeaderLength);
        long? events = null;
        while (reader.TryRead(out var record))
        {
            if (record.Type == JournalRecordType.RunSummary)
            {
                events = RunSummaryRecord.Parse(record.Payload).Events;
            }
        }

        return events;
    }

    /// <summary>
    /// Compares <paramref name="journalDirectory"/>'s journaled outbound stream (<c>outbound/</c>) with the one a replay
    /// wrote, record by record, byte for byte. When the session never finished (no run summary), the journaled stream
    /// is a prefix of what the replay produces; it is compared as such (see the overload with <c>notReproducible</c>).
    /// </summary>
    /// <param name="journalDirectory">The replayed journal.</param>
    /// <param name="replay">The replay's result (with an <see cref="ReplayResult.OutboundDirectory"/>).</param>
    /// <param name="compared">Records compared and equal.</param>
    /// <returns>Null when equal; else the first divergence.</returns>
    /// <exception cref="ArgumentException">The replay wrote no outbound stream.</exception>
    /// <exception cref="DirectoryNotFoundException">The journal has no outbound stream.</exception>
    public static OutboundDivergence? CompareOutbound(string journalDirectory, ReplayResult replay, out long compared) =>
        CompareOutbound(journalDirectory, replay, out compared, out _);

    /// <summary>
    /// Compares <paramref name="journalDirectory"/>'s journaled outbound stream (<c>outbound/</c>) with the one a replay
    /// wrote. A complete session's streams must be equal, record for record
    /// (<see cref="OutboundStreamComparer.Compare"/>). An incomplete one's (<see cref="ReplayResult.IsComplete"/> false:
    /// the run was killed or failed) is a prefix: every journaled record caused by an event the inbound journal holds
    /// must be reproduced in order, and the replay may go on (<see cref="OutboundStreamComparer.ComparePrefix"/>).
    /// </summary>
    /// <param name="journalDirectory">The replayed journal.</param>
    /// <param name="replay">The replay's result (with an <see cref="ReplayResult.OutboundDirectory"/>).</param>
    /// <param name="compared">Records compared and equal.</param>
    /// <param name="notReproducible">Incomplete sessions: journaled records caused by events the inbound journal never
    /// committed (not compared); 0 for a complete session.</param>
    /// <returns>Null when equal (or, incomplete, when the prefix was reproduced); else the first divergence.</returns>
    /// <exception cref="ArgumentException">The replay wrote no outbound stream.</exception>
    /// <exception cref="DirectoryNotFoundException">The journal has no outbound stream.</exception>
    public static OutboundDivergence? CompareOutbound(string journalDirectory, ReplayResult replay, out long compared, out long notReproducible)
    {
        ArgumentNullException.ThrowIfNull(journalDirectory);
        ArgumentNullException.ThrowIfNull(replay);
        var actual = replay.OutboundDirectory ?? throw new ArgumentException("The replay wrote no outbound stream: give it an outbound directory.", nameof(replay));
        var expected = Path.Combine(journalDirectory, JournalDescriptor.OutboundDirectoryName);
        if (!Directory.Exists(expected))
        {
            throw new DirectoryNotFoundException($"No journaled outbound stream at {expected}: nothing to compare with.");
        }

        if (replay.IsComplete)
        {
            notReproducible = 0;
            return OutboundStreamComparer.Compare(expected, actual, out compared);
        }

        return OutboundStreamComparer.ComparePrefix(expected, actual, replay.LastEventSequence, out compared, out notReproducible);
    }

    /// <summary>The replay's core, with the evaluators the header lists rebuilt over the header's symbol table.</summary>
    private static MarketCore CreateCore(SessionHeaderRecord? header, OutboundJournalAppender? appender, Evaluators.EvaluatorCatalog? catalog)
    {
        var capacity = CapacityOf(header);
        if (header is null || header.Evaluators.Count == 0)
        {
            return new MarketCore(capacity, appender, measureLatency: false, orders: LedgerOptionsOf(header));
        }

        catalog ??= Evaluators.EvaluatorCatalog.Builtin;
        var symbols = new SymbolTable(Math.Max(capacity, header.Symbols.Count));
        foreach (var name in header.Symbols)
        {
            symbols.GetOrAdd(name);
        }

        symbols.Freeze();
        var factories = header.Evaluators.Select(catalog.FactoryFor).ToList();
        return new MarketCore(capacity, appender, measureLatency: false, EngineSession.EvaluatorsFor(factories, symbols), LedgerOptionsOf(header));
    }

    /// <summary>The core's order ledger as the session ran it: trading when its header names a venue (strategies then count orders open until their reports close them).</summary>
    private static OrderLedgerOptions LedgerOptionsOf(SessionHeaderRecord? header) => new() { Trading = header?.Trading is not null };

    private static int CapacityOf(SessionHeaderRecord? header) =>
        header is { SymbolCapacity: > 0 } ? header.SymbolCapacity : SymbolTable.DefaultCapacity;

    /// <summary>The journaled outbound stream's segment size, or the one <see cref="JournalSizing"/> pairs with the inbound journal's.</summary>
    private static int OutboundSegmentSizeOf(string directory)
    {
        var outbound = Path.Combine(directory, JournalDescriptor.OutboundDirectoryName);
        if (Directory.Exists(outbound) && Directory.GetFiles(outbound, "*" + JournalDescriptor.FileExtension).Length > 0)
        {
            using var journaled = new JournalReader(outbound);
            return journaled.SegmentSize;
        }

        using var reader = new JournalReader(directory);
        return JournalSizing.OutboundSegmentSizeFor(reader.SegmentSize);
    }
}
