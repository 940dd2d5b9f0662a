using System.Diagnostics;
using OptiFlow.Cli.Session;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Journal;
using OptiFlow.Journal.Outbound;

namespace OptiFlow.Cli.Replay;

/// <summary>
/// Drives the same <see cref="MarketCore"/> from a journal, single-threaded and as fast as it goes, then compares its
/// final books and signal stream with what the live run recorded in the journal's RunSummary record.
/// </summary>
internal static class JournalReplay
{
    /// <summary>Replays <paramref name="directory"/>; when <paramref name="outboundDirectory"/> is given, writes the signals it produces there as an outbound journal (overwritten).</summary>
    public static ReplayResult Run(string directory, ISignalSink? sink = null, string? outboundDirectory = null)
    {
        var stopwatch = Stopwatch.StartNew();
        SessionHeader? header = null;
        RunSummary? expected = null;
        MarketCore? core = null;
        var symbols = new List<string>();
        long events = 0;
        using var outbound = outboundDirectory is null
            ? null
            : new JournalWriter(outboundDirectory, new JournalOptions { Overwrite = true, SegmentSize = SegmentSizeOf(directory) });
        var coreSink = outbound is null ? sink : new JournalSignalSink(outbound, sink);
        using (var reader = new JournalReader(directory))
        {
            while (reader.TryRead(out var record))
            {
                switch (record.Type)
                {
                    case JournalRecordType.SessionHeader:
                        header = SessionHeader.Parse(record.Payload);
                        break;
                    case JournalRecordType.RunSummary:
                        expected = RunSummary.Parse(record.Payload);
                        break;
                    case JournalRecordType.Symbol:
                        while (symbols.Count <= record.SymbolId)
                        {
                            symbols.Add($"#{symbols.Count}");
                        }

                        symbols[record.SymbolId] = System.Text.Encoding.UTF8.GetString(record.SymbolUtf8Name);
                        break;
                    case JournalRecordType.MarketEvent:
                        core ??= new MarketCore(SymbolTableCapacity, coreSink, measureLatency: false);
                        var e = record.MarketEvent;
                        core.OnEvent(ref e, record.Sequence);
                        events++;
                        break;
                    default:
                        break;
                }
            }
        }

        core ??= new MarketCore(SymbolTableCapacity, coreSink, measureLatency: false);
        outbound?.Flush();
        return new ReplayResult(directory, header, expected, core, events, stopwatch.Elapsed)
        {
            JournalSymbols = symbols,
            OutboundDirectory = outbound?.Directory,
            OutboundSignals = outbound?.RecordCount ?? 0,
        };
    }

    private static int SegmentSizeOf(string directory)
    {
        using var reader = new JournalReader(directory);
        return reader.SegmentSize;
    }

    /// <summary>Symbol ids are below the live run's table capacity (<see cref="SymbolTable"/> default).</summary>
    private const int SymbolTableCapacity = SymbolTable.DefaultCapacity;
}

/// <summary>What a replay produced and how it compares with the live run.</summary>
internal sealed record ReplayResult(string Directory, SessionHeader? Header, RunSummary? Expected, MarketCore Core, long Events, TimeSpan Elapsed)
{
    /// <summary>Symbol names from the journal's own Symbol records (index = id).</summary>
    public IReadOnlyList<string> JournalSymbols { get; init; } = [];

    /// <summary>Where the replay wrote its outbound stream, or null.</summary>
    public string? OutboundDirectory { get; init; }

    /// <summary>Signal records the replay wrote to <see cref="OutboundDirectory"/>.</summary>
    public long OutboundSignals { get; init; }

    public RunSummary Actual => RunSummary.From(Core, SymbolsFromExpected());

    /// <summary>True when the journal had a RunSummary and the replay reproduced its signals and books exactly.</summary>
    public bool Identical => Expected is not null && Differences().Count == 0;

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

        if (Expected.SignalCount != Core.SignalCount || Expected.SignalDigest != Core.SignalDigest)
        {
            differences.Add($"signal stream: live {Expected.SignalCount} signals (crc32c {Expected.SignalDigest:x8}), replay {Core.SignalCount} (crc32c {Core.SignalDigest:x8})");
        }

        if (Expected.BooksDigest != Core.BooksDigest())
        {
            differences.Add($"books: live digest {Expected.BooksDigest:x8}, replay {Core.BooksDigest():x8}");
        }

        return differences;
    }

    public string SymbolName(int symbolId) =>
        symbolId >= 0 && symbolId < JournalSymbols.Count ? JournalSymbols[symbolId]
        : Expected is not null && symbolId >= 0 && symbolId < Expected.Symbols.Count ? Expected.Symbols[symbolId] : $"#{symbolId}";

    private SymbolTable SymbolsFromExpected()
    {
        var table = new SymbolTable();
        if (Expected is not null)
        {
            foreach (var name in Expected.Symbols)
            {
                table.GetOrAdd(name);
            }
        }

        return table;
    }
}
