using OptiFlow.Engine;
using OptiFlow.Engine.Processing;
using OptiFlow.PerfTests.Events;

namespace OptiFlow.PerfTests.Ring;

/// <summary>The pong side of ping-pong: publishes every value it reads onto the return ring.</summary>
internal readonly struct EchoHandler(RingBuffer<LongEvent> pong) : IEventHandler<LongEvent>
{
    public void OnStart()
    {
    }

    public void OnBatchStart(long firstSequence, long count)
    {
    }

    public void OnEvent(ref LongEvent data, long sequence, bool endOfBatch)
    {
        var s = pong.Next();
        pong[s].Value = data.Value;
        pong.Publish(s);
    }

    public void OnShutdown()
    {
    }
}
