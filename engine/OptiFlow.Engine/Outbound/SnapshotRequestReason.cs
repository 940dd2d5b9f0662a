namespace OptiFlow.Engine.Outbound;

/// <summary>Why the core asked for a snapshot (<see cref="SnapshotRequest.Reason"/>, int32 on disk).</summary>
/// <remarks>Values are part of the journal format: never renumber.</remarks>
public enum SnapshotRequestReason
{
    /// <summary>Not a reason; a zero reason in a record is corruption.</summary>
    None = 0,

    /// <summary>A diff of a live book did not chain (futures <c>pu ≠ previous u</c>, spot <c>U ≠ previous u + 1</c>).</summary>
    ChainBroken = 1,

    /// <summary>The first diff after a snapshot did not bridge it (futures <c>U ≤ lastUpdateId ≤ u</c>, spot
    /// <c>U ≤ lastUpdateId + 1 ≤ u</c> failed): the snapshot is too old for the diffs that follow.</summary>
    SnapshotDidNotBridge = 2,
}
