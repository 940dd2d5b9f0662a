namespace OptiFlow.Engine.Matching;

/// <summary>Who produced an <see cref="ExecutionReport"/>.</summary>
public enum ExecutionReportOrigin : byte
{
    /// <summary>Not set (a <see cref="MatchingEngine"/> report before a venue stamps it).</summary>
    None = 0,

    /// <summary>The order gateway itself: a pre-trade risk rejection, or a command it could not send.</summary>
    Gateway = 1,

    /// <summary>The venue: a request's response or a user-data event (or the in-process paper venue's matching engine).</summary>
    Venue = 2,

    /// <summary>The gateway's reconciliation of an unknown outcome: an <c>order.status</c> answer (binance.md §8.2).</summary>
    Reconciliation = 3,
}
