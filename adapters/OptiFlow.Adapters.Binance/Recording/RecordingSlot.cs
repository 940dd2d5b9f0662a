namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>
/// One queued line of a <see cref="DailyRecordingWriter"/>: its stamp, symbol and length; the bytes are in the writer's
/// buffer of the same ring index (the producer that claimed the slot owns both until it publishes).
/// </summary>
internal struct RecordingSlot
{
    /// <summary>Local receive time, ns since the Unix epoch (UTC).</summary>
    public long StampNs;

    /// <summary>The symbol's index in the writer's list.</summary>
    public int Symbol;

    /// <summary>Bytes of the message in the slot's buffer.</summary>
    public int Length;

    /// <summary>Whether the message is a REST depth snapshot body.</summary>
    public bool Snapshot;
}
