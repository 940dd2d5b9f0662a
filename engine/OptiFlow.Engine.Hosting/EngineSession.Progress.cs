using OptiFlow.Adapters.Binance.MarketData;
using OptiFlow.Adapters.Binance.Streaming;
using OptiFlow.Engine.Hosting.Monitoring;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Engine.Hosting;

/// <summary>The session's progress snapshot, read from a control thread while it runs.</summary>
public sealed partial class EngineSession
{
    private long _inputBytesRead;
    private long _inputBytesTotal = -1;
    private volatile bool _publishFinished; // the recording was published to its end, or RunLive returned

    /// <summary>
    /// Where the session stands now: frames read or received, input bytes read of the recording's size, events the core
    /// handled, the inbound ring's backlog, decode errors by code, each book's state (live: combined with its feed),
    /// latency quantiles per stage and, when trading, the gateway's counts.
    /// </summary>
    /// <returns>A snapshot (allocates: call it from a control thread, every few hundred milliseconds at most).</returns>
    /// <remarks>
    /// Any thread, at any time after construction, concurrently with every other member, also after <see cref="Stop"/>
    /// and <see cref="Dispose"/> (then every count is final; it reads only managed counters, never the journal's mapped
    /// memory or a socket). It adds no work to the engine's threads: it
    /// reads the counters they keep anyway (see <see cref="SessionProgress"/> for what the values guarantee); the
    /// recording producer's only addition is one plain store of its input position per frame.
    /// </remarks>
    public SessionProgress Progress()
    {
        Interlocked.MemoryBarrier(); // fresh reads of the counters below (each kept by its one writer)
        var publisher = Volatile.Read(ref _publisher);
        var client = Client;
        var finished = _publishFinished;
        var total = InputBytesTotal();
        var cursor = InboundRing.Cursor.Value;
        var coreSequence = _coreProcessor.Sequence.Value;
        var progress = new SessionProgress
        {
            Elapsed = _elapsed.Elapsed,
            Frames = publisher?.Frames ?? client?.Frames ?? 0,
            IgnoredFrames = publisher?.IgnoredFrames ?? client?.IgnoredFrames ?? 0,
            InputBytesTotal = total,
            InputBytesRead = finished && _recording is not null ? total : Math.Min(Volatile.Read(ref _inputBytesRead), Math.Max(0, total - 1)),
            SourceFinished = finished,
            RingBacklog = Math.Max(0, cursor - coreSequence),
            Trading = _gateway?.Progress(),
        };
        Func<int, SymbolFeedState>? feed = client is null ? null : id => client.FeedStatusOf(id).State;
        return ProgressReader.WithCore(progress, Core, Names(), feed, Stages(publisher, client));
    }

    /// <summary>Byte offsets of each recording file in the whole input (cold: once per publish).</summary>
    private static long[] InputFileStarts(IReadOnlyList<string> files)
    {
        var starts = new long[Math.Max(1, files.Count)];
        long offset = 0;
        for (var i = 0; i < files.Count; i++)
        {
            starts[i] = offset;
            offset += SafeUncompressedSize(files[i]);
        }

        return starts;
    }

    private static long SafeUncompressedSize(string file)
    {
        try
        {
            return JournalSizing.UncompressedSize(file);
        }
        catch (IOException)
        {
            return 0; // the producer reports the file's own error; progress only loses its size
        }
        catch (UnauthorizedAccessException)
        {
            return 0;
        }
    }

    private long InputBytesTotal()
    {
        if (_recording is null)
        {
            return 0;
        }

        var total = Volatile.Read(ref _inputBytesTotal);
        if (total < 0)
        {
            total = _recording.Files.Sum(SafeUncompressedSize);
            Volatile.Write(ref _inputBytesTotal, total);
        }

        return total;
    }

    private string[] Names()
    {
        var names = new string[Symbols.Count];
        for (var id = 0; id < names.Length; id++)
        {
            names[id] = Symbols.NameOf(id);
        }

        return names;
    }

    private IEnumerable<(string, LatencyHistogram?)> Stages(FramePublisher? publisher, MarketDataClient? client)
    {
        yield return (Reports.ReportStage.FrameToPublished, publisher?.PublishLatency ?? client?.MergedPublishLatency());
        if (Core.MeasureLatency)
        {
            yield return (Reports.ReportStage.PublishedToCore, Core.PickupLatency);
            yield return (Reports.ReportStage.FrameToCore, Core.ReceiveToCoreLatency);
            yield return (Reports.ReportStage.CoreHandling, Core.HandlingLatency);
            yield return (Reports.ReportStage.FeedLatency, Core.FeedLatency);
        }

        if (_gateway is not null)
        {
            foreach (var (key, histogram) in _gateway.Stages.All)
            {
                yield return (key, histogram);
            }
        }
    }
}
