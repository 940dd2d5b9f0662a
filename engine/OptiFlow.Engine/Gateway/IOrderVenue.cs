using OptiFlow.Engine.Matching;
using OptiFlow.Engine.Model;
using OptiFlow.Engine.Orders;
using OptiFlow.Engine.Risk;

namespace OptiFlow.Engine.Gateway;

/// <summary>
/// Where the order gateway sends the commands that passed pre-trade risk: the in-process paper venue (a
/// <see cref="MatchingEngine"/> on the replayed book), the simulator exchange over loopback, or Binance's WebSocket API
/// (binance.md §5). Every outcome comes back as <see cref="ExecutionReport"/>s through the sink given to
/// <see cref="Start"/>.
/// </summary>
/// <remarks>
/// <para>Threads: <see cref="Start"/>, <see cref="Send"/>, <see cref="OnMarketEvent"/>, <see cref="Poll"/> and
/// <see cref="Stop"/> are called on the gateway thread only. A venue may call the sink from its own threads (a socket's
/// receive thread); the gateway's sink is thread-safe (it claims inbound ring slots, multi-producer).</para>
/// <para>Rules every venue keeps: a client order id is sent at most once (a command whose outcome is unknown is
/// reconciled with <c>order.status</c>, never re-sent blindly; binance.md §8.2); every command that was sent ends in
/// reports that leave its order NEW/PARTIALLY_FILLED (open) or FILLED/CANCELED/EXPIRED/REJECTED (closed); secrets are
/// never logged or journaled.</para>
/// <para>Allocation: <see cref="Send"/> and <see cref="OnMarketEvent"/> allocate nothing in steady state.</para>
/// </remarks>
public interface IOrderVenue : IDisposable
{
    /// <summary>Short name for reports: <c>paper</c>, <c>sim</c> or <c>live</c>.</summary>
    string Name { get; }

    /// <summary>Whether the venue wants every inbound market event through <see cref="OnMarketEvent"/> (the paper venue does).</summary>
    bool WantsMarketEvents { get; }

    /// <summary>Connects and logs on (blocking, bounded by the venue's own timeouts); reports go to <paramref name="reports"/> from then on.</summary>
    /// <param name="reports">The sink for every report; thread-safe.</param>
    /// <exception cref="VenueUnavailableException">The venue cannot be reached or refuses the logon.</exception>
    void Start(IExecutionReportSink reports);

    /// <summary>Sends one command that passed risk; fills <paramref name="timing"/> with when it was encoded and written.</summary>
    /// <param name="command">The command (New, Cancel or CancelAll).</param>
    /// <param name="timing">Monotonic ns stamps the venue fills: <see cref="OrderSendTiming.EncodedNs"/> after encode and sign,
    /// <see cref="OrderSendTiming.SentNs"/> after the bytes were handed to the socket.</param>
    /// <returns>Whether the command left: <see cref="VenueSendStatus.Sent"/>, or why not (the gateway then reports the command rejected).</returns>
    VenueSendStatus Send(in OrderCommand command, ref OrderSendTiming timing);

    /// <summary>One inbound market event, after the core has handled it (paper venue: feeds its matching engine).</summary>
    /// <param name="marketEvent">The event.</param>
    void OnMarketEvent(in MarketEvent marketEvent);

    /// <summary>
    /// Periodic duty on the gateway thread (at least every few milliseconds while running): request timeouts and
    /// reconciliation of unknown outcomes, server-time sync, reconnect and re-logon, and handing the rate-limit usage the
    /// responses reported (binance.md §6.3) and any 429/418 to <paramref name="budget"/>, which only the gateway thread touches.
    /// </summary>
    /// <param name="nowNs">Monotonic ns now.</param>
    /// <param name="budget">The gateway's rate budget.</param>
    void Poll(long nowNs, RateBudget budget);

    /// <summary>How many sent commands have no final answer yet (awaiting a response or a reconciliation).</summary>
    int InFlight { get; }

    /// <summary>Stops: waits (bounded) for in-flight answers and reconciliations, then closes the sessions.</summary>
    /// <param name="timeout">The longest wait.</param>
    void Stop(TimeSpan timeout);
}

/// <summary>Monotonic ns stamps of one command on its way out (tick-to-order stages).</summary>
public struct OrderSendTiming
{
    /// <summary>When the request was encoded and signed.</summary>
    public long EncodedNs;

    /// <summary>When its bytes were handed to the socket (written).</summary>
    public long SentNs;
}

/// <summary>What <see cref="IOrderVenue.Send"/> did with a command.</summary>
public enum VenueSendStatus : byte
{
    /// <summary>Not set.</summary>
    None = 0,

    /// <summary>The request left; its outcome comes as reports.</summary>
    Sent = 1,

    /// <summary>No logged-on session: nothing was sent.</summary>
    NotConnected = 2,

    /// <summary>The venue cannot express the command (e.g. the symbol has no name); nothing was sent.</summary>
    Unsupported = 3,

    /// <summary>The venue refused the command itself and has already reported it (e.g. a client order id this session sent
    /// before: binance.md §8.2); nothing was sent, and the gateway adds no report of its own.</summary>
    Refused = 4,
}

/// <summary>A venue cannot be reached or refused the logon.</summary>
public sealed class VenueUnavailableException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">One line naming the venue and the cause.</param>
    /// <param name="inner">The cause, if any.</param>
    public VenueUnavailableException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
