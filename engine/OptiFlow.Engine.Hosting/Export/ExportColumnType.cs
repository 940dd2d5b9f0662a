namespace OptiFlow.Engine.Hosting.Export;

/// <summary>The type of an <see cref="ExportColumn"/>: how the CSV writer prints it and which Parquet type the Parquet writer gives it.</summary>
public enum ExportColumnType
{
    /// <summary>A 64-bit integer (ids, sequences, counts, times in ms or ns). CSV: invariant digits. Parquet: INT64 (DuckDB BIGINT).</summary>
    Int64,

    /// <summary>
    /// An exact decimal from a fixed-point long of 10⁻⁸ units (a price, a quantity, a rate). CSV: the canonical decimal
    /// (<see cref="Model.FixedPoint.Format"/>: <c>28145.1</c>). Parquet: DECIMAL(38,8), which holds every long of 10⁻⁸ units
    /// exactly (DECIMAL(18,8) stops below 10¹⁰ units, which a quantity can pass).
    /// </summary>
    Decimal8,

    /// <summary>
    /// An exact decimal that is half of a fixed-point long of 10⁻⁸ units (the mid, from bid + ask): a 9th decimal 5 when
    /// the sum is odd. CSV: <see cref="Model.FixedPoint.FormatHalf"/>. Parquet: DECIMAL(38,9).
    /// </summary>
    HalfDecimal9,

    /// <summary>A derived ratio (OBI, weighted mid). CSV: the shortest round-trip text (<c>R</c>; <c>NaN</c>). Parquet: DOUBLE.</summary>
    Double,

    /// <summary>Text (a symbol, an enum name, key=value fields). CSV: as is, quoted only when it holds a comma, quote or line break. Parquet: UTF-8 string (VARCHAR).</summary>
    Text,

    /// <summary>A flag. CSV: <c>true</c>/<c>false</c>. Parquet: BOOLEAN.</summary>
    Boolean,
}
