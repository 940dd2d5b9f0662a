using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// The orders this venue sent, direct-mapped by client order id (<c>id &amp; (size − 1)</c>): the command, the cumulative
/// quantity already reported and whether the NEW and a final status were reported. It is what keeps a fill from being
/// reported twice when two sources (user data, a reconciliation) tell of it: a fill report must raise the cumulative
/// quantity, and nothing is reported after a final status.
/// </summary>
/// <remarks>Not thread-safe: the venue guards it with one lock. Engine ids are sequential, so an entry is replaced only
/// when an order <c>size</c> ids older is still open; its later events are then reported as if first seen.
/// Allocation-free after construction.</remarks>
internal sealed class VenueOrderTable
{
    public const byte NewReported = 1;
    public const byte FinalReported = 2;

    private readonly Entry[] _entries;
    private readonly int _mask;

    public VenueOrderTable(int size)
    {
        if (size <= 0 || (size & (size - 1)) != 0)
        {
            throw new ArgumentException("The order table size must be a positive power of two.", nameof(size));
        }

        _entries = new Entry[size];
        _mask = size - 1;
    }

    public int Size => _entries.Length;

    /// <summary>Registers a sent New command (replaces what the slot held).</summary>
    public void Register(in OrderCommand command)
    {
        ref var e = ref _entries[command.ClientOrderId & _mask];
        e.ClientOrderId = command.ClientOrderId;
        e.Command = command;
        e.CumulativeQuantity = 0;
        e.CancelClientOrderId = 0;
        e.Flags = 0;
    }

    /// <summary>Remembers the Cancel command sent for an order this table holds (ignored when it holds another).</summary>
    public void RegisterCancel(in OrderCommand cancel)
    {
        ref var e = ref _entries[cancel.OriginalClientOrderId & _mask];
        if (e.ClientOrderId == cancel.OriginalClientOrderId)
        {
            e.CancelClientOrderId = cancel.ClientOrderId;
        }
    }

    /// <summary>The entry of <paramref name="clientOrderId"/>; <paramref name="found"/> false when absent (then the
    /// returned entry is the slot, reset to this id with an empty command).</summary>
    public ref Entry FindOrAdd(long clientOrderId, out bool found)
    {
        ref var e = ref _entries[clientOrderId & _mask];
        found = e.ClientOrderId == clientOrderId;
        if (!found)
        {
            e = default;
            e.ClientOrderId = clientOrderId;
            e.Command.ClientOrderId = clientOrderId;
        }

        return ref e;
    }

    /// <summary>The entry at index <paramref name="index"/> (for the sweep of open orders after a reconnect).</summary>
    public ref Entry At(int index) => ref _entries[index];

    internal struct Entry
    {
        public long ClientOrderId;
        public OrderCommand Command;
        public long CumulativeQuantity;

        /// <summary>The client order id of the last Cancel command sent for this order (0: none); a CANCELED report names it as its command.</summary>
        public long CancelClientOrderId;
        public byte Flags;

        public readonly bool IsOpen => ClientOrderId > 0 && (Flags & FinalReported) == 0 && Command.Action == OrderAction.New;
    }
}
