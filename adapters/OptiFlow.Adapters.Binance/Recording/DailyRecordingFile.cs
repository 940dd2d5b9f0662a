namespace OptiFlow.Adapters.Binance.Recording;

/// <summary>One day file a <see cref="DailyRecordingWriter"/> wrote to: <c>&lt;symbol&gt;_&lt;yyyymmdd&gt;.gz</c>.</summary>
/// <param name="Symbol">The symbol, lower case, as in the file name.</param>
/// <param name="Day">The UTC day of the local timestamps of its lines.</param>
/// <param name="Path">The file.</param>
/// <param name="Lines">Lines this writer wrote to it (snapshots included).</param>
/// <param name="Snapshots">Of <paramref name="Lines"/>, the REST depth snapshots.</param>
/// <param name="Appended">Whether the file existed (a restarted recorder): this writer's lines are a new gzip member after the old ones.</param>
public sealed record DailyRecordingFile(string Symbol, DateOnly Day, string Path, long Lines, long Snapshots, bool Appended);
