using System.Buffers;
using System.Text;
using OptiFlow.Engine.Hosting.Output;

namespace OptiFlow.Engine.Hosting.Export;

/// <summary>
/// Writes an export table as CSV: a header of the column names, then one line per row (<c>\n</c>), each value as
/// <see cref="ExportColumnType"/> says, an empty field for null.
/// </summary>
/// <typeparam name="TSource">The source row type.</typeparam>
/// <remarks>
/// Lines are built in a reused <see cref="Utf8OutputBuffer"/> (the same number formatting as <c>optiflow signals</c>);
/// a write error of the stream is kept there and thrown by <see cref="Complete"/> as an <see cref="IOException"/>.
/// Allocates only for text longer than 256 UTF-16 units. Not thread-safe.
/// </remarks>
internal sealed class CsvTableWriter<TSource> : ITableWriter<TSource>
{
    private static readonly SearchValues<char> NeedsQuoting = SearchValues.Create(",\"\r\n");
    private readonly IReadOnlyList<ExportColumn<TSource>> _columns;
    private readonly Utf8OutputBuffer _output;
    private readonly string _what;

    /// <summary>Writes the header line.</summary>
    /// <param name="columns">The table's columns.</param>
    /// <param name="output">Where lines go (not owned).</param>
    /// <param name="what">What the stream is, for the error message of a failed write (a path, "standard output").</param>
    public CsvTableWriter(IReadOnlyList<ExportColumn<TSource>> columns, Stream output, string what)
    {
        _columns = columns;
        _output = new Utf8OutputBuffer(output);
        _what = what;
        for (var i = 0; i < columns.Count; i++)
        {
            if (i > 0)
            {
                _output.Byte((byte)',');
            }

            WriteText(columns[i].Name);
        }

        _output.EndLine();
    }

    public void Write(in TSource row)
    {
        for (var i = 0; i < _columns.Count; i++)
        {
            if (i > 0)
            {
                _output.Byte((byte)',');
            }

            var column = _columns[i];
            switch (column.Type)
            {
                case ExportColumnType.Int64:
                case ExportColumnType.Decimal8:
                case ExportColumnType.HalfDecimal9:
                    if (column.Integer!(in row) is { } value)
                    {
                        if (column.Type == ExportColumnType.Int64)
                        {
                            _output.Integer(value);
                        }
                        else if (column.Type == ExportColumnType.Decimal8)
                        {
                            _output.Fixed(value);
                        }
                        else
                        {
                            _output.FixedHalf(value);
                        }
                    }
                    else if (!column.IsNullable)
                    {
                        throw column.NullInRequiredColumn();
                    }

                    break;
                case ExportColumnType.Double:
                    _output.Ratio(column.Real!(in row));
                    break;
                case ExportColumnType.Text:
                    if (column.Text!(in row) is { } text)
                    {
                        WriteText(text);
                    }
                    else if (!column.IsNullable)
                    {
                        throw column.NullInRequiredColumn();
                    }

                    break;
                default:
                    if (column.Flag!(in row) is { } flag)
                    {
                        _output.Ascii(flag ? "true" : "false");
                    }
                    else if (!column.IsNullable)
                    {
                        throw column.NullInRequiredColumn();
                    }

                    break;
            }
        }

        _output.EndLine();
    }

    public void Complete()
    {
        _output.Flush();
        _output.ThrowIfFailed(_what);
    }

    public void Dispose()
    {
    }

    /// <summary>UTF-8 text, quoted per RFC 4180 when it holds a comma, a quote or a line break.</summary>
    private void WriteText(string text)
    {
        if (text.AsSpan().ContainsAny(NeedsQuoting))
        {
            text = "\"" + text.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
        }

        if (text.Length <= 256)
        {
            Span<byte> utf8 = stackalloc byte[256 * 3];
            _output.Bytes(utf8[..Encoding.UTF8.GetBytes(text, utf8)]);
        }
        else
        {
            _output.Bytes(Encoding.UTF8.GetBytes(text));
        }
    }
}
