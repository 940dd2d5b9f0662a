namespace OptiFlow.Engine.Hosting.Export;

/// <summary>Writes the rows of one export table in one format (CSV or Parquet) to a stream it does not own.</summary>
/// <typeparam name="TSource">The source row type of the table's columns.</typeparam>
/// <remarks>One thread at a time. <see cref="Complete"/> must be called once after the last row.</remarks>
internal interface ITableWriter<TSource> : IDisposable
{
    /// <summary>Writes (or buffers) one row.</summary>
    void Write(in TSource row);

    /// <summary>Writes what is buffered and ends the table (Parquet: the last row group and the footer).</summary>
    void Complete();
}
