namespace OptiFlow.Journal;

/// <summary>Whether a journal holds a session and whether the session finished (<see cref="JournalScanReport.Session"/>).</summary>
/// <remarks>Values are stable.</remarks>
public enum JournalSessionState
{
    /// <summary>No session header: not a session's inbound journal (an outbound stream, a copy, a journal written through the API).</summary>
    None = 0,

    /// <summary>A session header and a run summary: the session finished and recorded what it computed.</summary>
    Complete = 1,

    /// <summary>A session header and no run summary: the run was killed or failed before it finished, so the journal
    /// holds a prefix of the session (every record in it committed and checked).</summary>
    Incomplete = 2,
}
