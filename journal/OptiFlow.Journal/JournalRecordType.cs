namespace OptiFlow.Journal;

/// <summary>What a record frame holds (<see cref="RecordDescriptor.TypeOffset"/>, uint16).</summary>
/// <remarks>Values are part of the on-disk format: never renumber; a new type bumps <see cref="JournalDescriptor.Version"/>.</remarks>
public enum JournalRecordType : ushort
{
    /// <summary>Not a record type; a zero type in a committed frame is corruption.</summary>
    None = 0,

    /// <summary>One <see cref="OptiFlow.Engine.Model.MarketEvent"/>: the payload is its 128 raw bytes.</summary>
    MarketEvent = 1,

    /// <summary>Session header: caller-defined bytes (configuration and symbol table), written once at the start.</summary>
    SessionHeader = 2,

    /// <summary>Run summary: caller-defined bytes written at the end of a run.</summary>
    RunSummary = 3,

    /// <summary>Closes a segment: fills it to its end because the next record did not fit; reading continues in the next segment.</summary>
    Padding = 0xFFFF,
}
