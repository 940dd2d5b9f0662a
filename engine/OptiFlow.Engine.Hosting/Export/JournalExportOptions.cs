namespace OptiFlow.Engine.Hosting.Export;

/// <summary>Options of <see cref="JournalExport"/>.</summary>
/// <remarks>Immutable; thread-safe.</remarks>
public sealed record JournalExportOptions
{
    /// <summary>
    /// The default <see cref="RowGroupRows"/>: 131,072 rows (DuckDB writes 122,880). The market-event table's buffers and
    /// Parquet.Net's page buffers then fit a 128 MiB GC heap, whatever the journal's length (measured on 1.75 M events).
    /// </summary>
    public const int DefaultRowGroupRows = 131_072;

    /// <summary>Rows per Parquet row group: the writer holds at most this many rows in memory. At least 1.</summary>
    public int RowGroupRows { get; init; } = DefaultRowGroupRows;
}
