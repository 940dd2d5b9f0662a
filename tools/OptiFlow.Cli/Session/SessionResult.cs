using OptiFlow.Engine.Core;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Telemetry;

namespace OptiFlow.Cli.Session;

/// <summary>Everything a run over recorded files measured and counted.</summary>
internal sealed class SessionResult
{
    public required SessionOptions Options { get; init; }

    public required MarketCore Core { get; init; }

    public required SymbolTable Symbols { get; init; }

    public required long Frames { get; init; }

    public required long IgnoredFrames { get; init; }

    public required long UnknownFieldsSkipped { get; init; }

    public required long PublishedSlots { get; init; }

    public required LatencyHistogram PublishLatency { get; init; }

    /// <summary>Bytes the producer thread allocated in steady state; -1 if the window never opened.</summary>
    public required long ProducerSteadyStateBytes { get; init; }

    /// <summary>Garbage collections (any generation) that ran while the producer's window was open.</summary>
    public required int CollectionsInProducerWindow { get; init; }

    /// <summary>Bytes the journal thread allocated in steady state; -1 without a journal or a window.</summary>
    public required long JournalSteadyStateBytes { get; init; }

    /// <summary>Batches the journal processor held under <see cref="SessionOptions.JournalLinger"/> (0 without one).</summary>
    public long JournalLingerCount { get; init; }

    public required long JournalRecords { get; init; }

    public required long JournalBytes { get; init; }

    public required long CoreFaults { get; init; }

    public required long JournalFaults { get; init; }

    public required TimeSpan Elapsed { get; init; }

    /// <summary>Whether the data had errors the run reports (decode errors, gaps, crossed books).</summary>
    public bool HadDataErrors
    {
        get
        {
            if (Core.DecodeErrors > 0 || CoreFaults > 0 || JournalFaults > 0)
            {
                return true;
            }

            foreach (var state in Core.Symbols)
            {
                if (state.Gaps > 0 || state.CrossedBooks > 0 || state.PendingOverflowMessages > 0)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
