namespace OptiFlow.Engine.Hosting.Export;

/// <summary>A column with the function that reads its value from one source row (<typeparamref name="TSource"/>).</summary>
/// <typeparam name="TSource">The row a table is read from (a copy of one journal record plus the names it needs).</typeparam>
/// <remarks>
/// Exactly one getter is set, the one for <see cref="ExportColumn.Type"/>: <see cref="Integer"/> for
/// <see cref="ExportColumnType.Int64"/>, <see cref="ExportColumnType.Decimal8"/> (10⁻⁸ units) and
/// <see cref="ExportColumnType.HalfDecimal9"/> (doubled 10⁻⁸ units); <see cref="Real"/>, <see cref="Text"/> or
/// <see cref="Flag"/> for the others. A getter returns null for an empty field; a column that is not
/// <see cref="ExportColumn.IsNullable"/> never does (the writers throw <see cref="InvalidOperationException"/> if it does).
/// </remarks>
internal sealed class ExportColumn<TSource> : ExportColumn
{
    private ExportColumn(string name, ExportColumnType type, bool isNullable, string description)
        : base(name, type, isNullable, description)
    {
    }

    /// <summary>Reads an integer (or fixed-point units) value; null: empty.</summary>
    public delegate long? IntegerGetter(in TSource source);

    /// <summary>Reads a double value.</summary>
    public delegate double RealGetter(in TSource source);

    /// <summary>Reads a text value; null: empty.</summary>
    public delegate string? TextGetter(in TSource source);

    /// <summary>Reads a flag; null: empty.</summary>
    public delegate bool? FlagGetter(in TSource source);

    public IntegerGetter? Integer { get; private init; }

    public RealGetter? Real { get; private init; }

    public TextGetter? Text { get; private init; }

    public FlagGetter? Flag { get; private init; }

    public static ExportColumn<TSource> Int64(string name, string description, IntegerGetter value, bool nullable = false) =>
        new(name, ExportColumnType.Int64, nullable, description) { Integer = value };

    public static ExportColumn<TSource> Decimal8(string name, string description, IntegerGetter units, bool nullable = false) =>
        new(name, ExportColumnType.Decimal8, nullable, description) { Integer = units };

    public static ExportColumn<TSource> HalfDecimal9(string name, string description, IntegerGetter doubledUnits, bool nullable = false) =>
        new(name, ExportColumnType.HalfDecimal9, nullable, description) { Integer = doubledUnits };

    public static ExportColumn<TSource> Double(string name, string description, RealGetter value) =>
        new(name, ExportColumnType.Double, false, description) { Real = value };

    public static ExportColumn<TSource> String(string name, string description, TextGetter value, bool nullable = false) =>
        new(name, ExportColumnType.Text, nullable, description) { Text = value };

    public static ExportColumn<TSource> Boolean(string name, string description, FlagGetter value, bool nullable = false) =>
        new(name, ExportColumnType.Boolean, nullable, description) { Flag = value };

    /// <summary>Throws for a null value in a column that is not nullable (a bug in the table, not bad input).</summary>
    public InvalidOperationException NullInRequiredColumn() => new($"Export column '{Name}' is not nullable but a row has no value for it.");
}
