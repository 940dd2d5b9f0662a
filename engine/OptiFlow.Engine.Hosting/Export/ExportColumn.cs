namespace OptiFlow.Engine.Hosting.Export;

/// <summary>
/// One column of a journal export table: its name, type, whether it can be empty, and what it holds with its units.
/// The CSV and the Parquet writer take the same columns, in the same order (<see cref="JournalExport.Columns"/>).
/// </summary>
/// <remarks>Immutable; thread-safe. A null value is an empty CSV field and a Parquet null.</remarks>
public abstract class ExportColumn
{
    private protected ExportColumn(string name, ExportColumnType type, bool isNullable, string description)
    {
        Name = name;
        Type = type;
        IsNullable = isNullable;
        Description = description;
    }

    /// <summary>The column name (CSV header field, Parquet field name).</summary>
    public string Name { get; }

    /// <summary>The column type.</summary>
    public ExportColumnType Type { get; }

    /// <summary>Whether a row can leave it empty (Parquet OPTIONAL, else REQUIRED).</summary>
    public bool IsNullable { get; }

    /// <summary>What the column holds, with its units.</summary>
    public string Description { get; }

    /// <summary>The Parquet/DuckDB type, e.g. <c>DECIMAL(38,8)</c>.</summary>
    public string ParquetTypeName => Type switch
    {
        ExportColumnType.Int64 => "BIGINT",
        ExportColumnType.Decimal8 => "DECIMAL(38,8)",
        ExportColumnType.HalfDecimal9 => "DECIMAL(38,9)",
        ExportColumnType.Double => "DOUBLE",
        ExportColumnType.Text => "VARCHAR",
        _ => "BOOLEAN",
    };

    /// <inheritdoc/>
    public override string ToString() => $"{Name} {ParquetTypeName}{(IsNullable ? "" : " NOT NULL")}: {Description}";
}
