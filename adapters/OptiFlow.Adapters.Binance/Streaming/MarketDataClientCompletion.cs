namespace OptiFlow.Adapters.Binance.Streaming;

/// <summary>Why a <see cref="MarketDataClient"/> stopped.</summary>
public enum MarketDataClientCompletion : byte
{
    /// <summary>Still running.</summary>
    Running = 0,

    /// <summary>Every stream was closed normally with the simulator's "recording ended" reason and
    /// <see cref="MarketDataClientOptions.FinishOnRecordingEnd"/> was set.</summary>
    RecordingEnded = 1,

    /// <summary><see cref="MarketDataClient.Stop"/> was called.</summary>
    Stopped = 2,

    /// <summary>A connection failed <see cref="MarketDataClientOptions.MaxConsecutiveFailedAttempts"/> times in a row and
    /// gave up; the client stopped the others. <see cref="MarketDataClient.Failure"/> names the endpoint and the last error.</summary>
    Failed = 3,
}
