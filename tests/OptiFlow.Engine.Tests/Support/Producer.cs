namespace OptiFlow.Engine.Tests.Support;

/// <summary>Publishes <see cref="StubEvent"/>s whose value is their sequence, by the documented claim → write → publish-in-finally protocol.</summary>
internal static class Producer
{
    public static void Publish(RingBuffer<StubEvent> ring, long count)
    {
        for (long i = 0; i < count; i++)
        {
            var sequence = ring.Next();
            try
            {
                ring[sequence].Value = sequence;
            }
            finally
            {
                ring.Publish(sequence);
            }
        }
    }

    public static void PublishBatches(RingBuffer<StubEvent> ring, long count, int batch)
    {
        for (long i = 0; i < count; i += batch)
        {
            var high = ring.Next(batch);
            var low = high - batch + 1;
            try
            {
                for (var s = low; s <= high; s++)
                {
                    ring[s].Value = s;
                }
            }
            finally
            {
                ring.Publish(low, high);
            }
        }
    }

    /// <summary>Publishes <paramref name="count"/> events tagged <see cref="ProducerOrderHandler.Tag"/>(producer, i), one claim each.</summary>
    public static void PublishTagged(RingBuffer<StubEvent> ring, int producer, long count)
    {
        for (long i = 0; i < count; i++)
        {
            var sequence = ring.Next();
            try
            {
                ring[sequence].Value = ProducerOrderHandler.Tag(producer, i);
            }
            finally
            {
                ring.Publish(sequence);
            }
        }
    }

    /// <summary>As <see cref="PublishTagged"/>, but claims with <c>TryNext</c> and yields while the ring is full.</summary>
    public static void TryPublishTagged(RingBuffer<StubEvent> ring, int producer, long count)
    {
        for (long i = 0; i < count; i++)
        {
            long sequence;
            while (!ring.TryNext(out sequence))
            {
                Thread.Yield();
            }

            try
            {
                ring[sequence].Value = ProducerOrderHandler.Tag(producer, i);
            }
            finally
            {
                ring.Publish(sequence);
            }
        }
    }
}
