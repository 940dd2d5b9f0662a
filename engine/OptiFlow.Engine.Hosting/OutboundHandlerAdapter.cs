using OptiFlow.Engine.Outbound;
using OptiFlow.Engine.Processing;

namespace OptiFlow.Engine.Hosting;

/// <summary>
/// Lets a class handler (a printer, an exporter: <see cref="EngineOptions.OutboundHandlers"/>) run inside a
/// <see cref="BatchEventProcessor{T, THandler}"/>, whose handler type is a struct: one interface call per record.
/// </summary>
/// <remarks>Outbound consumers are not the core's hot path; the interface call is their only overhead. Allocation-free.</remarks>
/// <param name="inner">The handler.</param>
internal readonly struct OutboundHandlerAdapter(IEventHandler<OutboundEvent> inner) : IEventHandler<OutboundEvent>
{
    public IEventHandler<OutboundEvent> Inner { get; } = inner;

    public void OnStart() => Inner.OnStart();

    public void OnBatchStart(long firstSequence, long count) => Inner.OnBatchStart(firstSequence, count);

    public void OnEvent(ref OutboundEvent data, long sequence, bool endOfBatch) => Inner.OnEvent(ref data, sequence, endOfBatch);

    public void OnShutdown() => Inner.OnShutdown();
}
