namespace OptiFlow.Engine.Hosting.Export;

/// <summary>The file format of a journal export. Both write the same columns (<see cref="JournalExport.Columns"/>).</summary>
public enum JournalExportFormat
{
    /// <summary>Comma-separated text, a header line first, <c>\n</c> line ends, UTF-8; empty field for null.</summary>
    Csv,

    /// <summary>Apache Parquet (Zstandard-compressed, row groups of <see cref="JournalExportOptions.RowGroupRows"/> rows); needs a seekable stream (a file).</summary>
    Parquet,
}
