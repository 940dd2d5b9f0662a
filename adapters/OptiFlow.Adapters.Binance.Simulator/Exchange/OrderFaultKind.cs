namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>A misbehaviour of the simulated exchange on one <c>order.place</c> (issue 18 item 5), each with the outcome a gateway must handle (binance.md §5.2, §8.2).</summary>
public enum OrderFaultKind : byte
{
    /// <summary>The order is placed but no response is ever sent; user data is still sent.</summary>
    DropResponse = 0,

    /// <summary>The order is placed; the response is sent <see cref="OrderFault.Argument"/> ms late (user data is not delayed).</summary>
    DelayResponse = 1,

    /// <summary>The order IS placed, and the answer is status 503 with <c>-1007</c> "Timeout waiting for response from backend server. Send status unknown; execution status unknown."</summary>
    UnknownThenStatus = 2,

    /// <summary>The same 503 / <c>-1007</c> answer, but the order is NOT placed: <c>order.status</c> later says <c>-2013</c>.</summary>
    UnknownNotPlaced = 3,

    /// <summary>The WebSocket API connection is dropped (TCP reset) after the request is received and before it is answered; the order is placed when <see cref="OrderFault.Placed"/>.</summary>
    DisconnectMidOrder = 4,

    /// <summary>Status 429, code <c>-1003</c>, <c>error.data.retryAfter</c> = now + <see cref="OrderFault.Argument"/> ms (§5.2, §6.1); nothing placed.</summary>
    TooManyRequests = 5,

    /// <summary>Status 418 (IP ban), code <c>-1003</c>; every request is answered 418 until <c>retryAfter</c> = now + <see cref="OrderFault.Argument"/> ms; nothing placed.</summary>
    Ban = 6,
}
