namespace OptiFlow.Engine.Hosting.Monitoring;

/// <summary>A book's health as an operator reads it while a session runs (<see cref="BookProgress.Health"/>).</summary>
public enum BookHealth : byte
{
    /// <summary>Synced: the core's book chains every diff (<see cref="Engine.Core.BookSyncState.Live"/>) and, live, its
    /// feed is current.</summary>
    Synced = 0,

    /// <summary>Not synced yet, or resyncing after a gap: the core awaits a snapshot or the first diff after one.</summary>
    Resyncing = 1,

    /// <summary>Live only: the symbol's feed is down, silent or never arrived, whatever the core's state.</summary>
    Stale = 2,
}
