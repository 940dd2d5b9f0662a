using OptiFlow.Engine.Model;

namespace OptiFlow.PerfTests.Pipeline;

/// <summary>
/// The ring events of one decode pass, copied out of the ring by their sequence (slot <c>i</c> of <see cref="Items"/> is
/// ring sequence <c>i</c>, as a session's core sees it): the input of the core-only and journal-only stages.
/// </summary>
/// <remarks>Filled on the consumer thread of one untimed pass (grows by doubling: allocates), read after that
/// processor was joined.</remarks>
internal sealed class CapturedEvents
{
    private MarketEvent[] _items = new MarketEvent[1 << 16];

    /// <summary>The events; the first <see cref="Count"/> are valid.</summary>
    public MarketEvent[] Items => _items;

    /// <summary>Events captured (highest sequence + 1).</summary>
    public int Count { get; private set; }

    /// <summary>Copies one slot (consumer thread).</summary>
    public void Add(ref MarketEvent data, long sequence)
    {
        if (sequence >= _items.Length)
        {
            Array.Resize(ref _items, (int)Math.Min(Array.MaxLength, Math.Max(_items.Length * 2L, sequence + 1)));
        }

        _items[sequence] = data;
        Count = (int)Math.Max(Count, sequence + 1);
    }
}
