namespace OptiFlow.Adapters.Binance.Simulator;

/// <summary>What one frame did to the venue's book of its symbol (<see cref="SimulatorBook.LastChange"/>).</summary>
internal enum VenueBookChange : byte
{
    /// <summary>Nothing: not a depth message, or a diff buffered or dropped.</summary>
    None = 0,

    /// <summary>The diff's levels were applied.</summary>
    Diff = 1,

    /// <summary>The book was replaced: a snapshot was loaded (and buffered diffs replayed on it).</summary>
    Reset = 2,
}
