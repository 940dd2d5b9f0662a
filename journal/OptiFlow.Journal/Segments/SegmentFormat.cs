namespace OptiFlow.Journal.Segments;

/// <summary>
/// What a segment's format version (<see cref="JournalDescriptor.FormatVersionOffset"/>) says about the frames in it, as
/// <see cref="FrameCheck"/> needs it: the signal payload size and whether <see cref="JournalRecordType.MarketEventDelta"/>
/// records exist. One place derives it for the reader, its read-ahead and the scanner.
/// </summary>
/// <param name="SignalSize">The <see cref="JournalRecordType.Signal"/> payload size, bytes (<see cref="SignalRecordDescriptor.SizeForFormat"/>).</param>
/// <param name="DeltaRecords">Whether the format has <see cref="JournalRecordType.MarketEventDelta"/> records (since <see cref="JournalDescriptor.MarketEventDeltaSinceVersion"/>); in an older one the type is unknown.</param>
/// <remarks>An immutable value: thread-safe, allocation-free.</remarks>
internal readonly record struct SegmentFormat(int SignalSize, bool DeltaRecords)
{
    /// <summary>The current format's frames: what a segment of <see cref="JournalDescriptor.Version"/> holds.</summary>
    public static SegmentFormat Current { get; } = Of(JournalDescriptor.Version);

    /// <summary>The frames of a segment of format <paramref name="version"/>.</summary>
    /// <param name="version">A readable format version.</param>
    /// <returns>Its signal size and delta records.</returns>
    public static SegmentFormat Of(int version) =>
        new(SignalRecordDescriptor.SizeForFormat(version), version >= JournalDescriptor.MarketEventDeltaSinceVersion);
}
