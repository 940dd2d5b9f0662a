namespace OptiFlow.Engine.Hosting.Trading;

/// <summary>Where a session's order commands go (<c>optiflow run --trade</c>).</summary>
public enum TradingMode : byte
{
    /// <summary>Nowhere: order commands are journaled, no gateway runs.</summary>
    Off = 0,

    /// <summary>The in-process paper venue: the engine's <see cref="Engine.Matching.MatchingEngine"/> on the book the session sees.</summary>
    Paper = 1,

    /// <summary>The loopback simulator exchange over Binance's WebSocket API.</summary>
    Simulator = 2,

    /// <summary>Binance itself over its WebSocket API, with real keys.</summary>
    Live = 3,
}
