using OptiFlow.Engine.Model;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Core;

/// <summary>Connects a <see cref="MarketCore"/> to a <see cref="Processing.BatchEventProcessor{T, THandler}"/> (a struct: direct calls).</summary>
/// <param name="core">The core.</param>
public readonly struct CoreEventHandler(MarketCore core) : IEventHandler<MarketEvent>
{
    /// <summary>The core.</summary>
    public MarketCore Core { get; } = core;

    /// <inheritdoc/>
    public void OnStart()
    {
    }

    /// <inheritdoc/>
    public void OnBatchStart(long firstSequence, long count)
    {
    }

    /// <inheritdoc/>
    public void OnEvent(ref MarketEvent data, long sequence, bool endOfBatch) => Core.OnEvent(ref data, sequence, endOfBatch);

    /// <inheritdoc/>
    public void OnShutdown() => Core.OnShutdown();
}
