namespace OptiFlow.Engine;

/// <summary>Which sequencer a <see cref="RingBuffer{T}"/> is built on.</summary>
public enum ProducerType
{
    /// <summary>Exactly one producer thread: <see cref="SingleProducerSequencer"/>, no compare-and-swap.</summary>
    Single = 0,

    /// <summary>Any number of producer threads: <see cref="MultiProducerSequencer"/>.</summary>
    Multi = 1,
}
