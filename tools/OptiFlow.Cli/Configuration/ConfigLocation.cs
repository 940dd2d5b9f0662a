namespace OptiFlow.Cli.Configuration;

/// <summary>A place in a configuration file: its path as given, and a 1-based line and column.</summary>
/// <param name="File">The file's path as the user gave it.</param>
/// <param name="Line">1-based line.</param>
/// <param name="Column">1-based column (characters, not bytes).</param>
internal readonly record struct ConfigLocation(string File, int Line, int Column)
{
    /// <summary>The location as compilers print it: <c>FILE:LINE:COLUMN</c>.</summary>
    /// <returns>The location.</returns>
    public override string ToString() => $"{File}:{Line}:{Column}";
}
