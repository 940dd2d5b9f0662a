using OptiFlow.Adapters.Binance.Recording;
using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;

namespace OptiFlow.Cli.Session;

/// <summary>What one run over recorded files needs.</summary>
internal sealed class SessionOptions
{
    public required Market Market { get; init; }

    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Line format of <see cref="Files"/> (hftbacktest when not set, as before <c>--format</c> existed).</summary>
    public RecordingFormat Format { get; init; } = RecordingFormat.Hftbacktest;

    /// <summary>Journal directory, or null for no journal.</summary>
    public string? JournalDirectory { get; init; }

    /// <summary>CPU to pin the core thread to, or null.</summary>
    public int? CoreCpu { get; init; }

    public WaitStrategyKind WaitStrategy { get; init; } = WaitStrategyKind.Yielding;

    /// <summary>Inbound ring size (slots, a power of two).</summary>
    public int RingSize { get; init; } = 1 << 16;

    /// <summary>The symbol table to intern into (shared with sinks that print names), or null for a new one.</summary>
    public SymbolTable? Symbols { get; init; }

    /// <summary>Receives every signal on the core thread, or null.</summary>
    public ISignalSink? Sink { get; init; }

    /// <summary>Events (frames on the producer) after which the steady-state allocation window opens.</summary>
    public long SteadyStateAfter { get; init; } = 2000;

    /// <summary>Journal durability level (0 page cache, the default; 1 flush on roll; 2 flush every N records or T ms).</summary>
    public OptiFlow.Journal.JournalDurability JournalDurability { get; init; } = OptiFlow.Journal.JournalDurability.PageCache;

    /// <summary>Journal segment size in bytes (a power of two).</summary>
    public int JournalSegmentSize { get; init; } = 64 * 1024 * 1024;

    /// <summary>
    /// The journal processor's linger (<c>BatchEventProcessor.SetLinger</c>: batches under <c>BatchSize</c> events wait
    /// up to <c>Nanoseconds</c>), or null for none (the default; no command-line option sets it).
    /// </summary>
    public (int BatchSize, long Nanoseconds)? JournalLinger { get; init; }

    /// <summary>Bound on waiting for the consumers to drain at the end.</summary>
    public TimeSpan DrainTimeout { get; init; } = TimeSpan.FromSeconds(60);
}
