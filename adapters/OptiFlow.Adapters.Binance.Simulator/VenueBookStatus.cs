namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>What the simulator knows of one symbol's book, as the recording dictates (see <see cref="VenueBook"/>).</summary>
internal enum VenueBookStatus : byte
{
    /// <summary>No recorded snapshot has seeded the book yet, or the recording broke since: diffs are buffered, no
    /// snapshot can be served from the book.</summary>
    Unknown = 0,

    /// <summary>A recorded snapshot seeded the book; no diff has been applied on it yet. The served
    /// <c>lastUpdateId</c> is the snapshot's.</summary>
    Seeded = 1,

    /// <summary>Diffs chain on the seeded book; the served <c>lastUpdateId</c> is the last applied <c>u</c>.</summary>
    Live = 2,
}
