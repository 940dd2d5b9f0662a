using System.Collections.Concurrent;

namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>What the simulated exchange (the WebSocket API and user data streams of a <see cref="BinanceSimulator"/>) did so far.</summary>
/// <remarks>Counters are updated with <see cref="Interlocked"/> from Kestrel and feed threads; reads are atomic but not a
/// consistent snapshot of all of them. Reading <see cref="RequestsByMethod"/> allocates a copy; the rest is allocation-free.</remarks>
public sealed class ExchangeStatistics
{
    private readonly ConcurrentDictionary<string, long> _byMethod = new(StringComparer.Ordinal);
    internal long RequestCount;
    internal long OrdersReceivedCount;
    internal long OrdersPlacedCount;
    internal long OrdersAcceptedCount;
    internal long OrdersRejectedCount;
    internal long FillCount;
    internal long CancelCount;
    internal long DuplicateClientOrderIdCount;
    internal long DuplicateOpenRejectCount;
    internal long SignatureFailureCount;
    internal long TimestampRejectCount;
    internal long UnknownApiKeyCount;
    internal long FaultCount;
    internal long RateLimitedCount;
    internal long BannedCount;
    internal long UserDataEventCount;
    internal long UserDataDroppedCount;
    internal long LogonCount;
    internal long ConnectionCount;

    /// <summary>WebSocket API requests received (parsed or not).</summary>
    public long Requests => Interlocked.Read(ref RequestCount);

    /// <summary>Requests per method name (<c>order.place</c>, …; version prefixes removed; <c>?</c> for unparseable frames). A copy.</summary>
    public IReadOnlyDictionary<string, long> RequestsByMethod => new Dictionary<string, long>(_byMethod, StringComparer.Ordinal);

    /// <summary><c>order.place</c> requests received.</summary>
    public long OrdersReceived => Interlocked.Read(ref OrdersReceivedCount);

    /// <summary>Orders handed to the matching engine (authenticated, within limits, well formed, not refused by a fault).</summary>
    public long OrdersPlaced => Interlocked.Read(ref OrdersPlacedCount);

    /// <summary>Orders the matching engine accepted (NEW, or filled or expired at once).</summary>
    public long OrdersAccepted => Interlocked.Read(ref OrdersAcceptedCount);

    /// <summary><c>order.place</c> requests answered with an error (signature, timestamp, parameters, duplicates, post-only, limits, faults).</summary>
    public long OrdersRejected => Interlocked.Read(ref OrdersRejectedCount);

    /// <summary>Fills (trades) of the participant's orders.</summary>
    public long Fills => Interlocked.Read(ref FillCount);

    /// <summary>Orders cancelled (by <c>order.cancel</c> or a cancel-all).</summary>
    public long Cancels => Interlocked.Read(ref CancelCount);

    /// <summary>
    /// <c>order.place</c> requests whose <c>newClientOrderId</c> an earlier <c>order.place</c> already carried (open,
    /// closed, placed or not): a correct gateway sends none, so tests assert this is 0.
    /// </summary>
    public long DuplicateClientOrderIds => Interlocked.Read(ref DuplicateClientOrderIdCount);

    /// <summary>Duplicates refused because the earlier order with that id is still open (spot <c>-2010</c> "Duplicate order sent.", futures <c>-4116</c>).</summary>
    public long DuplicateOpenRejects => Interlocked.Read(ref DuplicateOpenRejectCount);

    /// <summary>Requests refused for a bad signature (<c>-1022</c>).</summary>
    public long SignatureFailures => Interlocked.Read(ref SignatureFailureCount);

    /// <summary>Requests refused for their timestamp (<c>-1021</c>).</summary>
    public long TimestampRejects => Interlocked.Read(ref TimestampRejectCount);

    /// <summary>Requests refused for an unknown API key (<c>-2015</c>).</summary>
    public long UnknownApiKeys => Interlocked.Read(ref UnknownApiKeyCount);

    /// <summary>Scripted order faults that fired.</summary>
    public long Faults => Interlocked.Read(ref FaultCount);

    /// <summary>Requests answered 429 (rate limits or a scripted fault).</summary>
    public long RateLimited => Interlocked.Read(ref RateLimitedCount);

    /// <summary>Requests answered 418 (a scripted ban).</summary>
    public long Banned => Interlocked.Read(ref BannedCount);

    /// <summary>User data events queued to subscribers.</summary>
    public long UserDataEvents => Interlocked.Read(ref UserDataEventCount);

    /// <summary>User data events lost because a subscriber's bounded queue was full (the subscriber does not read).</summary>
    public long UserDataDropped => Interlocked.Read(ref UserDataDroppedCount);

    /// <summary>Successful <c>session.logon</c> calls.</summary>
    public long Logons => Interlocked.Read(ref LogonCount);

    /// <summary>WebSocket API and user data connections accepted.</summary>
    public long Connections => Interlocked.Read(ref ConnectionCount);

    /// <summary>Requests of one method (0 when none).</summary>
    /// <param name="method">The method name without version prefix.</param>
    /// <returns>The count.</returns>
    public long RequestsOf(string method) => _byMethod.TryGetValue(method, out var count) ? count : 0;

    internal void CountMethod(string method) => _byMethod.AddOrUpdate(method, 1, (_, n) => n + 1);
}
