namespace OptiFlow.Adapters.Binance.Simulator.Exchange;

/// <summary>Receives the account's user data events (one account per simulator): a spot WebSocket API subscription or a USDⓈ-M listenKey connection.</summary>
/// <remarks>Called under the exchange lock, in event order; must not block (queue and return).</remarks>
internal interface IUserDataSubscriber
{
    /// <summary>Queues one event (the bare event object); false when the subscriber's queue is full and the event was dropped.</summary>
    bool TryDeliver(byte[] eventJson);
}
