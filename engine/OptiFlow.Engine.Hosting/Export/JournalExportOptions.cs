namespace OptiFlow.Engine.Hosting.Export;

/// <summary>Options of <see cref="JournalExport"/>.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record JournalExportOptions
{
    /// <summary>The default <see cref="RowGroupRows"/>: 131,072 rows (tens of MB of buffers for the widest table).</summary>
    public const int DefaultRowGroupRows = 131_072;

    /// <summary>Rows per Parquet row group: the writer holds at most this many rows in memory. At least 1.</summary>
    public int RowGroupRows { get; init; } = DefaultRowGroupRows;
}
