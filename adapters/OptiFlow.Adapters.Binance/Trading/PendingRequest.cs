using OptiFlow.Engine.Orders;

namespace OptiFlow.Adapters.Binance.Trading;

/// <summary>
/// One slot of the venue's request table, indexed by <c>requestId &amp; (MaxInFlight − 1)</c>: what a request sent by the
/// gateway thread was, so its response (on a receive thread) or its timeout (in Poll) can be turned into reports.
/// </summary>
/// <remarks>
/// Ownership moves by <see cref="State"/>: the gateway thread fills a <see cref="Free"/> slot and publishes it with a
/// release write of <see cref="Pending"/> before the bytes leave; whoever then wins the compare-and-set from
/// <see cref="Pending"/> to <see cref="Owned"/> (the receive thread on a response, Poll on a timeout or a lost
/// connection) handles it alone and frees it with a release write of <see cref="Free"/>. Preallocated; allocation-free.
/// </remarks>
internal sealed class PendingRequest
{
    public const int Free = 0;
    public const int Pending = 1;
    public const int Owned = 2;

    public int State;
    public long RequestId;
    public RequestKind Kind;
    public OrderCommand Command;
    public long SentNs;
    public long SentWallMs;
    public int Generation;
}
