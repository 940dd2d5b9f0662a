namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>A misbehaviour the simulator can script (issue 7 "Fault injection"); each has a defined client-side outcome.</summary>
public enum SimulatorFaultKind : byte
{
    /// <summary>The frame is not sent (the venue's book still moves): a depth frame makes a gap.</summary>
    Drop = 0,

    /// <summary>The frame is sent twice.</summary>
    Duplicate = 1,

    /// <summary>The frame is held and sent after the next frame of the same filter.</summary>
    Reorder = 2,

    /// <summary>The feed pauses for <see cref="SimulatorFault.Argument"/> ms before sending the frame.</summary>
    Delay = 3,

    /// <summary>Every open connection is aborted (TCP reset, no close frame) before the frame.</summary>
    Disconnect = 4,

    /// <summary>A truncated, unparseable frame is sent before the frame.</summary>
    Malformed = 5,

    /// <summary>
    /// A <c>serverShutdown</c> event (binance.md §2.1) is sent before the frame; the connection stays open. At max pace
    /// the feed then waits (up to 5 s) for a connection opened after the notice, as it waits for one after a
    /// <see cref="Disconnect"/>, so the rest of the recording is not all sent to the connection being left.
    /// </summary>
    ServerShutdown = 6,

    /// <summary>Every open connection stops receiving frames from this one on, without being closed.</summary>
    Stall = 7,

    /// <summary>The N-th depth snapshot request is answered HTTP 429 with <c>Retry-After</c> (binance.md §6.1).</summary>
    TooManyRequests = 8,

    /// <summary>The N-th depth snapshot request is answered HTTP 418 (IP ban) with <c>Retry-After</c> (binance.md §6.1).</summary>
    Banned = 9,

    /// <summary>
    /// The feed stops before the frame takes effect on the simulated exchange and is sent (the venue's REST book has
    /// already moved by it), until <see cref="BinanceSimulator.ResumeFeed"/>: a test freezes the market at a known point
    /// to trade against it. <see cref="BinanceSimulator.WaitForFeedPausedAsync"/> returns once the feed is parked.
    /// </summary>
    Pause = 10,
}
